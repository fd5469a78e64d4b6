"""`marginalia tags`: the codebook. Alone it lists the tags as a tree; its actions change them.

Each action is one entry in ACTIONS (name, help, arguments, handler). A store that never had a
codebook gets its workspace's starter one first (`tui.config.starter_codebook`), except when
importing one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from tui.commands.common import not_saved, open_store, space_of
from tui.config import starter_codebook
from tui.errors import UserError
from tui.inert import inert
from tui.store import AnnotationStore, StoreWriteError, Tag
from tui.store.errors import refused_import
from tui.store.hierarchy import SEPARATOR, is_below, lineage, normalise_tag_name, tree_order
from tui.store.store import FIRST_FREE_KEY
from tui.wording import counted

# `tui.export.codebook` (YAML, XML) is imported by the handlers that use it: this module is
# loaded to build `marginalia`'s parser, also when it opens the reader.


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[AnnotationStore, argparse.Namespace], str]  # returns what to print
    seeds: bool = field(default=True)  # load the starter codebook into a new store first


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        "tags",
        parents=[common],
        help="the codebook: list, create, rename, merge, recolour, bind, delete, export, import",
        description="With no action, list every tag as a tree: its quick key, name, how "
        "many annotations carry it (or a tag below it), its colour and description. A tag "
        "'A/B' is the child B of A; renaming, merging or deleting a tag takes its children "
        "along. A new store starts with the codebook in --codebook FILE, else codebook.yaml "
        "next to it, else (with the bundled seeds) the seeds' starter codebook, else empty.",
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
        from tui.export.codebook import seed_codebook

        space = space_of(args)
        store = open_store(args, space)
        try:
            if action.seeds:
                seed_codebook(store, starter_codebook(space, getattr(args, "codebook", None)))
            message = action.run(store, args)
        except StoreWriteError as error:
            raise not_saved(store, error) from None
        if message:
            print(message)
        return 0

    return run


def run_list(args: argparse.Namespace) -> int:
    from tui.export.codebook import seed_codebook

    space = space_of(args)
    store = open_store(args, space)
    try:
        seed_codebook(store, starter_codebook(space, getattr(args, "codebook", None)))
    except StoreWriteError as error:
        raise UserError(f"{store.path}: could not save ({store.write_error or error})") from None
    totals = store.tag_totals()  # the one counting rule, for the tree and the JSON alike
    tags = store.tags()
    if args.json:
        records = [{**tag.to_record(), "count": totals.get(tag.name, 0)} for tag in tags]
        sys.stdout.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for line in tree_lines(tags, totals):
        print(line)
    return 0


def tree_lines(tags: list[Tag], totals: dict[str, int]) -> list[str]:
    """One line per node of the tag tree, children indented under their parent.

    A parent that is only implied by its children's names is listed too. `totals` are
    `passages_under` (annotations carrying the tag or one below it, each counted once).
    """
    by_name = {tag.name: tag for tag in tags}
    nodes: dict[str, int] = {}  # every name in the tree -> its depth
    for tag in tags:
        for depth, node in enumerate(lineage(tag.name)):
            nodes.setdefault(node, depth)
    lines = []
    for name in sorted(nodes, key=tree_order):
        depth = nodes[name]
        node_tag = by_name.get(name)
        key = str(node_tag.key) if node_tag is not None and node_tag.key is not None else "-"
        count = totals.get(name, 0)
        part = name.split(SEPARATOR)[-1]
        line = f"{key}  {'  ' * depth}{inert(part)}  {counted(count, 'annotation')}"
        if node_tag is not None:
            line += f"  {inert(node_tag.color)}" if node_tag.color else ""
            line += f"  {inert(node_tag.description)}" if node_tag.description else ""
        lines.append(line)
    return lines


def _old_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the tag's current name")
    parser.add_argument("new", metavar="NEW", help="its new name")


def _from_into(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FROM", help="the tag that goes away")
    parser.add_argument("into", metavar="INTO", help="the tag its annotations get instead")


def _rename(store: AnnotationStore, args: argparse.Namespace) -> str:
    touched = store.rename_tag(args.old, args.new)
    renamed = f"renamed {inert(args.old)!r} to {inert(args.new)!r}"
    return f"{renamed} on {counted(touched, 'annotation')}"


def _merge(store: AnnotationStore, args: argparse.Namespace) -> str:
    touched = store.merge_tags(args.source, args.into)
    return (
        f"merged {inert(args.source)!r} into {inert(args.into)!r} "
        f"on {counted(touched, 'annotation')}"
    )


def _key(value: str) -> int | None:
    """A quick key: 1-9, or 0/none for no key."""
    if value.strip().lower() in ("0", "none", "-"):
        return None
    if value.strip() in tuple("123456789"):
        return int(value)
    raise argparse.ArgumentTypeError(f"{value!r} is not a key 1-9 (or 0/none for no key)")


def _name(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the tag ('Parent/child' for a child)")


def _create_arguments(parser: argparse.ArgumentParser) -> None:
    _name(parser)
    parser.add_argument("--color", "--colour", dest="color", metavar="C", help=_COLOR_HELP)
    parser.add_argument(
        "--key",
        type=_key,
        default=argparse.SUPPRESS,  # absent: the store's first free key
        metavar="N",
        help="quick key 1-9 in the reader (default: the first free one; none for no key)",
    )
    parser.add_argument("--description", default="", metavar="D", help="what the tag is for")


def _create(store: AnnotationStore, args: argparse.Namespace) -> str:
    key = getattr(args, "key", FIRST_FREE_KEY)
    tag = store.create_tag(args.name, color=args.color, key=key, description=args.description)
    return f"created {inert(tag.name)!r} ({_tag_summary(tag)})"


def _recolour_arguments(parser: argparse.ArgumentParser) -> None:
    _name(parser)
    parser.add_argument("color", metavar="COLOUR", help=_COLOR_HELP)


def _recolour(store: AnnotationStore, args: argparse.Namespace) -> str:
    tag = store.recolor_tag(args.name, args.color)
    return f"{inert(tag.name)!r} is now {inert(tag.color)}"


def _bind_arguments(parser: argparse.ArgumentParser) -> None:
    _name(parser)
    parser.add_argument("key", type=_key, metavar="KEY", help="1-9, or 0/none to unbind")


def _bind(store: AnnotationStore, args: argparse.Namespace) -> str:
    before = {t.name for t in store.tags() if args.key is not None and t.key == args.key}
    tag = store.bind_key(args.name, args.key)
    if tag.key is None:
        return f"{inert(tag.name)!r} has no key now"
    taken = sorted(before - {tag.name})
    moved = f" (taken from {', '.join(repr(inert(n)) for n in taken)})" if taken else ""
    return f"key {tag.key} applies {inert(tag.name)!r}{moved}"


def _describe_arguments(parser: argparse.ArgumentParser) -> None:
    _name(parser)
    parser.add_argument("text", metavar="TEXT", help="the description ('' to clear it)")


def _describe(store: AnnotationStore, args: argparse.Namespace) -> str:
    tag = store.describe_tag(args.name, args.text)
    return f"described {inert(tag.name)!r}"


def _delete_arguments(parser: argparse.ArgumentParser) -> None:
    _name(parser)
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask first")


def _delete(store: AnnotationStore, args: argparse.Namespace) -> str:
    """Say what the deletion touches and ask first; without a terminal, only with --yes."""
    tag_name = normalise_tag_name(args.name)
    name = inert(tag_name)
    if store.tag(tag_name) is None and not any(is_below(t.name, tag_name) for t in store.tags()):
        raise UserError(f"no tag named {name!r}")  # before any question about deleting it
    count = store.tag_totals().get(tag_name, 0)  # the count the tree shows
    children = [t.name for t in store.tags() if is_below(t.name, tag_name)]
    what = f"the tag {name!r}" + (
        f" and its {counted(len(children), 'child tag')}" if children else ""
    )
    touches = f"it is on {counted(count, 'annotation')}; they stay, without the tag"
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"not deleting {what} ({touches}): confirm on a terminal, or add --yes")
        print(f"Delete {what}? {touches.capitalize()}. [y/N] ", end="", file=sys.stderr)
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            return f"kept {name!r}; nothing was deleted"
    touched = store.delete_tag(tag_name)
    return f"deleted {what} from {counted(touched, 'annotation')}"


def _file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="a .yaml/.yml (marginalia) or .qdc (REFI-QDA) codebook"
    )


def _export(store: AnnotationStore, args: argparse.Namespace) -> str:
    from tui.export.codebook import codebook_format, codebook_yaml, write_codebook

    tags = store.tags()
    if args.file == "-":
        sys.stdout.buffer.write(codebook_yaml(tags))
        sys.stdout.flush()
        return ""
    path = Path(args.file)
    codebook_format(path)  # refuse an unknown extension before anything else
    write_codebook(path, tags)
    return f"wrote {counted(len(tags), 'tag')} to {path}"


def _import(store: AnnotationStore, args: argparse.Namespace) -> str:
    from tui.export.codebook import read_codebook

    path = Path(args.file)
    tags = read_codebook(path)
    with refused_import(path):
        changed = store.import_codebook(tags)
    return f"{path}: {counted(len(tags), 'tag')}, {changed} created or changed"


def _tag_summary(tag: Tag) -> str:
    key = f"key {tag.key}" if tag.key is not None else "no key"
    return f"{inert(tag.color)}, {key}"


_COLOR_HELP = (
    "a terminal colour name (ansi_red, ansi_bright_cyan, ...; these stay distinct in every "
    "terminal theme) or #rrggbb"
)

ACTIONS: tuple[Action, ...] = (
    Action("create", "add a tag to the codebook", _create_arguments, _create),
    Action("rename", "rename a tag (and its children) on every annotation", _old_new, _rename),
    Action("merge", "retag everything tagged FROM as INTO; FROM goes away", _from_into, _merge),
    Action("recolour", "change a tag's colour", _recolour_arguments, _recolour),
    Action("bind", "give a tag a quick key 1-9 (0 or none: no key)", _bind_arguments, _bind),
    Action("describe", "set a tag's description", _describe_arguments, _describe),
    Action(
        "delete",
        "remove a tag (and its children) from the codebook and every annotation; asks first",
        _delete_arguments,
        _delete,
    ),
    Action(
        "export",
        "write the codebook to FILE (.yaml or .qdc; - for stdout)",
        _file_argument,
        _export,
    ),
    Action(
        "import",
        "merge a codebook file into the store, by tag name",
        _file_argument,
        _import,
        seeds=False,
    ),
)
