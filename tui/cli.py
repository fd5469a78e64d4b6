"""The `marginalia` command: argparse over the corpus, store and export layers.

Each subcommand lives in `tui/commands/<name>.py` with `register(subparsers, common)` and a
handler returning an exit code, so this file stays a table of contents. No subcommand opens
the reader. Textual is imported only when the reader starts, so headless commands stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO, NoReturn, TextIO

from tui import __version__
from tui.commands import COMMANDS
from tui.errors import UserError
from tui.inert import inert


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
    group.add_argument(
        "--codebook",
        metavar="FILE",
        default=default,
        help="the codebook a new store starts from (default: codebook.yaml beside the store; "
        "the starter codebook with the bundled seeds; else none)",
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
    parser.add_argument(
        "--blind",
        action="store_true",
        help="reader: show only your own annotations (B toggles), to code independently",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub_common = common_options(for_subcommand=True)
    for command in COMMANDS:
        command.register(subparsers, sub_common)
    return parser


class InertText(io.TextIOBase):
    """A text stream that writes through the one rule (`tui.inert`), lines and tabs kept.

    Every line a command prints quotes data (a tag, a note, an author, a file name); this is
    the one place it is made inert. JSON from orjson already escapes C0 controls; only a raw
    C1 or bidi override in it is changed. Bytes written to `.buffer` (an export's file
    content) pass untouched: a file format is the exporter's to keep safe.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert(text, multiline=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def redraw_line(self, text: str) -> None:
        """Write `text` over the terminal's current line (progress): the carriage return is
        ours, the text still goes through the rule, which would show a `\r` as `␍`."""
        self._stream.write("\r" + inert(text))

    @property
    def buffer(self) -> BinaryIO:
        return self._stream.buffer


@contextlib.contextmanager
def inert_output() -> Iterator[None]:
    """stdout and stderr through the rule while a command runs (not the reader: Textual
    draws through its own guard, `tui/app/terminal_guard.py`)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = InertText(sys.stdout), InertText(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from tui.commands.read import run_reader

            return run_reader(args)
        with inert_output():
            code: int = handler(args)
            return code
    except UserError as error:
        print(f"marginalia: {inert(str(error), multiline=True)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `marginalia list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
