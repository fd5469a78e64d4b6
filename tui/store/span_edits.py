"""Tagging a passage, under the lock: the change `add` makes for one passage and `add_many`
for a search's every hit (one rule: the same user's annotation on exactly that range takes
the tags; otherwise a new annotation, with its context and the text's digest)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from tui.store import codebook_edits
from tui.store.anchoring import context_around, text_digest
from tui.store.model import Annotation, utc_now
from tui.store.records import Records
from tui.store.rules import unique


def tag_span(
    records: Records,
    user: str,
    span: tuple[str, int, int],
    text: str,
    names: list[str],
    note: str,
) -> Annotation:
    """Tag `span` (article, start, end) of `text` with `names`; new names join the codebook."""
    article, start, end = span
    codebook_edits.define_tags(records, names)
    twin_id = records.at.by_range.get((article, start, end, user))
    twin = records.at.by_id.get(twin_id) if twin_id else None
    if twin is not None:
        merged = unique([*twin.tags, *names])
        updated = replace(twin, tags=tuple(merged), note=twin.note or note, updated=utc_now())
        records.put_annotation(updated)
        return updated
    now = utc_now()
    prefix, suffix = context_around(text, start, end)
    annotation = Annotation(
        id=uuid.uuid4().hex,
        article=article,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=prefix,
        suffix=suffix,
        tags=tuple(names),
        note=note,
        author=user,
        created=now,
        updated=now,
        text_hash=text_digest(text),
    )
    records.put_annotation(annotation)
    return annotation
