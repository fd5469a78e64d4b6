"""Read an export back: our YAML or our W3C JSON-LD, as Annotation records, or refuse it.

An import file is untrusted. Before anything is parsed the file's size is capped; YAML is read
event by event from libyaml (the C parser, safe loader semantics) into plain dicts and lists,
refusing every tag but the standard scalar ones (`!!python/object` and friends), anchors and
aliases (billion laughs), more than one document and nesting deeper than any export has (a deep
enough tree crashes libyaml's own composer, so we never call it). Then every field is checked
against the schema (`tui.export.import_checks`; W3C JSON-LD is read by
`tui.export.w3c_parse`), and every error names the file, the line and the problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from tui.errors import UserError
from tui.export.formats import ONE_WAY_SUFFIXES as ONE_WAY_EXPORTS
from tui.export.hypothesis_format import Foreign, is_hypothesis
from tui.export.import_checks import (
    Map,
    Problem,
    Seq,
    check_name,
    check_offset,
    check_tags,
    check_text,
    check_time,
    check_via,
    fail,
    held_name,
    line_of,
    mapping_of,
    sequence_of,
    tag_name,
    unique_annotations,
)
from tui.export.parse_records import (
    attributes_of,
    w3c_article_attributes,
    yaml_article_attributes,
    yaml_article_details,
    yaml_memos,
)
from tui.export.w3c_parse import w3c_annotations
from tui.export.yaml_format import CODEBOOK_FORMAT_ID, FORMAT_ID
from tui.safe_read import UnsafeFile, read_regular
from tui.store.model import Annotation, Memo, Tag
from tui.store.names import check_article_id, check_author
from tui.store.store import COLOR_PATTERN

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels; not an export"
ANCHOR_STATUSES = frozenset({"exact", "moved", "fuzzy", "orphaned"})
ImportKind = Literal["yaml", "w3c", "hypothesis"]

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml: the pure-Python safe parser, same events
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text written: our times are strings
}
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
# YAML 1.2 core schema (what ruamel.yaml and most current tools write): only these plain
# scalars are not strings. `yes`, `off`, `012` as octal and `1:30` as base 60 are YAML 1.1
# only; PyYAML's resolver would turn a tag `yes` into True (issue 13.5).
_CORE_RESOLVERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (_NULL, re.compile(r"(?:~|null|Null|NULL|)")),
    (_BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)")),
    (_INT, re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)")),
    (
        _FLOAT,
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
        ),
    ),
)
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: Path
    kind: ImportKind
    annotations: tuple[Annotation, ...]
    tags: tuple[Tag, ...]
    # Where each annotation was found, for messages: 1-based line in the file.
    lines: dict[str, int]
    # Each article's details as the file gives them (title, source, author, date, url).
    articles: dict[str, dict[str, str]] = field(default_factory=dict)
    # Each article's free attributes as the file gives them (checked by the store's rule).
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    # When the file was written (`exported`), to weigh its details against the store's.
    exported: str = ""
    # Other tools' annotations (W3C, Hypothesis), still to be matched to articles.
    foreign: tuple[Foreign, ...] = ()
    # Memos on the project and on articles (YAML), merged by id.
    memos: tuple[Memo, ...] = ()


# -- reading the file -------------------------------------------------------------------------


# Formats written for people and other tools, not for coming back: said before parsing, so the
# message is about the format rather than the first line that is not YAML.
ONE_WAY_SUFFIXES = {**ONE_WAY_EXPORTS, ".qdc": "codebook"}


def read_import(path: Path) -> ImportedFile:
    """Parse and validate `path`; raises UserError naming the file (and line) on any problem."""
    path = Path(path)
    if path.suffix.lower() in ONE_WAY_SUFFIXES:
        raise UserError(
            f"{path}: a {ONE_WAY_SUFFIXES[path.suffix.lower()]} export cannot be imported "
            "back (it leaves out what a merge needs); import the YAML or W3C JSON-LD export"
        )
    text = _read_capped(path)
    kind = _detect_kind(path, text)
    try:
        if kind == "w3c":
            try:
                data = json.loads(text, object_pairs_hook=_json_object)
            except json.JSONDecodeError as error:
                fail(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")
            except ValueError as error:  # e.g. a number with thousands of digits
                fail(None, f"not valid JSON: {error}")
            except RecursionError:
                fail(None, "nested too deeply to be an export")
            annotations, lines, foreign = w3c_annotations(data, text)
            if is_hypothesis(data):
                return ImportedFile(path, "hypothesis", annotations, (), lines, foreign=foreign)
            exported = data.get("generated") if isinstance(data, dict) else None
            return ImportedFile(
                path,
                "w3c",
                annotations,
                (),
                lines,
                foreign=foreign,
                attributes=w3c_article_attributes(data),
                exported=exported if isinstance(exported, str) else "",
            )
        data = _load_yaml(text)
        annotations, tags, lines = _yaml_annotations(data)
        exported = data.get("exported") if isinstance(data, Map) else None
        return ImportedFile(
            path,
            kind,
            annotations,
            tags,
            lines,
            articles=yaml_article_details(data),
            attributes=yaml_article_attributes(data),
            exported=exported if isinstance(exported, str) else "",
            memos=yaml_memos(data),
        )
    except Problem as problem:
        where = f"{path}: line {problem.line}" if problem.line else f"{path}"
        raise UserError(f"{where}: {problem.message}; nothing was imported") from None


def _read_capped(path: Path) -> str:
    """The file's text: a regular file (not a FIFO or device) of at most MAX_IMPORT_BYTES."""
    try:
        raw = read_regular(path, MAX_IMPORT_BYTES, what="an export")
    except UnsafeFile as error:
        raise UserError(f"{error}; nothing was imported") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UserError(
            f"{path}: line {line}: not UTF-8 (byte {error.start}); nothing was imported"
        ) from None
    return text.removeprefix("\ufeff")


