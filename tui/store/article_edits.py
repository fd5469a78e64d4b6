"""Changes to an article's record made inside a store transaction: its five details and its
free attributes, which share one record per article (the `articles` table).

Apart from the facade so that the two edits keep the same promises: one leaves the other's
fields alone, a record left with nothing set is removed, and setting what is already there
writes nothing (no journal line, no undo step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tui.store.model import ArticleMeta, utc_now
from tui.store.records import Records
from tui.store.rules import attribute_case_twin
from tui.store.schema import ARTICLES_TABLE


def current_meta(records: Records, article_id: str) -> ArticleMeta:
    return records.at.article_meta.get(article_id) or ArticleMeta(article_id)


def edit_details(
    records: Records, article_id: str, values: Mapping[str, str], user: str
) -> ArticleMeta:
    """Set the details given (checked already); "" removes an override."""
    current = current_meta(records, article_id)
    overrides = current.overrides
    for name, value in values.items():
        if value:
            overrides[name] = value
        else:
            overrides.pop(name, None)
    if overrides == current.overrides:
        return current
    updated = ArticleMeta(
        article_id, **overrides, updated=utc_now(), by=user, attributes=current.attributes
    )
    return put_meta(records, updated)


def edit_attributes(
    records: Records, article_id: str, wanted: Mapping[str, str], user: str
) -> ArticleMeta:
    """Set the attributes given (checked already); "" removes one. A name that differs only
    in case from one in use on any article is refused (one variable, one column)."""
    current = current_meta(records, article_id)
    others = (meta for article, meta in records.at.article_meta.items() if article != article_id)
    in_use = {name for meta in others for name in meta.attributes}
    in_use |= {name for name in current.attributes if wanted.get(name) != ""}  # kept ones
    attributes = dict(current.attributes)
    for name, value in wanted.items():
        if value:
            attribute_case_twin(name, in_use)
            attributes[name] = value
        else:
            attributes.pop(name, None)
    if attributes == current.attributes:
        return current
    return put_meta(records, replace(current, attributes=attributes, updated=utc_now(), by=user))


def put_meta(records: Records, meta: ArticleMeta) -> ArticleMeta:
    """Store an article's record, or remove it when nothing is left set in it."""
    empty = not meta.overrides and not meta.attributes
    records.set(ARTICLES_TABLE, meta.article, None if empty else meta.to_record())
    return ArticleMeta(meta.article) if empty else meta
