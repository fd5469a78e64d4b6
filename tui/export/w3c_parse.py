"""Read W3C JSON-LD back (ours, or any tool's), and Hypothesis JSON: each field checked by the
shared rules. Annotations on our articles (our URN as source or scope) come back as they are;
any other tool's come back as `Foreign`s for the importer to place.

One pass over the text: the line of each annotation (for messages) is found from where the
previous one was, so a 20,000-item file costs what its YAML twin costs, not its square.
"""

from __future__ import annotations

import json
from typing import Any

from tui.export.hypothesis_format import Foreign, hypothesis_records, is_hypothesis, mint_id
from tui.export.import_checks import (
    check_name,
    check_offset,
    check_text,
    check_time,
    check_via,
    fail,
    held_name,
    tag_name,
    type_name,
    unique_annotations,
)
from tui.export.w3c_format import (
    ARTICLE_URN,
    annotation_id_from_iri,
    article_id_from_iri,
    via_from_iri,
)
from tui.store.model import Annotation
from tui.store.names import check_article_id, check_author


def _w3c_items(data: Any) -> list[Any]:
    """A collection (with its first page inline), a page, a list, or one annotation."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        fail(1, f"expected a W3C annotation or collection, found {type_name(data)}")
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        if first is None:
            return []
        if not isinstance(first, dict):
            fail(None, "the collection's `first` page must be inline, not a link")
        data = first
        kind = data.get("type")
    if kind == "AnnotationPage":
        items = data.get("items", [])
        if not isinstance(items, list):
            fail(None, "`items` of the annotation page must be a list")
        return items
    if kind == "Annotation":
        return [data]
    fail(1, f"expected a W3C Annotation, AnnotationPage or AnnotationCollection, found {kind!r}")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _w3c_annotation(item: Any, index: int, line: int | None) -> Annotation | Foreign:
    what = f"annotation {index + 1}"
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        fail(line, f"{what} is not a W3C Annotation object")
    iri = check_text(item.get("id", ""), "id", line, limit_key="url")
    annotation_id = annotation_id_from_iri(iri)  # None: another tool's (an http id, say)
    if annotation_id is not None:
        check_name(annotation_id, "id", line)
    target = item.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            fail(line, f"{what}: only annotations with exactly one target can be imported")
        target = target[0]
    if not isinstance(target, dict):
        fail(line, f"{what}: `target` must be an object with `source` and `selector`")
    source = check_text(target.get("source", ""), "target.source", line, limit_key="url")
    article = article_id_from_iri(source)
    scope = target.get("scope")
    scope_id = scope.get("id") if isinstance(scope, dict) else scope
    if article is None and isinstance(scope_id, str):
        article = article_id_from_iri(scope_id)  # our export, with the article's URL as source
    if article is None and source.startswith(ARTICLE_URN):
        fail(line, f"{what}: target {source[:80]!r} names no marginalia article")
    if article is not None:
        held_name(check_article_id, article, "article", line)
    quote_selector: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            fail(line, f"{what}: a selector must be an object")
        if selector.get("type") == "TextQuoteSelector":
            quote_selector = selector
        elif selector.get("type") == "TextPositionSelector":
            position = selector
    if quote_selector is None:
        fail(line, f"{what}: no TextQuoteSelector, so there is no quote to anchor")
    quote = check_text(quote_selector.get("exact"), "exact", line, limit_key="quote")
    if position is not None:
        start = check_offset(position.get("start"), "start", line)
        end = check_offset(position.get("end"), "end", line)
        if end < start:
            fail(line, f"{what}: `end` ({end}) is before `start` ({start})")
    else:  # the anchoring finds it by its quote
        start, end = 0, len(quote)
    tags: list[str] = []
    notes: list[str] = []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or body.get("type") != "TextualBody":
            fail(line, f"{what}: only TextualBody bodies can be imported")
        value = body.get("value", "")
        if body.get("purpose") == "tagging":
            tags.append(tag_name(value, "tag", line))
        elif body.get("purpose") in ("commenting", None):
            notes.append(check_text(value, "note", line))
        else:
            fail(line, f"{what}: body purpose {body.get('purpose')!r} is not tagging/commenting")
    creator = item.get("creator", "")
    if isinstance(creator, dict):
        creator = creator.get("name", creator.get("nickname", ""))
    author = check_text(creator, "creator", line, limit_key="author")
    if author:
        held_name(check_author, author, "creator", line)
    if len(set(tags)) != len(tags):
        fail(line, f"{what}: the same tag twice")
    created = check_time(item.get("created", ""), "created", line)
    vias = _as_list(item.get("via"))  # the model allows several; we keep the first
    via = check_via(vias[0], line) if vias else ""
    annotation = Annotation(
        id=annotation_id or mint_id(iri or f"{source}\x1f{quote}\x1f{created}"),
        article=article or "",
        start=start,
        end=end,
        quote=quote,
        prefix=check_text(quote_selector.get("prefix", ""), "prefix", line),
        suffix=check_text(quote_selector.get("suffix", ""), "suffix", line),
        tags=tuple(tags),
        note=check_text("\n\n".join(notes), "note", line),
        author=author,
        created=created,
        updated=check_time(item.get("modified", item.get("created", "")), "modified", line),
        via=via_from_iri(via),
    )
    if article is None:  # another tool's page: the importer matches it to an article
        return Foreign(annotation, source, iri, utf16=False, line=line)
    return annotation


def w3c_annotations(
    data: Any, text: str
) -> tuple[tuple[Annotation, ...], dict[str, int], tuple[Foreign, ...]]:
    """Our annotations (placed by our URN), their lines, and other tools' (`Foreign`).

    A Hypothesis export (`{"annotations": [...]}`) is read here too: it is JSON as well.
    """
    lines = _JsonLines(text)
    if is_hypothesis(data):
        return (), {}, tuple(hypothesis_records(data, lines))
    found: list[tuple[Annotation, int]] = []
    foreign: list[Foreign] = []
    for index, item in enumerate(_w3c_items(data)):
        line = lines.of(item)
        read = _w3c_annotation(item, index, line)
        if isinstance(read, Foreign):
            foreign.append(read)
        else:
            found.append((read, line or 0))
    annotations, where = unique_annotations(found)
    return annotations, where, tuple(foreign)


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
