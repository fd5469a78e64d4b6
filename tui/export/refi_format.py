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
from datetime import date
from xml.etree import ElementTree as ET

from tui import __version__
from tui.corpus.model import Article
from tui.export.colors import ansi_hex
from tui.export.excerpts import Excerpt, parse_timestamp
from tui.export.formats import ExportJob, Rendered
from tui.store.model import Memo, Tag, article_details

NAMESPACE = "urn:QDA-XML:project:1.0"
# The uuid5 namespace of every GUID we mint. Fixed for good: changing it would change every
# GUID, and re-exports would no longer diff cleanly against older ones.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:marginalia:refi-qda")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A terminal would obey these (`cat project.qde`); as character references the XML holds the
# same characters and shows none raw (issue 11.1). Only text and attribute values can hold them.
_RAW_IN_XML = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
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
    # Tags whose code name was made unique: tag -> the code's name in the project.
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the export's summary says about renamed codes (one line each)."""
        return tuple(
            f"code {tag!r} is named {name!r} in the project (code names must be unique)"
            for tag, name in self.renamed.items()
        )


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


@dataclass
class _CodeNode:
    """One Code of the tree: the tag it is (None for a parent only implied by a path)."""

    tag: Tag | None = None
    children: dict[str, _CodeNode] = field(default_factory=dict)


