"""The codebook as a file: our YAML and the REFI-QDA codebook (`.qdc`), out and back in.

`marginalia tags export/import` and the starter codebook go through here. The format is chosen
by the file's extension. Writing is deterministic (tags by name, no timestamps, GUIDs derived
from tag names with the `.qdpx` export's scheme), so exporting an unchanged codebook twice gives
the same bytes and a code keeps its GUID across the `.qdc` and `.qdpx` files.

In a `.qdc`, `Russia/war aims` is the Code `war aims` nested in the Code `Russia`. A parent
that is not itself a tag is written with `isCodable="false"` and read back as structure only,
so a round trip adds no tags. Colours go out as #RRGGBB (see `tui.export.colors`) and come back
as our ANSI names. REFI-QDA has no place for a quick key; a `.qdc` import keeps the store's keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree as ET

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as safe_xml

from tui import __version__

# Re-exported: which workspace starts from which codebook is `tui.config.starter_codebook`.
from tui.config import CODEBOOK_FILE as CODEBOOK_FILE
from tui.config import STARTER_CODEBOOK as STARTER_CODEBOOK
from tui.errors import UserError
from tui.export.colors import color_from_hex
from tui.export.parse import MAX_DEPTH, MAX_IMPORT_BYTES, read_codebook_yaml
from tui.export.refi_format import add_codes
from tui.export.render import write_atomically
from tui.export.yaml_format import CODEBOOK_FORMAT_ID, dump, tag_record
from tui.safe_read import UnsafeFile, read_regular
from tui.store.errors import StoreError
from tui.store.model import Tag
from tui.store.names import SEPARATOR, check_tag_name
from tui.store.store import AnnotationStore

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
CodebookFormat = Literal["yaml", "qdc"]
_SUFFIXES: dict[str, CodebookFormat] = {".yaml": "yaml", ".yml": "yaml", ".qdc": "qdc"}


def codebook_format(path: Path) -> CodebookFormat:
    """`yaml` or `qdc` by the file's extension; UserError for anything else."""
    kind = _SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise UserError(
            f"{path}: a codebook file ends in .yaml, .yml (marginalia) or .qdc (REFI-QDA)"
        )
    return kind


# -- writing ----------------------------------------------------------------------------------


def codebook_yaml(tags: Iterable[Tag]) -> bytes:
    """`format: marginalia-codebook/1` and one entry per tag, by name."""
    ordered = sorted(tags, key=lambda tag: tag.name)
    document = {"format": CODEBOOK_FORMAT_ID, "codebook": [tag_record(t) for t in ordered]}
    return dump(document).encode("utf-8")


def codebook_qdc(tags: Iterable[Tag]) -> bytes:
    """A REFI-QDA codebook (`<CodeBook>` in `urn:QDA-XML:codebook:1.0`), valid against
    Codebook.xsd."""
    ET.register_namespace("", CODEBOOK_NAMESPACE)
    book = ET.Element(_q("CodeBook"), {"origin": f"marginalia {__version__}"})
    add_codes(ET.SubElement(book, _q("Codes")), tags, _q)
    ET.indent(book, space="  ")
    body = ET.tostring(book, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _q(tag: str) -> str:
    return f"{{{CODEBOOK_NAMESPACE}}}{tag}"


def write_codebook(path: Path, tags: Sequence[Tag]) -> None:
    """Write the codebook in the format the extension names, atomically."""
    path = Path(path)
    data = codebook_qdc(tags) if codebook_format(path) == "qdc" else codebook_yaml(tags)
    write_atomically(path, data)


# -- reading ----------------------------------------------------------------------------------


def read_codebook(path: Path) -> tuple[Tag, ...]:
    """The tags of a codebook file (YAML codebook, YAML excerpts export, or `.qdc`)."""
    path = Path(path)
    if codebook_format(path) == "yaml":
        return read_codebook_yaml(path)
    return read_qdc(path)


def read_qdc(path: Path) -> tuple[Tag, ...]:
    """The codable Codes of a REFI-QDA codebook as tags; UserError naming the file if bad.

    The file is untrusted: only a regular file, its size capped; the hardened parser refuses
    a DOCTYPE (entities) in any encoding; codes nested deeper than any codebook has are
    refused. A `/` in a code's own name (other tools allow it) makes a level of our hierarchy.
    """
    path = Path(path)
    try:
        raw = read_regular(path, MAX_IMPORT_BYTES, what="a codebook")
    except UnsafeFile as error:
        raise UserError(f"{error}; nothing was imported") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        # The parser decides the encoding (UTF-16 too), so the DTD is refused by the parser
        # itself, not by searching bytes that a UTF-16 file spells otherwise.
        book = safe_xml.fromstring(raw, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise UserError(
            f"{path}: a DOCTYPE or ENTITY is not allowed in a codebook; nothing was imported"
        ) from None
    except ET.ParseError as error:
        line = error.position[0]
        raise UserError(f"{path}: line {line}: not well-formed XML ({error})") from None
    if book.tag != _q("CodeBook"):
        raise UserError(
            f"{path}: not a REFI-QDA codebook (expected <CodeBook> in {CODEBOOK_NAMESPACE})"
        )
    codes = book.find(_q("Codes"))
    tags: dict[str, Tag] = {}
    for code in codes.findall(_q("Code")) if codes is not None else ():
        _read_code(path, code, (), tags)
    return tuple(tags.values())


def _read_code(path: Path, code: ET.Element, parent: tuple[str, ...], into: dict[str, Tag]) -> None:
    if len(parent) >= MAX_DEPTH:
        raise UserError(f"{path}: codes nested deeper than {MAX_DEPTH} levels; not a codebook")
    raw_name = code.get("name")
    if not raw_name or not raw_name.strip():
        where = SEPARATOR.join(parent) or "the top level"
        raise UserError(f"{path}: a Code under {where} has no name")
    try:
        name = check_tag_name(SEPARATOR.join((*parent, raw_name)), entry=False)
    except StoreError as error:
        raise UserError(f"{path}: {error}") from None
    raw_color = code.get("color")
    color = color_from_hex(raw_color) if raw_color else ""
    if color is None:
        raise UserError(f"{path}: code {name!r}: color {raw_color!r} is not #RRGGBB")
    description_element = code.find(_q("Description"))
    description = (description_element.text or "") if description_element is not None else ""
    codable = code.get("isCodable", "true").strip() in ("true", "1")
    if codable or color or description:
        if name in into:
            raise UserError(f"{path}: the code {name!r} appears twice")
        into[name] = Tag(name, color, None, description)
    for child in code.findall(_q("Code")):
        _read_code(path, child, tuple(name.split(SEPARATOR)), into)


# -- the starter codebook ---------------------------------------------------------------------


def codebook_file_for(db: Path) -> Path | None:
    """`codebook.yaml` next to the store, if there is one. The seeds' starter codebook is
    only for their workspace, which `tui.config.starter_codebook` recognises."""
    candidate = Path(db).parent / CODEBOOK_FILE
    return candidate if candidate.is_file() else None


def seed_codebook(store: AnnotationStore, path: Path | None = None) -> int:
    """Load the starter codebook into a store that has never had one; tags added (0 if not).

    Cheap when there is nothing to do (the store says it was seeded, or already has tags),
    so the app and the CLI can call it on every start. A malformed file is a UserError
    naming the file, the line and the problem, and nothing is loaded.
    """
    if store.codebook_seeded or store.tags():
        return 0
    source = path if path is not None else codebook_file_for(store.path)
    if source is None:
        return 0
    return store.seed_codebook(read_codebook(source), source=str(source))
