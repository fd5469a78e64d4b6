"""One entry point for every export format, shared by `marginalia export` and the app's dialog.

Formats take the already selected excerpts; this module picks the writer, encodes the result
and writes it atomically, so an interrupted export never leaves half a file under the name
the user asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tui.atomic import replace_file
from tui.errors import UserError
from tui.export.excerpts import Excerpt
from tui.export.formats import (
    BY_NAME,
    FORMATS,
    GROUPINGS,
    ExportJob,
    Format,
    Grouping,
    Progress,
    Rendered,
)
from tui.store.model import Annotation, Memo, Tag

_SURROGATE = re.compile("[\ud800-\udfff]")


def export_timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render(
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    *,
    fmt: Format,
    by: Grouping = "article",
    exported: str | None = None,
    for_file: bool = True,
    progress: Progress | None = None,
    raw: bool = False,
    memos: Sequence[Memo] = (),
) -> Rendered:
    """The export as bytes. `for_file` decides the CSV byte-order mark, `raw` drops the CSV
    formula guard (see csv_format); `memos` go to the formats that carry them."""
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if by not in GROUPINGS:
        raise UserError(f"unknown grouping {by!r} (choose from {', '.join(GROUPINGS)})")
    stamp = exported or export_timestamp()
    try:
        return _render(excerpts, tags, fmt, by, stamp, for_file, progress, raw, memos)
    except UnicodeEncodeError:
        # Lone surrogates (U+D800-U+DFFF) are not text: no UTF-8 file can hold them, and
        # import refuses them too. The store cannot hold them either; this names the culprit
        # should one arrive in memory some other way.
        broken = [e.annotation.id for e in excerpts if _has_surrogate(e.annotation)]
        raise UserError(
            "cannot export: lone surrogate characters (not text) in annotation(s) "
            + ", ".join(broken or ["?"])
        ) from None


def _has_surrogate(annotation: Annotation) -> bool:
    fields = (annotation.quote, annotation.prefix, annotation.suffix, annotation.note,
              annotation.author, annotation.article, annotation.id, *annotation.tags)  # fmt: skip
    return any(_SURROGATE.search(value) for value in fields)


def _render(
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    fmt: Format,
    by: Grouping,
    stamp: str,
    for_file: bool,
    progress: Progress | None,
    raw: bool,
    memos: Sequence[Memo] = (),
) -> Rendered:
    spec = BY_NAME[fmt]
    rendered = spec.write(ExportJob(excerpts, tags, by, stamp, for_file, progress, raw, memos))
    if progress is not None and not spec.reports_progress:
        progress(len(excerpts), len(excerpts))
    return rendered


def write_atomically(path: Path, data: bytes, *, make_folder: bool = False) -> None:
    """Temp file in the same folder, fsync, rename: the old file or the new one, never half.

    A missing folder is made only when asked (the app's default export folder); a path typed
    on the command line into a folder that does not exist is more likely a typo.
    """
    path = Path(path)
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise UserError(f"{path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise UserError(f"{path}: is a folder; give a file name to export to")
        # An ordinary document: the umask decides a new file's mode, an old file keeps its own.
        replace_file(path, data, mode=None)
    except OSError as error:
        raise UserError(f"{path}: cannot write the export ({error.strerror or error})") from None
