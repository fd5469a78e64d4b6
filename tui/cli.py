"""The `marginalia` command: argparse over the corpus, store and export layers.

Each subcommand lives in `tui/commands/<name>.py` with `register(subparsers, common)` and a
handler returning an exit code, so this file stays a table of contents. No subcommand opens
the reader. Textual is imported only when the reader starts, so headless commands stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from tui import __version__
from tui.commands import COMMANDS
from tui.errors import UserError


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line, like every other bad input: what was wrong, and where the
    usage is. (argparse prints the whole usage first; it scrolls the reason away.)"""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def common_options(*, for_subcommand: bool) -> argparse.ArgumentParser:
    """Workspace flags, accepted before or after the subcommand.

    On subcommands the default is SUPPRESS so that a flag given before the subcommand is not
    overwritten by the subparser's default.
    """
    default = argparse.SUPPRESS if for_subcommand else None
    parent = OneLineParser(add_help=False)
    group = parent.add_argument_group("workspace")
    group.add_argument(
        "--corpus",
        metavar="DIR",
        default=default,
        help="folder of raw articles (default: $MARGINALIA_CORPUS, ./seeds, the bundled seeds)",
    )
    group.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="annotation store (default: $MARGINALIA_DB, ./annotations/marginalia.json)",
    )
    group.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help="who is annotating (default: $MARGINALIA_USER, the login name)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="marginalia",
        description=(
            "Read news articles side by side, highlight passages and code them with tags. "
            "With no command, opens the reader."
        ),
        parents=[common_options(for_subcommand=False)],
    )
    parser.add_argument("--version", action="version", version=f"marginalia {__version__}")
    parser.add_argument(
        "--mouse", action="store_true", help="enable the mouse in the reader (off by default)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub_common = common_options(for_subcommand=True)
    for command in COMMANDS:
        command.register(subparsers, sub_common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from tui.commands.read import run_reader

            return run_reader(args)
        return handler(args)
    except UserError as error:
        print(f"marginalia: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `marginalia list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
