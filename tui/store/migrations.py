"""Bringing stores written by older versions up to the current schema, keeping the original.

Schema 0 is what the first prototypes wrote: a plain TinyDB file with an `annotations` table
(and maybe `tags`) under TinyDB's integer ids, and no `_meta` table. Schema 1 keys annotations
by their uuid and tags by their name, so that no process ever needs TinyDB's next-id counter.
Schema 2 adds the `articles` table: the reader's overrides of an article's title, source,
author, date and URL. Schema 3 adds the `memos` table: memos on an article or on the project.
Older versions refuse a newer store (by its version) instead of dropping a table they lack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.store.errors import StoreError
from tui.store.schema import FORMAT_NAME, META_ID, META_TABLE, OUR_TABLES, SCHEMA_VERSION

ANNOTATION_FIELDS = {"id", "article", "start", "end", "quote"}
Tables = dict[str, dict[str, dict[str, Any]]]


class NotOurStore(Exception):
    """The file's data is not a marginalia store; the message says what gave it away."""


class NewerStore(Exception):
    """Written by a newer marginalia: opening it could drop what this version does not know."""

    def __init__(self, version: int) -> None:
        super().__init__(f"store schema {version}")
        self.version = version


def current_tables(data: Any) -> tuple[Tables, int | None]:
    """A store file's parsed JSON checked and brought to the current schema, and the older
    version it had (None: it was current). NotOurStore or NewerStore otherwise."""
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise NotOurStore("not a TinyDB file of tables")
    meta = data.get(META_TABLE, {}).get(META_ID)
    older: int | None = None
    if meta is None:
        migrated = migrate_unversioned(data)
        if migrated is None:
            raise NotOurStore("no schema version in it")
        return migrated, 0
    version = meta.get("version")
    if meta.get("format") != FORMAT_NAME or not isinstance(version, int):
        raise NotOurStore("unknown format in _meta")
    if version > SCHEMA_VERSION:
        raise NewerStore(version)
    if version < SCHEMA_VERSION:
        older = version
        data = migrate(data, version)
    unknown = set(data) - set(OUR_TABLES)
    if unknown:
        raise NotOurStore(f"unknown tables {sorted(unknown)}")
    tables: Tables = data  # checked above: a dict of tables of documents
    for table in OUR_TABLES:
        tables.setdefault(table, {})
    return tables, older


def migrate_unversioned(data: dict[str, Any]) -> dict[str, Any] | None:
    """A schema-0 store brought to schema 1, or None if `data` is not one of ours at all."""
    annotations = data.get("annotations")
    tags = data.get("tags", {})
    if annotations is None or set(data) - {"annotations", "tags", "_default"}:
        return None
    if data.get("_default"):
        return None
    if not all(set(doc) >= ANNOTATION_FIELDS for doc in annotations.values()):
        return None
    if not all("name" in doc for doc in tags.values()):
        return None
    return migrate(
        {
            "_meta": {"schema": {"format": "marginalia-store", "version": 0}},
            "annotations": annotations,
            "tags": tags,
        },
        0,
    )


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Apply each step from `version` up; the result carries the current version."""
    steps = {0: _from_0_to_1, 1: _from_1_to_2, 2: _from_2_to_3}
    while version in steps:
        data = steps[version](data)
        version += 1
    if version != SCHEMA_VERSION:
        raise StoreError(f"no migration from store schema {version}")
    return data


def _from_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    annotations = {str(doc["id"]): doc for doc in data["annotations"].values()}
    for doc in annotations.values():
        doc["tags"] = list(doc.get("tags") or [])
    tags = {str(doc["name"]): doc for doc in data.get("tags", {}).values()}
    meta = dict(data["_meta"]["schema"], version=1)
    return {"_meta": {"schema": meta}, "annotations": annotations, "tags": tags}


def _from_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    migrated = dict(data)
    migrated.setdefault("articles", {})
    meta = dict(data["_meta"])
    meta["schema"] = dict(meta["schema"], version=2)
    migrated["_meta"] = meta
    return migrated


def _from_2_to_3(data: dict[str, Any]) -> dict[str, Any]:
    migrated = dict(data)
    migrated.setdefault("memos", {})
    meta = dict(data["_meta"])
    meta["schema"] = dict(meta["schema"], version=3)
    migrated["_meta"] = meta
    return migrated


def pre_migration_copy_path(path: Path, version: int) -> Path:
    """Where the store is kept as it was before migrating from `version`: `<name>.v1.bak`."""
    return path.with_name(f"{path.name}.v{version}.bak")
