"""REFI-QDA project exchange (`.qdpx`), so ATLAS.ti, NVivo, MAXQDA and QualCoder open the work.

A `.qdpx` is a zip of `project.qde` (QDA-XML 1.0, `urn:QDA-XML:project:1.0`) and a lower-case
`sources/` folder. Each article is one TextSource whose clean text is written to
`sources/<guid>.txt` as UTF-8 with LF line ends, and every PlainTextSelection counts code points
into exactly that text, 0-based, end exclusive (field-notes.md). No byte-order mark anywhere.

GUIDs are uuid5 values derived from our ids, and zip entries carry a fixed date, so exporting
the same work twice gives files that differ only in the project's creation time.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from tui import __version__
from tui.corpus.model import Article
from tui.export.colors import ansi_hex
from tui.export.excerpts import Excerpt, parse_timestamp
from tui.export.formats import ExportJob, Rendered
from tui.store.model import Tag

NAMESPACE = "urn:QDA-XML:project:1.0"
# The uuid5 namespace of every GUID we mint. Fixed for good: changing it would change every
# GUID, and re-exports would no longer diff cleanly against older ones.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:marginalia:refi-qda")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEX_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
# Tag colours may be terminal colour names; REFI wants #RRGGBB.
_NAMED_COLORS = {
    "black": "#000000",
    "red": "#CD3131",
    "green": "#0DBC79",
    "yellow": "#E5E510",
    "blue": "#2472C8",
    "magenta": "#BC3FBC",
    "cyan": "#11A8CD",
    "white": "#E5E5E5",
    "orange": "#FFA500",
    "purple": "#800080",
    "pink": "#FFC0CB",
    "brown": "#A52A2A",
    "gray": "#808080",
    "grey": "#808080",
}


def guid(kind: str, key: str) -> str:
    """A stable GUID for one of our things (`article`, `annotation`, `code`, `user`, ...)."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def xml_text(value: str) -> str:
    """XML 1.0 cannot carry most C0 controls even escaped; they become U+FFFD."""
    return _XML_INVALID.sub("\ufffd", value)


def xsd_datetime(value: str) -> str | None:
    parsed = parse_timestamp(value)
    return parsed.isoformat().replace("+00:00", "Z") if parsed is not None else None


def rgb(color: str) -> str | None:
    color = color.strip()
    if _HEX_COLOR.fullmatch(color):
        return color.upper()
    return ansi_hex(color) or _NAMED_COLORS.get(color.lower())


@dataclass(frozen=True, slots=True)
class RefiExport:
    data: bytes
    # Excerpts left out because their article is missing or their anchor is orphaned: their
    # offsets do not point into any text this project contains.
    skipped: tuple[str, ...] = field(default=())


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


@dataclass
class _CodeNode:
    """One Code of the tree: the tag it is (None for a parent only implied by a path)."""

    tag: Tag | None = None
    children: dict[str, _CodeNode] = field(default_factory=dict)


def add_codes(
    parent: ET.Element, tags: Iterable[Tag], qualify: Callable[[str], str]
) -> dict[str, str]:
    """The tags as nested `<Code>`s under `parent` (`A/B` is the child `B` of `A`), for a
    project (.qde) and a codebook (.qdc) alike; returns each tag's GUID.

    A parent that exists only as a path is structure: written with `isCodable="false"`, and
    read back as no tag. `qualify` puts an element name in the document's namespace.
    """
    root = _CodeNode()
    for tag in tags:
        node = root
        for part in tag.path or (tag.name,):
            node = node.children.setdefault(part, _CodeNode())
        node.tag = tag
    guids: dict[str, str] = {}

    def add(under: ET.Element, path: tuple[str, ...], node: _CodeNode) -> None:
        attributes = {
            "guid": guid("code", "/".join(path)),
            "name": xml_text(path[-1]),
            "isCodable": "true" if node.tag is not None else "false",
        }
        if node.tag is not None:
            guids[node.tag.name] = attributes["guid"]
            if color := rgb(node.tag.color):
                attributes["color"] = color
        element = ET.SubElement(under, qualify("Code"), attributes)
        if node.tag is not None and node.tag.description:
            ET.SubElement(element, qualify("Description")).text = xml_text(node.tag.description)
        for name in sorted(node.children):
            add(element, (*path, name), node.children[name])

    for name in sorted(root.children):
        add(parent, (name,), root.children[name])
    return guids


