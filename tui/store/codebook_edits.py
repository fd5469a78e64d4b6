"""Changes to the codebook made inside a store transaction: defining, editing, moving tags.

Apart from the facade because several user actions share them (a tag first used on an
annotation, a rename, a merge, an imported codebook) and each must keep the same promises:
every tag gets a colour, a quick key belongs to one tag only, children follow their parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from tui.store.errors import StoreError
from tui.store.hierarchy import is_within, reparent
from tui.store.model import Tag, first_free_key, utc_now
from tui.store.records import Records
from tui.store.rules import existing_tag_name, free_color, refuse_case_twin, unique
from tui.store.schema import META_TABLE, SEEDED_ID, TAGS_TABLE


def require_tag(records: Records, name: str) -> None:
    """StoreError unless `name` is a tag, or a parent of one."""
    at = records.at
    if (
        name not in at.codebook
        and not any(is_within(t, name) for t in at.tag_counts)
        and not any(is_within(t, name) for t in at.codebook)
    ):
        raise StoreError(f"{records.storage.path}: no tag named {name!r}")


def edit_tag(records: Records, name: str, **changes: Any) -> Tag:
    """Change fields of a tag (one only implied by its children's names joins the codebook)."""
    name = existing_tag_name(name)
    require_tag(records, name)
    tag = replace(records.at.codebook.get(name) or Tag(name, next_color(records)), **changes)
    records.set(TAGS_TABLE, name, tag.to_record())
    return tag


def define_tags(records: Records, names: Iterable[str]) -> None:
    """Tags first used on an annotation join the codebook, with a colour of their own and
    the first free quick key, so the next use is one key press."""
    for name in names:
        if name not in records.at.codebook:
            refuse_case_twin(name, records.at.known_tags())
            tag = Tag(name, next_color(records), free_key(records))
            records.set(TAGS_TABLE, name, tag.to_record())


def next_color(records: Records) -> str:
    """A colour no tag has while one is free (`rules.free_color`)."""
    return free_color(tag.color for tag in records.at.codebook.values())


def free_key(records: Records) -> int | None:
    """The lowest quick key 1-9 no tag has (chosen inside the write, so two sessions
    creating tags at once do not pick the same one)."""
    return first_free_key(records.at.codebook.values())


def unbind(records: Records, key: int, keep: str | None = None) -> list[str]:
    """Take `key` from every tag but `keep`; the names of the tags that lost it."""
    unbound = []
    for tag in list(records.at.codebook.values()):
        if tag.key == key and tag.name != keep:
            records.set(TAGS_TABLE, tag.name, replace(tag, key=None).to_record())
            unbound.append(tag.name)
    return unbound


def move_tag(records: Records, source: str, target: str) -> int:
    """Rename `source` and its children to `target`, merging into tags already there."""
    codebook = records.at.codebook
    for name, tag in list(codebook.items()):
        if not is_within(name, source):
            continue
        new_name = reparent(name, source, target)
        records.set(TAGS_TABLE, name, None)
        existing = codebook.get(new_name)
        if existing is None:
            records.set(TAGS_TABLE, new_name, replace(tag, name=new_name).to_record())
            continue
        merged = replace(
            existing,
            key=tag.key if existing.key is None else existing.key,
            description=joined_descriptions(existing.description, tag.description),
        )
        if merged != existing:
            records.set(TAGS_TABLE, new_name, merged.to_record())
    touched = 0
    for annotation in list(records.at.by_id.values()):
        if not any(is_within(t, source) for t in annotation.tags):
            continue
        names = tuple(unique(reparent(t, source, target) for t in annotation.tags))
        records.put_annotation(replace(annotation, tags=names, updated=utc_now()))
        touched += 1
    return touched


def joined_descriptions(kept: str, merged: str) -> str:
    """A merge keeps what both codes were said to mean: the target's, then the other's."""
    if not merged or merged == kept:
        return kept
    return f"{kept}\n{merged}" if kept else merged


def rename(records: Records, old: str, new: str) -> int:
    """`rename_tag` under the lock: annotations touched."""
    require_tag(records, old)
    if new == old:
        return 0
    known = records.at.known_tags()
    if any(is_within(t, new) and not is_within(t, old) for t in known):
        raise StoreError(f"tag {new!r} already exists; use `tags merge` to combine them")
    refuse_case_twin(new, [t for t in known if not is_within(t, old)])
    return move_tag(records, old, new)


def merge(records: Records, source: str, into: str) -> int:
    """`merge_tags` under the lock: annotations touched."""
    require_tag(records, source)
    if into == source:
        raise StoreError(f"cannot merge {source!r} into itself")
    if is_within(into, source):
        raise StoreError(f"cannot merge {source!r} into its own child {into!r}")
    if into not in records.at.codebook:  # a new name: the same rule as for creating one
        refuse_case_twin(into, [t for t in records.at.known_tags() if not is_within(t, source)])
    return move_tag(records, source, into)


def delete(records: Records, name: str) -> int:
    """`delete_tag` under the lock: annotations touched."""
    require_tag(records, name)
    for tag_name in list(records.at.codebook):
        if is_within(tag_name, name):
            records.set(TAGS_TABLE, tag_name, None)
    touched = 0
    for annotation in list(records.at.by_id.values()):
        kept = tuple(t for t in annotation.tags if not is_within(t, name))
        if kept != annotation.tags:
            records.put_annotation(replace(annotation, tags=kept, updated=utc_now()))
            touched += 1
    return touched


def merge_codebook(records: Records, incoming: Iterable[Tag]) -> int:
    """`import_codebook` under the lock: how many tags were created or changed."""
    changed: set[str] = set()
    for tag in incoming:
        current = records.at.codebook.get(tag.name)
        if current is None:
            refuse_case_twin(tag.name, records.at.known_tags())
        merged = Tag(
            tag.name,
            tag.color or (current.color if current else "") or next_color(records),
            tag.key if tag.key is not None else (current.key if current else None),
            tag.description or (current.description if current else ""),
        )
        if merged == current:
            continue
        if merged.key is not None:
            changed.update(unbind(records, merged.key, keep=merged.name))
        records.set(TAGS_TABLE, merged.name, merged.to_record())
        changed.add(merged.name)
    return len(changed)


def seed(records: Records, incoming: Sequence[Tag], marker: dict[str, Any]) -> int:
    """`seed_codebook` under the lock: tags added (none if any session seeded it, or any tag
    exists, since the check made before the lock)."""
    at = records.at
    if records.raw(META_TABLE, SEEDED_ID) is not None or at.codebook or at.tag_counts:
        return 0
    for tag in incoming:
        if tag.key is not None:
            unbind(records, tag.key, keep=tag.name)
        records.set(TAGS_TABLE, tag.name, tag.to_record())
    records.set(META_TABLE, SEEDED_ID, marker)
    return len(incoming)
