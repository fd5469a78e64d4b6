"""The export formats by name, for the CLI's parser and the app's dialog.

Kept apart from the writers so that offering the choices loads no YAML, XML or zip code:
`marginalia` builds every subcommand's parser before it opens the reader.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, get_args

Format = Literal["yaml", "markdown", "csv", "w3c", "refi", "hypothesis"]
ALL_FORMATS: tuple[Format, ...] = get_args(Format)
# The app's dialog offers these; `hypothesis` is on the command line only until it has a label.
FORMATS: tuple[Format, ...] = tuple(fmt for fmt in ALL_FORMATS if fmt != "hypothesis")
Grouping = Literal["article", "tag"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)
EXTENSIONS: dict[Format, str] = {
    "yaml": "yaml",
    "markdown": "md",
    "csv": "csv",
    "w3c": "jsonld",
    "refi": "qdpx",
    "hypothesis": "json",
}
BINARY_FORMATS = frozenset({"refi"})


def default_filename(fmt: Format, now: datetime | None = None) -> str:
    """`export-20261121-120000.yaml`: sortable, and never overwrites an earlier export."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"export-{stamp}.{EXTENSIONS[fmt]}"
