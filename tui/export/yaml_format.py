"""The primary export: `marginalia-excerpts/1` YAML (design.md "Export and import").

Every string is given an explicit scalar style, so that what a YAML 1.1 or 1.2 reader gets
back is exactly the string we wrote:

- plain only for strings that are unmistakably words (`Russian war aims`), never for `yes`,
  `null`, `1e3`, `0o10` or anything starting with a digit or punctuation;
- quotes and notes with line breaks as literal blocks (`|-`), readable as the article reads;
- double quotes, with escapes, when a literal block cannot hold the string exactly: a space
  or tab before a line break or at the end (a block would silently lose or reflow it),
  control characters, NEL/LS/PS (a reader folds NEL into `\\n`), a byte-order mark, and bidi
  overrides and isolates (written as `\\u202E`, so the file is inert in a terminal);
- single quotes for everything else.

The same annotations always give the same bytes; only `exported` changes between runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from tui.export.excerpts import Excerpt
from tui.export.formats import ExportJob, Grouping, Rendered
from tui.store.model import Memo, Tag

FORMAT_ID = "marginalia-excerpts/1"
# An article's date and URL (from cleaning or set by the reader), written when known.
ARTICLE_DETAILS = ("date", "url")
# A codebook on its own (`annotations/codebook.yaml`, `marginalia tags export x.yaml`).
CODEBOOK_FORMAT_ID = "marginalia-codebook/1"

try:
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml: same output, about 5x slower
    _BaseDumper = yaml.SafeDumper

# libyaml folds nothing beyond this; float("inf") crashes CSafeDumper (field-notes.md).
LINE_WIDTH = 1_000_000_000

_PLAIN_SAFE = re.compile(r"[^\W\d_](?:[\w .\-/]*\w)?")
# YAML 1.1 booleans and nulls that the plain-safe pattern would otherwise let through.
_RESERVED_WORDS = frozenset(
    {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"}
)
# A literal block cannot carry these exactly; double quotes with escapes can.
_NEEDS_ESCAPES = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
    r"|[ \t](?:\n|\Z)"
)
# Bidi embeddings, overrides and isolates: libyaml counts them printable and writes them raw
# even in double quotes, so `cat export.yaml` would reorder the line (issue 11.1). Only a
# double-quoted scalar holds them (see `_NEEDS_ESCAPES`), so each is replaced by its escape
# after dumping, and a reader gets the same character back.
_RAW_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_STYLE_CACHE_LIMIT = 4096


def scalar_style(text: str) -> str | None:
    """The YAML style that writes `text` so that every reader reads back the same string."""
    if _NEEDS_ESCAPES.search(text):
        return '"'
    if "\n" in text:
        return "|"
    if _PLAIN_SAFE.fullmatch(text) and text.lower() not in _RESERVED_WORDS:
        return None
    return "'"


class _FlowList(list):  # type: ignore[type-arg]
    """A list written inline (`tags: [a, b]`), as in design.md."""


class ExcerptDumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """A safe dumper whose strings always round-trip (see the module docstring)."""

    _style_cache: dict[str, str | None] = {}  # noqa: RUF012 (shared on purpose: a pure cache)

    def represent_str(self, data: str) -> yaml.ScalarNode:
        cache = self._style_cache
        if len(data) <= 64:
            try:
                style = cache[data]
            except KeyError:
                if len(cache) >= _STYLE_CACHE_LIMIT:
                    cache.clear()
                style = cache[data] = scalar_style(data)
        else:
            style = scalar_style(data)
        return yaml.ScalarNode("tag:yaml.org,2002:str", data, style=style)

    def ignore_aliases(self, data: Any) -> bool:
        """Never `&id001`/`*id001`: a by-tag export repeats excerpts and import refuses aliases."""
        return True

    def represent_flow_list(self, data: _FlowList) -> yaml.SequenceNode:
        node: yaml.SequenceNode = self.represent_sequence(
            "tag:yaml.org,2002:seq", data, flow_style=True
        )
        return node


ExcerptDumper.add_representer(str, ExcerptDumper.represent_str)
ExcerptDumper.add_representer(_FlowList, ExcerptDumper.represent_flow_list)


def dump(document: Any) -> str:
    """Serialise with the excerpt dumper: UTF-8 text, unwrapped, keys in insertion order."""
    text: str = yaml.dump(
        document,
        Dumper=ExcerptDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=LINE_WIDTH,
    )
    if _RAW_BIDI.search(text):
        text = _RAW_BIDI.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
    return text


def excerpt_record(excerpt: Excerpt, *, with_article: bool) -> dict[str, Any]:
    """One excerpt as design.md shows it; `article`/`title` added when grouped by tag."""
    a = excerpt.annotation
    record: dict[str, Any] = {"id": a.id}
    if with_article:
        record["article"] = a.article
        record["title"] = excerpt.title
    record["quote"] = a.quote
    record["tags"] = _FlowList(a.tags)
    record["note"] = a.note
    record["start"] = a.start
    record["end"] = a.end
    record["paragraph"] = excerpt.paragraph
    record["prefix"] = a.prefix
    record["suffix"] = a.suffix
    record["author"] = a.author
    record["created"] = a.created
    record["updated"] = a.updated
    record["anchor"] = a.anchor
    record["text_hash"] = a.text_hash
    if a.via:  # another tool's id (W3C's `via`); absent otherwise, so older files stay as they were
        record["via"] = a.via
    return record


def article_record(excerpt: Excerpt) -> dict[str, Any]:
    """An article's block: id, title, source, then its writer, date and URL when known, and
    its attributes (sorted by name) when it has any."""
    record: dict[str, Any] = {
        "id": excerpt.annotation.article,
        "title": excerpt.title,
        "source": excerpt.source,
    }
    article = excerpt.article
    if article is not None and article.author:
        # The article's writer, not the coder (each excerpt's `author`).
        record["author"] = article.author
    if article is not None:
        for name in ARTICLE_DETAILS:
            if value := article.metadata.get(name):
                record[name] = value
    if excerpt.attributes:
        record["attributes"] = {
            name: excerpt.attributes[name]
            for name in sorted(excerpt.attributes, key=lambda n: (n.casefold(), n))
        }
    return record


def memo_record(memo: Memo) -> dict[str, Any]:
    """A memo: `article` is "" for one on the project; the text as a block when multi-line."""
    return {
        "id": memo.id,
        "article": memo.article,
        "author": memo.author,
        "created": memo.created,
        "updated": memo.updated,
        "text": memo.text,
    }


def tag_record(tag: Tag) -> dict[str, Any]:
    return {"name": tag.name, "color": tag.color, "key": tag.key, "description": tag.description}


Progress = Callable[[int, int], None]


def yaml_document(
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    *,
    exported: str,
    by: Grouping = "article",
    progress: Progress | None = None,
    memos: Sequence[Memo] = (),
) -> dict[str, Any]:
    """The export as plain data, grouped by article (reading order) or by tag (name order).

    Grouped by tag, an excerpt appears under each of its tags, and excerpts without a tag go
    under `untagged`, so the file still holds every excerpt. `codebook` keeps each tag's colour,
    key and description so an import can rebuild the tags.
    """
    total = len(excerpts)
    document: dict[str, Any] = {"format": FORMAT_ID, "exported": exported}
    if by == "article":
        groups: list[dict[str, Any]] = []
        current: str | None = None
        items: list[dict[str, Any]] = []
        for done, excerpt in enumerate(excerpts, 1):
            if excerpt.annotation.article != current:
                current = excerpt.annotation.article
                items = []
                group = article_record(excerpt)
                group["excerpts"] = items
                groups.append(group)
            items.append(excerpt_record(excerpt, with_article=False))
            if progress is not None and done % 500 == 0:
                progress(done, total)
        document["articles"] = groups
    else:
        by_tag: dict[str, list[dict[str, Any]]] = {}
        untagged: list[dict[str, Any]] = []
        for done, excerpt in enumerate(excerpts, 1):
            record = excerpt_record(excerpt, with_article=True)
            for name in excerpt.annotation.tags:
                by_tag.setdefault(name, []).append(record)
            if not excerpt.annotation.tags:
                untagged.append(record)
            if progress is not None and done % 500 == 0:
                progress(done, total)
        # Each article cited once, with its details and attributes (issue 13 leftover): the
        # excerpts below name their article by id only.
        cited: dict[str, dict[str, Any]] = {}
        for excerpt in excerpts:
            if excerpt.annotation.article not in cited:
                cited[excerpt.annotation.article] = article_record(excerpt)
        document["articles"] = [cited[article] for article in sorted(cited)]
        document["tags"] = [{"name": name, "excerpts": by_tag[name]} for name in sorted(by_tag)]
        document["untagged"] = untagged
    if memos:  # on the project and the articles exported, oldest first
        ordered = sorted(memos, key=lambda m: (m.article, m.created, m.id))
        document["memos"] = [memo_record(memo) for memo in ordered]
    document["codebook"] = [tag_record(tag) for tag in tags]
    if progress is not None:
        progress(total, total)
    return document


def to_yaml(
    excerpts: Sequence[Excerpt],
    tags: Sequence[Tag],
    *,
    exported: str,
    by: Grouping = "article",
    progress: Progress | None = None,
    memos: Sequence[Memo] = (),
) -> str:
    document = yaml_document(
        excerpts, tags, exported=exported, by=by, progress=progress, memos=memos
    )
    return dump(document)


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    text = to_yaml(
        job.excerpts,
        job.tags,
        exported=job.exported,
        by=job.by,
        progress=job.progress,
        memos=job.memos,
    )
    return Rendered(text.encode("utf-8"), len(job.excerpts))
