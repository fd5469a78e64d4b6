"""`marginalia tags`: the codebook. Alone it lists the tags; its actions change them.

Each action is one entry in ACTIONS (name, help, arguments, handler), so more actions (create,
recolour, delete, export, import) are one function and one line each.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from tui.commands.annotate import open_store, printable, space_of
from tui.errors import UserError
from tui.store import AnnotationStore, StoreWriteError


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[AnnotationStore, argparse.Namespace], str]  # returns what to print


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "tags",
        parents=[common],
        help="list the tags, or rename and merge them",
        description="With no action, list every tag: its quick key, name, how many "
        "annotations carry it, its colour and description. A tag 'A/B' is the child B of A; "
        "renaming or merging a tag takes its children along.",
    )
    parser.add_argument("--json", action="store_true", help="print the tags as JSON")
    parser.set_defaults(handler=run_list)
    actions = parser.add_subparsers(dest="tags_action", metavar="ACTION", title="actions")
    for action in ACTIONS:
        sub = actions.add_parser(
            action.name, parents=[common], help=action.help, description=action.help
        )
        action.add_arguments(sub)
        sub.set_defaults(handler=_runner(action))


def _runner(action: Action) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        store = open_store(args, space_of(args))
        try:
            message = action.run(store, args)
        except StoreWriteError as error:
            reason = store.write_error or str(error)
            raise UserError(
                f"{store.path}: could not save ({reason}); nothing was written"
            ) from None
        print(message)
        return 0

    return run


def run_list(args: argparse.Namespace) -> int:
    store = open_store(args, space_of(args))
    counts = store.tag_counts()
    tags = store.tags()
    if args.json:
        records = [{**tag.to_record(), "count": counts.get(tag.name, 0)} for tag in tags]
        sys.stdout.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for tag in tags:
        key = str(tag.key) if tag.key is not None else "-"
        count = counts.get(tag.name, 0)
        line = f"{key}  {printable(tag.name)}  {count} annotation{'s' * (count != 1)}"
        line += f"  {printable(tag.color)}" if tag.color else ""
        line += f"  {printable(tag.description)}" if tag.description else ""
        print(line)
    return 0


def _old_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the tag's current name")
    parser.add_argument("new", metavar="NEW", help="its new name")


def _from_into(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FROM", help="the tag that goes away")
    parser.add_argument("into", metavar="INTO", help="the tag its annotations get instead")


def _rename(store: AnnotationStore, args: argparse.Namespace) -> str:
    touched = store.rename_tag(args.old, args.new)
    return f"renamed {printable(args.old)!r} to {printable(args.new)!r} on {touched} annotation(s)"


def _merge(store: AnnotationStore, args: argparse.Namespace) -> str:
    touched = store.merge_tags(args.source, args.into)
    return (
        f"merged {printable(args.source)!r} into {printable(args.into)!r} "
        f"on {touched} annotation(s)"
    )


ACTIONS: tuple[Action, ...] = (
    Action("rename", "rename a tag (and its children) on every annotation", _old_new, _rename),
    Action("merge", "retag everything tagged FROM as INTO; FROM goes away", _from_into, _merge),
)
