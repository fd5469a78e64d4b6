"""The export formats: one registry from which the CLI's choices and help, the app's dialog,
the dispatch in `render.py` and the import refusals in `parse.py` are all derived.

Adding a format: write its module with a `write_export(job) -> Rendered` function, add its
name to `Format` and one `ExportFormat` entry to `REGISTRY`. Nothing else lists formats.

Kept apart from the writers, which are named here by "module:function" and imported only when
used, so that offering the choices loads no YAML, XML or zip code: `marginalia` builds every
subcommand's parser before it opens the reader.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, cast, get_args

if TYPE_CHECKING:
    from tui.export.excerpts import Excerpt
    from tui.store.model import Memo, Tag

Format = Literal["yaml", "markdown", "csv", "w3c", "refi", "hypothesis"]
Grouping = Literal["article", "tag"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What every writer is given: the selected excerpts and the codebook they use."""

    excerpts: Sequence[Excerpt]
    tags: Sequence[Tag]
    by: Grouping
    exported: str  # the export's timestamp, ISO 8601 UTC
    for_file: bool  # a file rather than standard output (CSV's byte-order mark)
    progress: Progress | None
    raw: bool = False  # CSV cells exactly as stored: no formula guard (for analysis scripts)
    memos: Sequence[Memo] = ()  # on the project and the articles chosen (YAML, Markdown, REFI)


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    count: int
    # Excerpt ids a format could not carry (REFI-QDA: orphaned or article missing).
    skipped: tuple[str, ...] = ()
    # What the summary should add (REFI-QDA: codes renamed to be unique).
    notes: tuple[str, ...] = ()


Writer = Callable[[ExportJob], Rendered]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: Format
    label: str  # the export dialog's choice
    help: str  # the CLI's `--format` help, after the name
    suffixes: tuple[str, ...]  # file name endings that mean it, the default file's first
    binary: bool  # not text: never written to a terminal
    importable: bool  # `marginalia import` reads it back (through `tui.export.parse`)
    writer: str  # "module:function" taking an ExportJob, returning Rendered
    reports_progress: bool = False  # the writer calls `job.progress` itself
    kind: str = ""  # how an import refusal names it ("a CSV export cannot be imported")
    in_dialog: bool = True  # offered by the app's export dialog (else the command line only)
    whole_codebook: bool = False  # carries every tag, used or not (else the tags in use)

    @property
    def extension(self) -> str:
        """Of a default file name: `yaml` for `export-20261121-120000.yaml`."""
        return self.suffixes[0].removeprefix(".")

    def write(self, job: ExportJob) -> Rendered:
        module, _, function = self.writer.partition(":")
        return cast(Writer, getattr(importlib.import_module(module), function))(job)


REGISTRY: tuple[ExportFormat, ...] = (
    ExportFormat(
        "yaml", "YAML (importable)", "default; importable", (".yaml", ".yml"),
        binary=False, importable=True, writer="tui.export.yaml_format:write_export",
        reports_progress=True, kind="YAML",
        whole_codebook=True,  # a backup: codes not yet applied, and their descriptions
    ),
    ExportFormat(
        "markdown", "Markdown (to read)", "for reading", (".md",),
        binary=False, importable=False, writer="tui.export.markdown_format:write_export",
        kind="Markdown",
    ),
    ExportFormat(
        "csv", "CSV (spreadsheets)", "for spreadsheets", (".csv",),
        binary=False, importable=False, writer="tui.export.csv_format:write_export",
        kind="CSV",
    ),
    ExportFormat(
        "w3c", "W3C JSON-LD (importable)", "Web Annotation JSON-LD; importable",
        (".jsonld",), binary=False, importable=True,
        writer="tui.export.w3c_format:write_export", kind="W3C JSON-LD",
    ),
    ExportFormat(
        "refi", "REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA…)", "REFI-QDA .qdpx project; needs -o",
        (".qdpx",), binary=True, importable=False,
        writer="tui.export.refi_format:write_export", kind="REFI-QDA",
        whole_codebook=True,  # a project's codes not yet applied are lost otherwise
    ),
    ExportFormat(
        "hypothesis", "Hypothesis JSON (importable)", "Hypothesis client export; importable",
        (".json",), binary=False, importable=True,
        writer="tui.export.hypothesis_format:write_export", kind="Hypothesis JSON",
        in_dialog=False,  # the dialog's list fits 80x24 with five; the CLI writes it
    ),
)  # fmt: skip
BY_NAME: dict[Format, ExportFormat] = {spec.name: spec for spec in REGISTRY}
FORMATS: tuple[Format, ...] = tuple(BY_NAME)
DIALOG_FORMATS: tuple[Format, ...] = tuple(spec.name for spec in REGISTRY if spec.in_dialog)
# Formats written for people and other tools, not for coming back, by file suffix.
ONE_WAY_SUFFIXES: dict[str, str] = {
    suffix: spec.kind for spec in REGISTRY if not spec.importable for suffix in spec.suffixes
}


def tags_for_export(
    fmt: Format, excerpts: Sequence[Excerpt], known: Iterable[Tag], within: Sequence[str] = ()
) -> list[Tag]:
    """The tags an export of `fmt` carries: the ones in use, and for a format that carries
    the codebook (YAML, REFI-QDA) every other tag too, or, when the export is filtered by
    tag (`within`, the `--tag` names), every other tag within those: a filtered export is
    about those codes, an unfiltered one a backup of the whole project."""
    from tui.export.excerpts import codebook_tags, used_tags
    from tui.store.hierarchy import SEPARATOR, is_within

    known = list(known)
    if not BY_NAME[fmt].whole_codebook:
        return used_tags(excerpts, known)
    roots = [name.rstrip(SEPARATOR) for name in within]
    if roots:
        used = {name for excerpt in excerpts for name in excerpt.annotation.tags}
        known = [
            tag
            for tag in known
            if tag.name in used or any(is_within(tag.name, root) for root in roots)
        ]
    return codebook_tags(excerpts, known)


def format_help() -> str:
    """The CLI's `--format` help: every format with what it is for."""
    return ", ".join(f"{spec.name} ({spec.help})" for spec in REGISTRY)


def default_filename(fmt: Format, now: datetime | None = None) -> str:
    """`export-20261121-120000.yaml`: sortable, and never overwrites an earlier export."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"export-{stamp}.{BY_NAME[fmt].extension}"
