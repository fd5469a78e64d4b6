"""Tagging passages, under the lock, as records-level steps that one undoable action can hold
several of: the change `add` makes for one passage and `add_many` for a search's every hit
(one rule: the same user's annotation on exactly that range takes the tags; otherwise a new
annotation, with its context and the text's digest), `retag`'s change of one annotation's
tags, and `replace_coding`, a consensus decision (several annotations, one action)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import replace

from tui.store import codebook_edits
from tui.store.anchoring import context_around, text_digest
from tui.store.model import Annotation, utc_now
from tui.store.records import Records
from tui.store.rules import unique
from tui.store.schema import ANNOTATIONS_TABLE


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


def retag(
    records: Records, annotation_id: str, added: Sequence[str], taken: Collection[str]
) -> tuple[Annotation, bool]:
    """Put the tags `added` on an annotation and take `taken` off, from the record as stored
    now (another session may have added a tag or a note since the caller read it). One left
    with no tag and no note is removed. Returns it, and whether it went."""
    current = records.annotation(annotation_id)
    names = unique([*(n for n in current.tags if n not in taken), *added])
    if not names and not current.note:
        records.set(ANNOTATIONS_TABLE, annotation_id, None)
        return current, True
    codebook_edits.define_tags(records, added)
    updated = replace(current, tags=tuple(names), updated=utc_now())
    records.put_annotation(updated)
    return updated, False


def replace_coding(
    records: Records, tag: str, untag: Sequence[str], put: Sequence[Annotation]
) -> list[Annotation]:
    """Take `tag` off the annotations `untag` (ids; one gone since carries it no more) and
    write `put`: a new annotation as it is, one already stored taking its tags (its other
    tags and its note, perhaps newer than the caller's copy, kept). What was written."""
    for annotation_id in untag:
        if annotation_id in records.at.by_id:
            retag(records, annotation_id, (), {tag})
    written: list[Annotation] = []
    for annotation in put:
        stored = records.at.by_id.get(annotation.id)
        if stored is not None:
            merged = unique([*stored.tags, *annotation.tags])
            annotation = replace(stored, tags=tuple(merged), updated=annotation.updated)
            if merged == list(stored.tags):
                continue
        records.put_annotation(annotation)
        written.append(annotation)
    return written
