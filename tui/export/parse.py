"""Read an export back: our YAML or our W3C JSON-LD, as Annotation records, or refuse it.

An import file is untrusted. Before anything is parsed the file's size is capped; YAML is read
event by event from libyaml (the C parser, safe loader semantics) into plain dicts and lists,
refusing every tag but the standard scalar ones (`!!python/object` and friends), anchors and
aliases (billion laughs), more than one document and nesting deeper than any export has (a deep
enough tree crashes libyaml's own composer, so we never call it). Then every field is checked
against the schema, and every error names the file, the line and the problem.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, NoReturn

import yaml

from tui.errors import UserError
from tui.export.excerpts import parse_timestamp
from tui.export.w3c_format import annotation_id_from_iri, article_id_from_iri
from tui.export.yaml_format import CODEBOOK_FORMAT_ID, FORMAT_ID
from tui.safe_read import UnsafeFile, read_regular
from tui.store.errors import StoreError
from tui.store.model import MAX_AUTHOR, MAX_NOTE, MAX_TAG_NAME, Annotation, Tag
from tui.store.names import check_article_id, check_author, check_tag_name
from tui.store.store import COLOR_PATTERN

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
# Offsets and paragraph numbers: far past any article, far below what the store's JSON holds.
MAX_POSITION = 10**9
# A time later than now by more than this is refused: a day covers a clock set to local time
# but labelled UTC (at most 14 hours off) plus drift, while `updated: 9999-12-31` would
# otherwise win every later merge by its stamp alone.
CLOCK_SKEW = timedelta(days=1)
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels; not an export"
# Per-field caps (code points): generous for news text, small enough to refuse garbage.
MAX_LENGTH = {
    "id": 200,
    "article": 500,
    "title": 5_000,
    "source": 5_000,
    "date": 200,
    "url": 5_000,
    "tag": MAX_TAG_NAME,
    "author": MAX_AUTHOR,
    "created": 64,
    "updated": 64,
    "prefix": 1_000,
    "suffix": 1_000,
    "quote": 1_000_000,
    "note": MAX_NOTE,
    "text_hash": 200,
    "description": 10_000,
    "color": 64,
}
ANCHOR_STATUSES = frozenset({"exact", "moved", "fuzzy", "orphaned"})
ImportKind = Literal["yaml", "w3c"]

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
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: Path
    kind: ImportKind
    annotations: tuple[Annotation, ...]
    tags: tuple[Tag, ...]
    # Where each annotation was found, for messages: 1-based line in the file.
    lines: dict[str, int]


class _Map(dict):  # type: ignore[type-arg]
    """A YAML/JSON mapping that remembers the line of itself and of each value."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class _Seq(list):  # type: ignore[type-arg]
    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