def unique_code_names(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """A name for each code path that no other code has (issue 13.1).

    QualCoder (and others) match codes by name: `Trump/dealmaker` and `Putin/dealmaker`, or a
    top-level `Russia` beside `Negotiating positions/Russia`, made it drop codings. A leaf
    name shared by several paths gets its parents in brackets, `dealmaker (Trump)`, as a QDA
    user would write it; a top-level code keeps its plain name.
    """
    paths = sorted(set(paths))
    by_leaf: dict[str, list[tuple[str, ...]]] = {}
    for path in paths:
        by_leaf.setdefault(path[-1], []).append(path)
    names: dict[tuple[str, ...], str] = {}
    for leaf, holders in by_leaf.items():
        for path in holders:
            shared = len(holders) > 1 and len(path) > 1
            names[path] = f"{leaf} ({'/'.join(path[:-1])})" if shared else leaf
    taken: dict[str, int] = {}
    for path in paths:  # a real code may already be called `dealmaker (Trump)`
        name = names[path]
        taken[name] = taken.get(name, 0) + 1
        if taken[name] > 1:
            names[path] = f"{name} #{taken[name]}"
    return names


def add_codes(
    parent: ET.Element,
    tags: Iterable[Tag],
    qualify: Callable[[str], str],
    renamed: dict[str, str] | None = None,
) -> dict[str, str]:
    """The tags as nested `<Code>`s under `parent` (`A/B` is the child `B` of `A`), for a
    project (.qde) and a codebook (.qdc) alike; returns each tag's GUID.

    A parent that exists only as a path is structure: written with `isCodable="false"`, and
    read back as no tag. `qualify` puts an element name in the document's namespace. Given
    `renamed`, code names are made unique (`unique_code_names`) and each tag whose code name
    is not its leaf name is put there (tag -> code name), for the export's summary.
    """
    root = _CodeNode()
    for tag in tags:
        node = root
        for part in tag.path or (tag.name,):
            node = node.children.setdefault(part, _CodeNode())
        node.tag = tag
    guids: dict[str, str] = {}
    all_paths: list[tuple[str, ...]] = []

    def collect(path: tuple[str, ...], node: _CodeNode) -> None:
        all_paths.append(path)
        for name, child in node.children.items():
            collect((*path, name), child)

    for name, child in root.children.items():
        collect((name,), child)
    code_names = (
        unique_code_names(all_paths)
        if renamed is not None
        else {path: path[-1] for path in all_paths}  # a .qdc, read back by path (codebook.py)
    )

    def add(under: ET.Element, path: tuple[str, ...], node: _CodeNode) -> None:
        if renamed is not None and code_names[path] != path[-1]:
            renamed["/".join(path)] = code_names[path]
        attributes = {
            "guid": guid("code", "/".join(path)),
            "name": xml_text(code_names[path]),
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
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    *,
    exported: str,
    name: str,
    renamed: dict[str, str] | None = None,
    memos: Sequence[Memo] = (),
) -> tuple[bytes, dict[str, str], tuple[str, ...]]:
    """project.qde bytes, the source files (path -> text) and the ids of skipped excerpts;
    tags whose code got a longer name to be unique go into `renamed`. Memos become `<Note>`s
    (see `_add_notes`)."""
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
    authors = sorted(
        {e.annotation.author for e in placed if e.annotation.author}
        | {memo.author for memo in memos if memo.author}
    )
    if authors:
        users = ET.SubElement(project, _q("Users"))
        for author in authors:
            ET.SubElement(
                users, _q("User"), {"guid": guid("user", author), "name": xml_text(author)}
            )

    # The whole codebook given, used or not (unused codes were lost), plus any tag in use.
    by_name = {tag.name: tag for tag in tags}
    for name in sorted({name for e in placed for name in e.annotation.tags}):
        by_name.setdefault(name, Tag(name=name))
    code_guids: dict[str, str] = {}
    if by_name:
        codes = ET.SubElement(ET.SubElement(project, _q("CodeBook")), _q("Codes"))
        code_guids = add_codes(codes, by_name.values(), _q, renamed)
    variables = _add_variables(project, placed)

    files: dict[str, str] = {}
    if placed:
        sources = ET.SubElement(project, _q("Sources"))
        current: ET.Element | None = None
        current_excerpt = placed[0]
        for excerpt in placed:
            article = excerpt.article
            assert article is not None  # filtered above
            source_guid = guid("article", article.id)
            if current is None or current.get("guid") != source_guid:
                if current is not None:
                    _add_note_refs(current, current_excerpt.annotation.article, memos)
                    _add_variable_values(current, current_excerpt, variables)
                current_excerpt = excerpt
                # Named by the id: QualCoder names its copy of the file after `name`, and a
                # title with `/` failed there. The title is a variable and in the description.
                attributes = {
                    "guid": source_guid,
                    "name": xml_text(article.id),
                    "plainTextPath": f"internal://{source_guid}.txt",
                }
                first = min(
                    (e.annotation for e in placed if e.annotation.article == article.id),
                    key=lambda a: (a.created or "\uffff", a.id),
                )
                if first.author:
                    attributes["creatingUser"] = guid("user", first.author)
                if first.created and (when := xsd_datetime(first.created)):
                    attributes["creationDateTime"] = when
                current = ET.SubElement(sources, _q("TextSource"), attributes)
                files[f"sources/{source_guid}.txt"] = article.text
                if details := _source_details(article):
                    ET.SubElement(current, _q("Description")).text = xml_text(details)
            current.append(_selection(excerpt, code_guids))
        if current is not None:
            _add_note_refs(current, current_excerpt.annotation.article, memos)
            _add_variable_values(current, current_excerpt, variables)
    _add_notes(project, memos)
    ET.indent(project, space="  ")
    # Declaration written by hand: double quotes, as every QDA tool's own files have them.
    body = _RAW_IN_XML.sub(
        lambda m: f"&#x{ord(m.group()):X};", ET.tostring(project, encoding="unicode")
    )
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
    return xml, files, tuple(skipped)


# Article details as REFI variables (QualCoder imports them as file attributes), then the
# article's free attributes, each a Text variable under its own name (no attribute may be
# named like a detail, so the names never clash).
VARIABLES = ("title", "author", "source", "date", "url")


def _article_variables(excerpt: Excerpt) -> dict[str, str]:
    assert excerpt.article is not None
    details = article_details(excerpt.article)
    found = {name: details[name] for name in VARIABLES if details[name]}
    found.update({name: value for name, value in excerpt.attributes.items() if value})
    return found


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _add_variables(project: ET.Element, placed: Sequence[Excerpt]) -> dict[str, tuple[str, str]]:
    """`<Variables>` for the details and attributes the articles have: name -> (GUID, type)."""
    seen: dict[str, list[str]] = {}
    for excerpt in placed:
        for name, value in _article_variables(excerpt).items():
            seen.setdefault(name, []).append(value)
    if not seen:
        return {}
    element = ET.SubElement(project, _q("Variables"))
    variables: dict[str, tuple[str, str]] = {}
    attributes = sorted(set(seen) - set(VARIABLES), key=lambda n: (n.casefold(), n))
    for name in (*VARIABLES, *attributes):
        if name not in seen:
            continue
        kind = "Date" if name == "date" and all(map(_is_date, seen[name])) else "Text"
        # An attribute's GUID is keyed apart from the details', should one ever share a name.
        key = name if name in VARIABLES else f"attribute:{name}"
        variables[name] = (guid("variable", key), kind)
        ET.SubElement(
            element,
            _q("Variable"),
            {"guid": variables[name][0], "name": xml_text(name), "typeOfVariable": kind},
        )
    return variables


def _add_variable_values(
    source: ET.Element, excerpt: Excerpt, variables: dict[str, tuple[str, str]]
) -> None:
    for name, value in _article_variables(excerpt).items():
        variable_guid, kind = variables[name]
        holder = ET.SubElement(source, _q("VariableValue"))
        ET.SubElement(holder, _q("VariableRef"), {"targetGUID": variable_guid})
        ET.SubElement(holder, _q(f"{kind}Value")).text = xml_text(value)


def _source_details(article: Article) -> str:
    """Where the article comes from, one `field: value` line each, for a TextSource (a memo
    for people; the same details are its variables)."""
    details = article_details(article)
    return "\n".join(f"{name}: {value}" for name, value in details.items() if value)


def _add_notes(project: ET.Element, memos: Sequence[Memo]) -> None:
    """Every memo as a `<Note>` (a TextSource holding its text, by its author, dated); the
    project's memos are referenced by the project's `<NoteRef>`s, an article's by its
    source's (`_add_note_refs`), as QualCoder and the REFI-QDA standard read memos. A memo
    on an article the project has no source for is still a Note, named after the article."""
    if not memos:
        return
    notes = ET.Element(_q("Notes"))
    for memo in sorted(memos, key=lambda m: (m.article, m.created, m.id)):
        where = f"memo on {memo.article}" if memo.article else "project memo"
        attributes = {"guid": guid("memo", memo.id), "name": xml_text(where)}
        if memo.author:
            attributes["creatingUser"] = guid("user", memo.author)
        if when := xsd_datetime(memo.created):
            attributes["creationDateTime"] = when
        if memo.author:
            attributes["modifyingUser"] = guid("user", memo.author)
        if when := xsd_datetime(memo.updated):
            attributes["modifiedDateTime"] = when
        note = ET.SubElement(notes, _q("Note"), attributes)
        ET.SubElement(note, _q("PlainTextContent")).text = xml_text(memo.text)
    # In the schema's order: after Sources, before the project's Description and NoteRefs.
    later = {_q(name) for name in ("Links", "Sets", "Graphs", "Description", "NoteRef")}
    position = next((i for i, child in enumerate(project) if child.tag in later), len(project))
    project.insert(position, notes)
    for memo in memos:
        if not memo.article:
            ET.SubElement(project, _q("NoteRef"), {"targetGUID": guid("memo", memo.id)})


def _add_note_refs(source: ET.Element, article_id: str, memos: Sequence[Memo]) -> None:
    """The source's memos, after its selections and before its variable values."""
    for memo in sorted(memos, key=lambda m: (m.created, m.id)):
        if memo.article == article_id:
            ET.SubElement(source, _q("NoteRef"), {"targetGUID": guid("memo", memo.id)})


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
    memos: Sequence[Memo] = (),
) -> RefiExport:
    renamed: dict[str, str] = {}
    xml, files, skipped = project_xml(
        excerpts, tags, exported=exported, name=name, renamed=renamed, memos=memos
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in [("project.qde", xml)] + [
            (path, text.encode("utf-8")) for path, text in sorted(files.items())
        ]:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return RefiExport(data=buffer.getvalue(), skipped=skipped, renamed=renamed)


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    refi = to_qdpx(job.excerpts, job.tags, exported=job.exported, memos=job.memos)
    return Rendered(refi.data, len(job.excerpts) - len(refi.skipped), refi.skipped, refi.notes)