def _detect_kind(path: Path, text: str) -> ImportKind:
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonld"):
        return "w3c"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "w3c" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            fail(None, f"the key {key!r} appears twice in one object")
        seen[key] = value
    return seen


# -- YAML, event by event ---------------------------------------------------------------------


def _events(text: str) -> Iterator[Any]:
    loader = _Loader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or ""
        if "nesting depth" in problem:
            # LibYAML 0.2.6+ stops at a depth of its own before our check sees the events.
            fail(line, _TOO_DEEP)
        fail(line, f"not valid YAML: {problem}")
    except yaml.YAMLError as error:
        fail(None, f"not valid YAML: {error}")
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    """`tag:yaml.org,2002:python/object` as the user wrote it: `!!python/object`."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


_NON_STRING_STARTS = frozenset("~nNtTfF0123456789+-.")


def core_tag(value: str, plain: bool) -> str:
    """The YAML 1.2 core schema tag of an untagged scalar; quoted scalars are strings."""
    if plain and (not value or value[0] in _NON_STRING_STARTS):
        for tag, pattern in _CORE_RESOLVERS:
            if pattern.fullmatch(value):
                return tag
    return _STR


def _core_value(tag: str, value: str) -> Any:
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        if value.startswith(("0o", "0x")):
            return int(value, 0)
        return int(value, 10)  # `012` is twelve in YAML 1.2
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return float(lowered.replace(".inf", "inf"))
    if lowered == ".nan":
        return float("nan")
    return float(value)


def _scalar(event: Any) -> Any:
    tag = event.tag
    value = event.value
    if tag in (None, "!"):
        # implicit[0]: plain (untagged and unquoted); a quoted scalar is always a string.
        tag = core_tag(value, plain=bool(event.implicit[0]) and not event.style)
        if tag == _STR:
            return value
    elif tag not in _SCALAR_TAGS:
        fail(_line(event), f"the YAML tag {_short_tag(tag)!r} is not allowed in an export")
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return value
    if event.tag not in (None, "!") and not any(
        t == tag and p.fullmatch(value) for t, p in _CORE_RESOLVERS
    ):
        # An explicit `!!int 1_000` or `!!bool yes`: only the core forms are numbers/booleans.
        fail(_line(event), f"the value {value[:40]!r} is not a usable {tag.rsplit(':', 1)[-1]}")
    try:
        return _core_value(tag, value)
    except ValueError:
        fail(_line(event), f"the value {value[:40]!r} is not a usable {tag.rsplit(':', 1)[-1]}")
    return None


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _load_yaml(text: str) -> Any:
    """One YAML document as Map/Seq/scalars, or a Problem."""
    stack: list[tuple[Map | Seq, str | None]] = []
    root: Any = None
    documents = 0

    def attach(value: Any, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container, key = stack[-1]
        if isinstance(container, Seq):
            container.append(value)
            container.lines.append(line)
        elif key is None:
            if not isinstance(value, str):
                fail(line, "a mapping key must be a plain string")
            if value in container:
                fail(line, f"the key {value!r} appears twice")
            stack[-1] = (container, value)
        else:
            container[key] = value
            container.lines[key] = line
            stack[-1] = (container, None)

    for event in _events(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                fail(line, "more than one YAML document; an export is one")
        elif isinstance(event, yaml.AliasEvent):
            fail(line, f"YAML aliases (*{event.anchor}) are not allowed in an export")
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            fail(line, f"YAML anchors (&{event.anchor}) are not allowed in an export")
        elif isinstance(event, yaml.ScalarEvent):
            attach(_scalar(event), line or 0)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            sequence = isinstance(event, yaml.SequenceStartEvent)
            if event.tag not in (None, "!", _SEQ if sequence else _MAP):
                fail(line, f"the YAML tag {_short_tag(event.tag)!r} is not allowed in an export")
            if len(stack) >= MAX_DEPTH:
                fail(line, _TOO_DEEP)
            container: Map | Seq = Seq(line or 0) if sequence else Map(line or 0)
            stack.append((container, None))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            finished, _ = stack.pop()
            attach(finished, finished.line)
    if documents == 0:
        fail(None, "the file is empty")
    return root


# -- our YAML ---------------------------------------------------------------------------------

_EXCERPT_FIELDS = frozenset(
    {
        "id",
        "article",
        "title",
        "quote",
        "tags",
        "note",
        "start",
        "end",
        "paragraph",
        "prefix",
        "suffix",
        "author",
        "created",
        "updated",
        "anchor",
        "text_hash",
        "via",
    }
)
_ARTICLE_FIELDS = frozenset(
    {"id", "title", "source", "author", "date", "url", "attributes", "excerpts"}
)
_TAG_GROUP_FIELDS = frozenset({"name", "excerpts"})
_CODEBOOK_FIELDS = frozenset({"name", "color", "key", "description"})
_TOP_FIELDS = frozenset({"format", "exported", "articles", "tags", "untagged", "memos", "codebook"})


def _excerpt(record: Any, line: int | None, article: str | None) -> Annotation:
    record = mapping_of(record, "an excerpt", line, _EXCERPT_FIELDS)
    for required in ("id", "quote", "start", "end"):
        if required not in record:
            fail(record.line, f"an excerpt has no `{required}`")
    if article is None:
        if "article" not in record:
            fail(record.line, "an excerpt grouped by tag has no `article`")
        article = held_name(
            check_article_id, record["article"], "article", line_of(record, "article")
        )
    elif "article" in record and record["article"] != article:
        fail(line_of(record, "article"), "the excerpt's `article` differs from its group's id")

    def text(name: str) -> str:
        """Optional text; `note:` left empty by hand reads as null and means ''."""
        value = record.get(name)
        return check_text("" if value is None else value, name, line_of(record, name))

    start = check_offset(record["start"], "start", line_of(record, "start"))
    end = check_offset(record["end"], "end", line_of(record, "end"))
    if end < start:
        fail(line_of(record, "end"), f"`end` ({end}) is before `start` ({start})")
    paragraph = record.get("paragraph")
    if paragraph is not None:
        check_offset(paragraph, "paragraph", line_of(record, "paragraph"), least=1)
    anchor = record.get("anchor", "exact")
    if anchor not in ANCHOR_STATUSES:
        fail(
            line_of(record, "anchor"),
            f"`anchor` must be one of {', '.join(sorted(ANCHOR_STATUSES))}",
        )
    for name in ("title",):
        text(name)
    author = text("author")
    if author:
        held_name(check_author, author, "author", line_of(record, "author"))
    return Annotation(
        id=check_name(record["id"], "id", line_of(record, "id")),
        article=article,
        start=start,
        end=end,
        quote=check_text(record["quote"], "quote", line_of(record, "quote")),
        prefix=text("prefix"),
        suffix=text("suffix"),
        tags=check_tags(record.get("tags", Seq(record.line)), line_of(record, "tags")),
        note=text("note"),
        author=author,
        created=check_time(record.get("created", ""), "created", line_of(record, "created")),
        updated=check_time(record.get("updated", ""), "updated", line_of(record, "updated")),
        text_hash=text("text_hash"),
        via=check_via(record.get("via") or "", line_of(record, "via")),
    )


def _codebook_tag(record: Any, line: int | None) -> Tag:
    record = mapping_of(record, "a codebook entry", line, _CODEBOOK_FIELDS)
    if "name" not in record:
        fail(record.line, "a codebook entry has no `name`")
    key = record.get("key")
    if key is not None and (type(key) is not int or not 1 <= key <= 9):
        fail(line_of(record, "key"), "`key` must be a digit from 1 to 9, or null")
    color = check_text(record.get("color") or "", "color", line_of(record, "color"))
    if color and not COLOR_PATTERN.fullmatch(color):
        fail(line_of(record, "color"), f"`color` {color[:40]!r} is not a colour name or #rrggbb")
    description = record.get("description") or ""
    return Tag(
        name=tag_name(record["name"], "name", line_of(record, "name")),
        color=color,
        key=key,
        description=check_text(description, "description", line_of(record, "description")),
    )


def _yaml_annotations(
    data: Any,
) -> tuple[tuple[Annotation, ...], tuple[Tag, ...], dict[str, int]]:
    top = mapping_of(data, "the file", 1, _TOP_FIELDS)
    if top.get("format") != FORMAT_ID:
        fail(
            line_of(top, "format") or 1,
            f"not a marginalia export (expected `format: {FORMAT_ID}`, "
            f"found {top.get('format')!r})",
        )
    if "exported" in top:
        check_time(top["exported"], "exported", line_of(top, "exported"))
    found: list[tuple[Annotation, int]] = []
    by_tag = "tags" in top or "untagged" in top
    if "articles" in top:
        # Grouped by article, each group holds its excerpts; grouped by tag, `articles` holds
        # only each cited article's details and attributes, once.
        groups = sequence_of(top["articles"], "articles", line_of(top, "articles"))
        for index, group in enumerate(groups):
            group = mapping_of(group, "an article", line_of(groups, index), _ARTICLE_FIELDS)
            if "id" not in group:
                fail(group.line, "an article has no `id`")
            article = held_name(check_article_id, group["id"], "id", line_of(group, "id"))
            for name in ("title", "source", "author", "date", "url"):
                if group.get(name) is not None:
                    check_text(group[name], name, line_of(group, name))
            if "attributes" in group:
                attributes_of(group["attributes"], line_of(group, "attributes"))
            if by_tag:
                if "excerpts" in group:
                    fail(
                        line_of(group, "excerpts"),
                        "an export grouped by tag lists excerpts under `tags`, not `articles`",
                    )
                continue
            items = sequence_of(group.get("excerpts", Seq(group.line)), "excerpts", group.line)
            for position, item in enumerate(items):
                line = line_of(items, position) or group.line
                found.append((_excerpt(item, line, article), line))
    if by_tag:
        groups = sequence_of(top.get("tags", Seq(1)), "tags", line_of(top, "tags"))
        for index, group in enumerate(groups):
            group = mapping_of(group, "a tag group", line_of(groups, index), _TAG_GROUP_FIELDS)
            items = sequence_of(group.get("excerpts", Seq(group.line)), "excerpts", group.line)
            for position, item in enumerate(items):
                line = line_of(items, position) or group.line
                found.append((_excerpt(item, line, None), line))
        untagged = sequence_of(top.get("untagged", Seq(1)), "untagged", line_of(top, "untagged"))
        for position, item in enumerate(untagged):
            line = line_of(untagged, position) or 1
            found.append((_excerpt(item, line, None), line))
    codebook = sequence_of(top.get("codebook", Seq(1)), "codebook", line_of(top, "codebook"))
    tags = tuple(_codebook_tag(item, line_of(codebook, i)) for i, item in enumerate(codebook))
    yaml_memos(top)  # checked here, so a bad memo refuses the file before anything is merged
    annotations, lines = unique_annotations(found)
    return annotations, tags, lines


def read_codebook_yaml(path: Path) -> tuple[Tag, ...]:
    """The tags of a codebook file, or of an excerpts export's `codebook:`; UserError if bad.

    A codebook file is `format: marginalia-codebook/1` and a `codebook:` list of entries
    (name, color, key, description), checked as strictly as an export's: one entry per name,
    one tag per key, and every error names the file and the line.
    """
    path = Path(path)
    text = _read_capped(path)
    try:
        data = _load_yaml(text)
        if isinstance(data, Map) and data.get("format") == FORMAT_ID:
            return _yaml_annotations(data)[1]
        top = mapping_of(data, "the file", 1, frozenset({"format", "codebook"}))
        if top.get("format") != CODEBOOK_FORMAT_ID:
            fail(
                line_of(top, "format") or 1,
                f"not a marginalia codebook (expected `format: {CODEBOOK_FORMAT_ID}`, "
                f"found {top.get('format')!r})",
            )
        if "codebook" not in top:
            fail(1, "no `codebook:` list of tags")
        entries = sequence_of(top["codebook"], "codebook", line_of(top, "codebook"))
        tags: list[Tag] = []
        names: dict[str, int] = {}
        keys: dict[int, str] = {}
        for index, entry in enumerate(entries):
            line = line_of(entries, index)
            tag = _codebook_tag(entry, line)
            if tag.name in names:
                fail(
                    line, f"the tag {tag.name!r} is listed twice (first at line {names[tag.name]})"
                )
            if tag.key is not None and tag.key in keys:
                fail(line, f"key {tag.key} is given to both {keys[tag.key]!r} and {tag.name!r}")
            names[tag.name] = line or 0
            if tag.key is not None:
                keys[tag.key] = tag.name
            tags.append(tag)
        return tuple(tags)
    except Problem as problem:
        where = f"{path}: line {problem.line}" if problem.line else f"{path}"
        raise UserError(f"{where}: {problem.message}; nothing was imported") from None