def project_xml(
    excerpts: Sequence[Excerpt], tags: Sequence[Tag], *, exported: str, name: str
) -> tuple[bytes, dict[str, str], tuple[str, ...]]:
    """project.qde bytes, the source files (path -> text) and the ids of skipped excerpts."""
    ET.register_namespace("", NAMESPACE)
    project = ET.Element(
        _q("Project"),
        {"name": xml_text(name), "origin": f"marginalia {__version__}"},
    )
    if when := xsd_datetime(exported):
        project.set("creationDateTime", when)

    placed: list[Excerpt] = []
    skipped: list[str] = []
    for excerpt in excerpts:
        if excerpt.article is not None and excerpt.annotation.anchor != "orphaned":
            placed.append(excerpt)
        else:
            skipped.append(excerpt.annotation.id)
    authors = sorted({e.annotation.author for e in placed if e.annotation.author})
    if authors:
        users = ET.SubElement(project, _q("Users"))
        for author in authors:
            ET.SubElement(
                users, _q("User"), {"guid": guid("user", author), "name": xml_text(author)}
            )

    tag_names = {name for e in placed for name in e.annotation.tags}
    code_guids: dict[str, str] = {}
    if tag_names:
        codes = ET.SubElement(ET.SubElement(project, _q("CodeBook")), _q("Codes"))
        by_name = {tag.name: tag for tag in tags}
        code_guids = add_codes(codes, [by_name.get(n, Tag(name=n)) for n in tag_names], _q)

    files: dict[str, str] = {}
    if placed:
        sources = ET.SubElement(project, _q("Sources"))
        current: ET.Element | None = None
        for excerpt in placed:
            article = excerpt.article
            assert article is not None  # filtered above
            source_guid = guid("article", article.id)
            if current is None or current.get("guid") != source_guid:
                current = ET.SubElement(
                    sources,
                    _q("TextSource"),
                    {
                        "guid": source_guid,
                        "name": xml_text(article.title or article.id),
                        "plainTextPath": f"internal://{source_guid}.txt",
                    },
                )
                files[f"sources/{source_guid}.txt"] = article.text
                if details := _source_details(article):
                    ET.SubElement(current, _q("Description")).text = xml_text(details)
            current.append(_selection(excerpt, code_guids))
    ET.indent(project, space="  ")
    # Declaration written by hand: double quotes, as every QDA tool's own files have them.
    body = ET.tostring(project, encoding="unicode")
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
    return xml, files, tuple(skipped)


def _source_details(article: Article) -> str:
    """Where the article comes from, one `field: value` line each, for a TextSource."""
    fields = {
        "source": article.source or "",
        "author": article.author or "",
        "date": article.metadata.get("date", ""),
        "url": article.metadata.get("url", ""),
    }
    return "\n".join(f"{name}: {value}" for name, value in fields.items() if value)


def _selection(excerpt: Excerpt, code_guids: dict[str, str]) -> ET.Element:
    a = excerpt.annotation
    user = guid("user", a.author) if a.author else None
    attributes = {
        "guid": guid("annotation", a.id),
        "name": xml_text(a.quote[:80]),
        "startPosition": str(a.start),
        "endPosition": str(a.end),
    }
    created = xsd_datetime(a.created)
    modified = xsd_datetime(a.updated)
    if user:
        attributes["creatingUser"] = user
    if created:
        attributes["creationDateTime"] = created
    if user:
        attributes["modifyingUser"] = user
    if modified:
        attributes["modifiedDateTime"] = modified
    selection = ET.Element(_q("PlainTextSelection"), attributes)
    if a.note:
        ET.SubElement(selection, _q("Description")).text = xml_text(a.note)
    for tag in a.tags:
        coding_attributes = {"guid": guid("coding", f"{a.id}\x1f{tag}")}
        if user:
            coding_attributes["creatingUser"] = user
        if created:
            coding_attributes["creationDateTime"] = created
        coding = ET.SubElement(selection, _q("Coding"), coding_attributes)
        ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code_guids[tag]})
    return selection


def to_qdpx(
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    *,
    exported: str,
    name: str = "marginalia export",
) -> RefiExport:
    xml, files, skipped = project_xml(excerpts, tags, exported=exported, name=name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in [("project.qde", xml)] + [
            (path, text.encode("utf-8")) for path, text in sorted(files.items())
        ]:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return RefiExport(data=buffer.getvalue(), skipped=skipped)


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    refi = to_qdpx(job.excerpts, job.tags, exported=job.exported)
    return Rendered(refi.data, len(job.excerpts) - len(refi.skipped), refi.skipped)
