"""Subcommands of `marginalia`, one module each, in the order `--help` lists them.

A command module has `register(subparsers, common)`, which adds its parser with
`parents=[common]` and sets `handler=` to a function taking the parsed args and returning an
exit code. Raise `tui.errors.UserError` for anything the user can fix.
"""

from __future__ import annotations

from types import ModuleType

from tui.commands import annotate, articles, clean, exchange, report, search, tags

COMMANDS: tuple[ModuleType, ...] = (clean, search, annotate, tags, articles, exchange, report)