class _Problem(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _fail(line: int | None, message: str) -> NoReturn:
    raise _Problem(line, message)


# -- reading the file -------------------------------------------------------------------------


# Formats written for people and other tools, not for coming back: said before parsing, so the
# message is about the format rather than the first line that is not YAML.
ONE_WAY_SUFFIXES = {".csv": "CSV", ".md": "Markdown", ".qdpx": "REFI-QDA", ".qdc": "codebook"}


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
                _fail(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")
            except ValueError as error:  # e.g. a number with thousands of digits
                _fail(None, f"not valid JSON: {error}")
            except RecursionError:
                _fail(None, "nested too deeply to be an export")
            annotations, lines = _w3c_annotations(data, text)
            return ImportedFile(path, kind, annotations, (), lines)
        data = _load_yaml(text)
        annotations, tags, lines = _yaml_annotations(data)
        return ImportedFile(path, kind, annotations, tags, lines)
    except _Problem as problem:
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
            _fail(None, f"the key {key!r} appears twice in one object")
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
            _fail(line, _TOO_DEEP)
        _fail(line, f"not valid YAML: {problem}")
    except yaml.YAMLError as error:
        _fail(None, f"not valid YAML: {error}")
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    """`tag:yaml.org,2002:python/object` as the user wrote it: `!!python/object`."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _scalar(event: Any, resolver: Any) -> Any:
    line = event.start_mark.line + 1
    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _SCALAR_TAGS:
        _fail(line, f"the YAML tag {_short_tag(tag)!r} is not allowed in an export")
    value = event.value
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return value
    node = yaml.ScalarNode(tag, value)
    constructor = yaml.constructor.SafeConstructor()
    try:
        if tag == "tag:yaml.org,2002:int":
            return constructor.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:float":
            return constructor.construct_yaml_float(node)
        if tag == "tag:yaml.org,2002:bool":
            return constructor.construct_yaml_bool(node)
    except ValueError:
        _fail(line, f"the value {value[:40]!r} is not a usable {tag.rsplit(':', 1)[-1]}")
    return None


def _load_yaml(text: str) -> Any:
    """One YAML document as _Map/_Seq/scalars, or a _Problem."""
    resolver = yaml.resolver.Resolver()
    stack: list[tuple[_Map | _Seq, str | None]] = []
    root: Any = None
    documents = 0

    def attach(value: Any, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container, key = stack[-1]
        if isinstance(container, _Seq):
            container.append(value)
            container.lines.append(line)
        elif key is None:
            if not isinstance(value, str):
                _fail(line, "a mapping key must be a plain string")
            if value in container:
                _fail(line, f"the key {value!r} appears twice")
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
                _fail(line, "more than one YAML document; an export is one")
        elif isinstance(event, yaml.AliasEvent):
            _fail(line, f"YAML aliases (*{event.anchor}) are not allowed in an export")
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            _fail(line, f"YAML anchors (&{event.anchor}) are not allowed in an export")
        elif isinstance(event, yaml.ScalarEvent):
            attach(_scalar(event, resolver), line or 0)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            sequence = isinstance(event, yaml.SequenceStartEvent)
            if event.tag not in (None, "!", _SEQ if sequence else _MAP):
                _fail(line, f"the YAML tag {_short_tag(event.tag)!r} is not allowed in an export")
            if len(stack) >= MAX_DEPTH:
                _fail(line, _TOO_DEEP)
            container: _Map | _Seq = _Seq(line or 0) if sequence else _Map(line or 0)
            stack.append((container, None))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            finished, _ = stack.pop()
            attach(finished, finished.line)
    if documents == 0:
        _fail(None, "the file is empty")
    return root


# -- field checks, shared by both formats -----------------------------------------------------


def _line_of(container: Any, key: str | int | None = None) -> int | None:
    if isinstance(container, _Map) and isinstance(key, str) and key in container.lines:
        return container.lines[key]
    if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", None)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _check_text(value: Any, field: str, line: int | None, *, limit_key: str | None = None) -> str:
    if not isinstance(value, str):
        _fail(line, f"`{field}` must be text, not {_type_name(value)}")
    limit = MAX_LENGTH.get(limit_key or field)
    if limit is not None and len(value) > limit:
        _fail(line, f"`{field}` is {len(value):,} characters long; at most {limit:,} are allowed")
    if _SURROGATE.search(value):
        _fail(line, f"`{field}` holds a lone surrogate (\\ud800-\\udfff), which is not text")
    return value


def _check_name(value: Any, field: str, line: int | None, *, limit_key: str | None = None) -> str:
    """Annotation ids: non-empty, no control or format characters (ours are hex)."""
    text = _check_text(value, field, line, limit_key=limit_key)
    if not text.strip():
        _fail(line, f"`{field}` is empty")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        _fail(line, f"`{field}` {text[:40]!r} contains control characters")
    return text


def _held(check: Callable[..., str], value: Any, field: str, line: int | None) -> str:
    """A tag, author or article id as `tui.store.names` lets a store hold it (`entry=False`:
    whatever any store could have held comes back), or why not, naming the field."""
    text = _check_text(value, field, line, limit_key=None)
    try:
        return check(text, entry=False)
    except StoreError as error:  # the message names the kind: "tag name 'A//B' has ..."
        _fail(line, str(error) if check is check_tag_name else f"`{field}`: {error}")


def _check_offset(value: Any, field: str, line: int | None, *, least: int = 0) -> int:
    if type(value) is not int or not least <= value <= MAX_POSITION:
        shown = f"{value}"[:40] if type(value) is int else _type_name(value)
        _fail(
            line,
            f"`{field}` must be a whole number from {least} to {MAX_POSITION:,}, not {shown}",
        )
    return value


def _check_time(value: Any, field: str, line: int | None) -> str:
    text = _check_text(value, field, line)
    if not text:
        return text
    try:
        when = parse_timestamp(text)
    except OverflowError:  # 9999-12-31T23:00-01:00 is past the last UTC time there is
        when = datetime.max.replace(tzinfo=UTC)
    if when is None:
        _fail(line, f"`{field}` {text[:40]!r} is not an ISO 8601 time")
    if when > datetime.now(UTC) + CLOCK_SKEW:
        _fail(line, f"`{field}` {text[:40]!r} is in the future; a merge would always pick it")
    return text


def _tag_name(value: Any, field: str, line: int | None) -> str:
    """A tag name as the store keeps it (parts trimmed), or why it cannot be one."""
    return _held(check_tag_name, value, field, line)


def _check_tags(value: Any, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list):
        _fail(line, f"`tags` must be a list of tag names, not {_type_name(value)}")
    names = tuple(
        _tag_name(item, "tags", _line_of(value, index) or line) for index, item in enumerate(value)
    )
    if len(set(names)) != len(names):
        _fail(line, "`tags` names the same tag twice")
    return names


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
    }
)
_ARTICLE_FIELDS = frozenset({"id", "title", "source", "date", "url", "excerpts"})
_TAG_GROUP_FIELDS = frozenset({"name", "excerpts"})
_CODEBOOK_FIELDS = frozenset({"name", "color", "key", "description"})
_TOP_FIELDS = frozenset({"format", "exported", "articles", "tags", "untagged", "codebook"})


def _mapping(value: Any, what: str, line: int | None, allowed: frozenset[str]) -> _Map:
    if not isinstance(value, _Map):
        _fail(line, f"{what} must be a mapping, not {_type_name(value)}")
    for key in value:
        if key not in allowed:
            _fail(
                _line_of(value, key),
                f"unknown field `{key}` in {what} (expected: {', '.join(sorted(allowed))})",
            )
    return value


def _sequence(value: Any, what: str, line: int | None) -> _Seq:
    if not isinstance(value, _Seq):
        _fail(line, f"`{what}` must be a list, not {_type_name(value)}")
    return value


def _excerpt(record: Any, line: int | None, article: str | None) -> Annotation:
    record = _mapping(record, "an excerpt", line, _EXCERPT_FIELDS)
    for required in ("id", "quote", "start", "end"):
        if required not in record:
            _fail(record.line, f"an excerpt has no `{required}`")
    if article is None:
        if "article" not in record:
            _fail(record.line, "an excerpt grouped by tag has no `article`")
        article = _held(check_article_id, record["article"], "article", _line_of(record, "article"))
    elif "article" in record and record["article"] != article:
        _fail(_line_of(record, "article"), "the excerpt's `article` differs from its group's id")

    def text(name: str) -> str:
        """Optional text; `note:` left empty by hand reads as null and means ''."""
        value = record.get(name)
        return _check_text("" if value is None else value, name, _line_of(record, name))

    start = _check_offset(record["start"], "start", _line_of(record, "start"))
    end = _check_offset(record["end"], "end", _line_of(record, "end"))
    if end < start:
        _fail(_line_of(record, "end"), f"`end` ({end}) is before `start` ({start})")
    paragraph = record.get("paragraph")
    if paragraph is not None:
        _check_offset(paragraph, "paragraph", _line_of(record, "paragraph"), least=1)
    anchor = record.get("anchor", "exact")
    if anchor not in ANCHOR_STATUSES:
        _fail(
            _line_of(record, "anchor"),
            f"`anchor` must be one of {', '.join(sorted(ANCHOR_STATUSES))}",
        )
    for name in ("title",):
        text(name)
    author = text("author")
    if author:
        _held(check_author, author, "author", _line_of(record, "author"))
    return Annotation(
        id=_check_name(record["id"], "id", _line_of(record, "id")),
        article=article,
        start=start,
        end=end,
        quote=_check_text(record["quote"], "quote", _line_of(record, "quote")),
        prefix=text("prefix"),
        suffix=text("suffix"),
        tags=_check_tags(record.get("tags", _Seq(record.line)), _line_of(record, "tags")),
        note=text("note"),
        author=author,
        created=_check_time(record.get("created", ""), "created", _line_of(record, "created")),
        updated=_check_time(record.get("updated", ""), "updated", _line_of(record, "updated")),
        text_hash=text("text_hash"),
    )


def _codebook_tag(record: Any, line: int | None) -> Tag:
    record = _mapping(record, "a codebook entry", line, _CODEBOOK_FIELDS)
    if "name" not in record:
        _fail(record.line, "a codebook entry has no `name`")
    key = record.get("key")
    if key is not None and (type(key) is not int or not 1 <= key <= 9):
        _fail(_line_of(record, "key"), "`key` must be a digit from 1 to 9, or null")
    color = _check_text(record.get("color") or "", "color", _line_of(record, "color"))
    if color and not COLOR_PATTERN.fullmatch(color):
        _fail(_line_of(record, "color"), f"`color` {color[:40]!r} is not a colour name or #rrggbb")
    description = record.get("description") or ""
    return Tag(
        name=_tag_name(record["name"], "name", _line_of(record, "name")),
        color=color,
        key=key,
        description=_check_text(description, "description", _line_of(record, "description")),
    )


def _yaml_annotations(
    data: Any,
) -> tuple[tuple[Annotation, ...], tuple[Tag, ...], dict[str, int]]:
    top = _mapping(data, "the file", 1, _TOP_FIELDS)
    if top.get("format") != FORMAT_ID:
        _fail(
            _line_of(top, "format") or 1,
            f"not a marginalia export (expected `format: {FORMAT_ID}`, "
            f"found {top.get('format')!r})",
        )
    if "exported" in top:
        _check_time(top["exported"], "exported", _line_of(top, "exported"))
    found: list[tuple[Annotation, int]] = []
    if "articles" in top:
        if "tags" in top or "untagged" in top:
            _fail(_line_of(top, "tags"), "an export has `articles` or `tags`, not both")
        groups = _sequence(top["articles"], "articles", _line_of(top, "articles"))
        for index, group in enumerate(groups):
            group = _mapping(group, "an article", _line_of(groups, index), _ARTICLE_FIELDS)
            if "id" not in group:
                _fail(group.line, "an article has no `id`")
            article = _held(check_article_id, group["id"], "id", _line_of(group, "id"))
            for name in ("title", "source", "date", "url"):
                if group.get(name) is not None:
                    _check_text(group[name], name, _line_of(group, name))
            items = _sequence(group.get("excerpts", _Seq(group.line)), "excerpts", group.line)
            for position, item in enumerate(items):
                line = _line_of(items, position) or group.line
                found.append((_excerpt(item, line, article), line))
    else:
        groups = _sequence(top.get("tags", _Seq(1)), "tags", _line_of(top, "tags"))
        for index, group in enumerate(groups):
            group = _mapping(group, "a tag group", _line_of(groups, index), _TAG_GROUP_FIELDS)
            items = _sequence(group.get("excerpts", _Seq(group.line)), "excerpts", group.line)
            for position, item in enumerate(items):
                line = _line_of(items, position) or group.line
                found.append((_excerpt(item, line, None), line))
        untagged = _sequence(top.get("untagged", _Seq(1)), "untagged", _line_of(top, "untagged"))
        for position, item in enumerate(untagged):
            line = _line_of(untagged, position) or 1
            found.append((_excerpt(item, line, None), line))
    codebook = _sequence(top.get("codebook", _Seq(1)), "codebook", _line_of(top, "codebook"))
    tags = tuple(_codebook_tag(item, _line_of(codebook, i)) for i, item in enumerate(codebook))
    annotations, lines = _unique(found)
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
        if isinstance(data, _Map) and data.get("format") == FORMAT_ID:
            return _yaml_annotations(data)[1]
        top = _mapping(data, "the file", 1, frozenset({"format", "codebook"}))
        if top.get("format") != CODEBOOK_FORMAT_ID:
            _fail(
                _line_of(top, "format") or 1,
                f"not a marginalia codebook (expected `format: {CODEBOOK_FORMAT_ID}`, "
                f"found {top.get('format')!r})",
            )
        if "codebook" not in top:
            _fail(1, "no `codebook:` list of tags")
        entries = _sequence(top["codebook"], "codebook", _line_of(top, "codebook"))
        tags: list[Tag] = []
        names: dict[str, int] = {}
        keys: dict[int, str] = {}
        for index, entry in enumerate(entries):
            line = _line_of(entries, index)
            tag = _codebook_tag(entry, line)
            if tag.name in names:
                _fail(
                    line, f"the tag {tag.name!r} is listed twice (first at line {names[tag.name]})"
                )
            if tag.key is not None and tag.key in keys:
                _fail(line, f"key {tag.key} is given to both {keys[tag.key]!r} and {tag.name!r}")
            names[tag.name] = line or 0
            if tag.key is not None:
                keys[tag.key] = tag.name
            tags.append(tag)
        return tuple(tags)
    except _Problem as problem:
        where = f"{path}: line {problem.line}" if problem.line else f"{path}"
        raise UserError(f"{where}: {problem.message}; nothing was imported") from None


def _unique(
    found: list[tuple[Annotation, int]],
) -> tuple[tuple[Annotation, ...], dict[str, int]]:
    """Grouped by tag, one excerpt is listed under each of its tags; they must agree."""
    by_id: dict[str, Annotation] = {}
    lines: dict[str, int] = {}
    for annotation, line in found:
        earlier = by_id.get(annotation.id)
        if earlier is None:
            by_id[annotation.id] = annotation
            lines[annotation.id] = line
        elif earlier != annotation:
            _fail(
                line,
                f"excerpt {annotation.id} also appears at line {lines[annotation.id]} "
                "with different content",
            )
    return tuple(by_id.values()), lines


# -- W3C JSON-LD ------------------------------------------------------------------------------


def _w3c_items(data: Any) -> list[Any]:
    """A collection (with its first page inline), a page, a list, or one annotation."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        _fail(1, f"expected a W3C annotation or collection, found {_type_name(data)}")
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        if first is None:
            return []
        if not isinstance(first, dict):
            _fail(None, "the collection's `first` page must be inline, not a link")
        data = first
        kind = data.get("type")
    if kind == "AnnotationPage":
        items = data.get("items", [])
        if not isinstance(items, list):
            _fail(None, "`items` of the annotation page must be a list")
        return items
    if kind == "Annotation":
        return [data]
    _fail(1, f"expected a W3C Annotation, AnnotationPage or AnnotationCollection, found {kind!r}")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _w3c_annotation(item: Any, index: int, line: int | None) -> Annotation:
    what = f"annotation {index + 1}"
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        _fail(line, f"{what} is not a W3C Annotation object")
    iri = _check_text(item.get("id", ""), "id", line, limit_key="article")
    annotation_id = annotation_id_from_iri(iri)
    if annotation_id is None:
        _fail(line, f"{what}: id {iri[:80]!r} is not one marginalia exports (urn:uuid:...)")
    _check_name(annotation_id, "id", line)
    target = item.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            _fail(line, f"{what}: only annotations with exactly one target can be imported")
        target = target[0]
    if not isinstance(target, dict):
        _fail(line, f"{what}: `target` must be an object with `source` and `selector`")
    source = _check_text(target.get("source", ""), "target.source", line, limit_key="article")
    article = article_id_from_iri(source)
    if article is None:
        _fail(line, f"{what}: target {source[:80]!r} is not a marginalia article (urn:marginalia:)")
    _held(check_article_id, article, "article", line)
    quote_selector: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            _fail(line, f"{what}: a selector must be an object")
        if selector.get("type") == "TextQuoteSelector":
            quote_selector = selector
        elif selector.get("type") == "TextPositionSelector":
            position = selector
    if quote_selector is None:
        _fail(line, f"{what}: no TextQuoteSelector, so there is no quote to anchor")
    quote = _check_text(quote_selector.get("exact"), "exact", line, limit_key="quote")
    if position is not None:
        start = _check_offset(position.get("start"), "start", line)
        end = _check_offset(position.get("end"), "end", line)
        if end < start:
            _fail(line, f"{what}: `end` ({end}) is before `start` ({start})")
    else:  # the anchoring finds it by its quote
        start, end = 0, len(quote)
    tags: list[str] = []
    notes: list[str] = []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or body.get("type") != "TextualBody":
            _fail(line, f"{what}: only TextualBody bodies can be imported")
        value = body.get("value", "")
        if body.get("purpose") == "tagging":
            tags.append(_tag_name(value, "tag", line))
        elif body.get("purpose") in ("commenting", None):
            notes.append(_check_text(value, "note", line))
        else:
            _fail(line, f"{what}: body purpose {body.get('purpose')!r} is not tagging/commenting")
    creator = item.get("creator", "")
    if isinstance(creator, dict):
        creator = creator.get("name", creator.get("nickname", ""))
    author = _check_text(creator, "creator", line, limit_key="author")
    if author:
        _held(check_author, author, "creator", line)
    if len(set(tags)) != len(tags):
        _fail(line, f"{what}: the same tag twice")
    return Annotation(
        id=annotation_id,
        article=article,
        start=start,
        end=end,
        quote=quote,
        prefix=_check_text(quote_selector.get("prefix", ""), "prefix", line),
        suffix=_check_text(quote_selector.get("suffix", ""), "suffix", line),
        tags=tuple(tags),
        note=_check_text("\n\n".join(notes), "note", line),
        author=author,
        created=_check_time(item.get("created", ""), "created", line),
        updated=_check_time(item.get("modified", item.get("created", "")), "modified", line),
    )


def _w3c_annotations(data: Any, text: str) -> tuple[tuple[Annotation, ...], dict[str, int]]:
    found: list[tuple[Annotation, int]] = []
    lines = _JsonLines(text)
    for index, item in enumerate(_w3c_items(data)):
        line = lines.of(item)
        found.append((_w3c_annotation(item, index, line), line or 0))
    return _unique(found)


class _JsonLines:
    """JSON values carry no positions: find the line where each annotation's id is written.

    Annotations come in file order, so each search starts where the last one ended and the
    newlines are counted only over the stretch between: one pass over the text in all, where
    a search from the top for every item made a 20,000-item import quadratic. An id not found
    further on (a file out of order) gets no line rather than a search from the top.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1

    def of(self, item: Any) -> int | None:
        if not (isinstance(item, dict) and isinstance(item.get("id"), str)):
            return None
        found = self.text.find(json.dumps(item["id"], ensure_ascii=False), self.at)
        if found < 0:
            return None
        self.line += self.text.count("\n", self.at, found)
        self.at = found
        return self.line
