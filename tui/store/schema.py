"""The store file's schema: its version and table names.

Its own module so that the storage and the migrations both read them without importing each
other (the storage runs the migrations; the migrations only need to know where they end).
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 3
FORMAT_NAME = "marginalia-store"
META_TABLE = "_meta"
META_ID = "schema"
ANNOTATIONS_TABLE = "annotations"
TAGS_TABLE = "tags"
ARTICLES_TABLE = "articles"  # the reader's metadata overrides, by article id (schema 2)
MEMOS_TABLE = "memos"  # memos on an article or on the project, by memo id (schema 3)
OUR_TABLES = (META_TABLE, ANNOTATIONS_TABLE, TAGS_TABLE, ARTICLES_TABLE, MEMOS_TABLE)
# The `_meta` document that records the starter codebook was loaded (so it loads only once).
SEEDED_ID = "codebook"


def empty_tables() -> dict[str, dict[str, dict[str, Any]]]:
    """A new store's tables: the schema record and every table, empty."""
    tables: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in OUR_TABLES}
    tables[META_TABLE] = {META_ID: {"format": FORMAT_NAME, "version": SCHEMA_VERSION}}
    return tables
