"""The records an export file carries beside its annotations: each article's details and
attributes, and the memos (YAML; attributes also from our W3C extension). Checked by the same
rules as the store's, so merging them after the annotations cannot be refused half-way.
"""

from __future__ import annotations

from typing import Any

from tui.export.import_checks import (
    Map,
    Seq,
    check_name,
    check_text,
    check_time,
    fail,
    held_name,
    line_of,
    mapping_of,
    sequence_of,
    type_name,
)
from tui.export.w3c_format import ATTRIBUTES_KEY, article_id_from_iri
from tui.export.w3c_parse import _w3c_items as w3c_items
from tui.store.errors import StoreError
from tui.store.model import Memo
from tui.store.names import check_article_id, check_attribute_name, check_author
from tui.store.rules import attribute_value, clean_memo

_MEMO_FIELDS = frozenset({"id", "article", "author", "created", "updated", "text"})


ARTICLE_DETAIL_FIELDS = ("title", "source", "author", "date", "url")


def yaml_article_details(data: Any) -> dict[str, dict[str, str]]:
    """Each article group's details (already checked as text by `_yaml_annotations`)."""
    details: dict[str, dict[str, str]] = {}
    if not isinstance(data, Map) or not isinstance(data.get("articles"), Seq):
        return details
    for group in data["articles"]:
        found = {name: group[name] for name in ARTICLE_DETAIL_FIELDS if group.get(name)}
        if found:
            details[group["id"]] = found
    return details


def attributes_of(value: Any, line: int | None) -> dict[str, str]:
    """An article's `attributes:` mapping, each name and value by the store's rule."""
    if not isinstance(value, dict):
        fail(line, f"`attributes` must be a mapping of names to text, not {type_name(value)}")
    checked: dict[str, str] = {}
    for name, text in value.items():
        where = line_of(value, name) or line
        if not isinstance(text, str):
            fail(where, f"attribute {str(name)[:40]!r} must be text, not {type_name(text)}")
        try:
            checked[check_attribute_name(name)] = attribute_value(name, text)
        except StoreError as error:
            fail(where, str(error))
    return checked


def yaml_article_attributes(data: Any) -> dict[str, dict[str, str]]:
    """Each article's attributes (already checked by `_yaml_annotations`), by article id."""
    found: dict[str, dict[str, str]] = {}
    if not isinstance(data, Map) or not isinstance(data.get("articles"), Seq):
        return found
    for group in data["articles"]:
        if isinstance(group.get("attributes"), Map):
            attributes = attributes_of(group["attributes"], group.line)
            if attributes:
                found[group["id"]] = attributes
    return found


def _memo(record: Any, line: int | None) -> Memo:
    record = mapping_of(record, "a memo", line, _MEMO_FIELDS)
    for required in ("id", "text"):
        if required not in record:
            fail(record.line, f"a memo has no `{required}`")
    article = record.get("article") or ""
    if article:
        article = held_name(check_article_id, article, "article", line_of(record, "article"))
    author = check_text(record.get("author") or "", "author", line_of(record, "author"))
    if author:
        held_name(check_author, author, "author", line_of(record, "author"))
    text = check_text(record["text"], "text", line_of(record, "text"), limit_key="note")
    try:
        text = clean_memo(text)  # the store's rule, so merging the memo cannot fail later
    except StoreError as error:
        fail(line_of(record, "text"), str(error))
    return Memo(
        id=check_name(record["id"], "id", line_of(record, "id")),
        article=article,
        text=text,
        author=author,
        created=check_time(record.get("created", ""), "created", line_of(record, "created")),
        updated=check_time(record.get("updated", ""), "updated", line_of(record, "updated")),
    )


def yaml_memos(data: Any) -> tuple[Memo, ...]:
    """The file's `memos:`, each checked; one id listed twice is refused."""
    if not isinstance(data, Map) or "memos" not in data:
        return ()
    items = sequence_of(data["memos"], "memos", line_of(data, "memos"))
    memos: dict[str, Memo] = {}
    for index, item in enumerate(items):
        memo = _memo(item, line_of(items, index))
        if memo.id in memos:
            fail(line_of(items, index), f"the memo {memo.id} is listed twice")
        memos[memo.id] = memo
    return tuple(memos.values())


def w3c_article_attributes(data: Any) -> dict[str, dict[str, str]]:
    """Our extension on each target's scope (`marginalia:attributes`), by article id; the
    annotations were checked already, so only the attributes are checked here."""
    found: dict[str, dict[str, str]] = {}
    for item in w3c_items(data):
        target = item.get("target") if isinstance(item, dict) else None
        if isinstance(target, list) and len(target) == 1:
            target = target[0]
        scope = target.get("scope") if isinstance(target, dict) else None
        if not isinstance(scope, dict) or ATTRIBUTES_KEY not in scope:
            continue
        scope_id = scope.get("id")
        article = article_id_from_iri(scope_id) if isinstance(scope_id, str) else None
        if article is not None:
            found.setdefault(article, {}).update(attributes_of(scope[ATTRIBUTES_KEY], None))
    return found
