"""Store + corpus -> YAML, Markdown, CSV, W3C JSON-LD, REFI-QDA, and import back.

Exporting is two steps: choose the excerpts (`store_excerpts`: filter, anchor to the current
clean text, reading order), then `render` them in a format and `write_atomically`. Importing
is `import_file`: parse and validate, plan the merge, apply it in one store write.
"""

from tui.export.excerpts import Excerpt, ExportFilter, parse_since, store_excerpts, used_tags
from tui.export.importer import ImportReport, MergePlan, import_file, plan_merge
from tui.export.parse import ImportedFile, read_import
from tui.export.render import (
    FORMATS,
    GROUPINGS,
    Format,
    Rendered,
    default_filename,
    render,
    write_atomically,
)

__all__ = [
    "FORMATS",
    "GROUPINGS",
    "Excerpt",
    "ExportFilter",
    "Format",
    "ImportReport",
    "ImportedFile",
    "MergePlan",
    "Rendered",
    "default_filename",
    "import_file",
    "parse_since",
    "plan_merge",
    "read_import",
    "render",
    "store_excerpts",
    "used_tags",
    "write_atomically",
]
