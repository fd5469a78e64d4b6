"""TinyDB made to hold marginalia's records: tables keyed by our own string ids, updated in
place, over the journal storage (`tui.store.storage`).

Document ids are strings (annotation and memo uuid4 hex, tag names, article ids), so TinyDB's
cached "next id", which breaks multi-process use, is never consulted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document, Table


class RecordTable(Table):
    """A TinyDB table keyed by our own string ids, updated in place.

    TinyDB's `_update_table` rebuilds the whole table dict twice per write to convert ids
    between int and str; with str ids that conversion is the identity, so we skip it and a
    write costs the same at 100 and at 50,000 documents.
    """

    # TinyDB declares int ids; ours are str throughout, which its code never relies on.
    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("marginalia documents carry their own ids; insert a Document with doc_id")

    def _update_table(self, updater: Callable[[dict[int, Mapping[Any, Any]]], None]) -> None:
        tables = self._storage.read() or {}
        table = tables.setdefault(self.name, {})
        updater(cast("dict[int, Mapping[Any, Any]]", table))  # str ids: see document_id_class
        self._storage.write(tables)
        self.clear_cache()

    def insert_record(self, doc_id: str, doc: Mapping[str, Any]) -> None:
        """Add `doc` under our own id, which no document has."""
        self.insert(Document(dict(doc), doc_id=cast(int, doc_id)))  # str ids, as above

    def remove_record(self, doc_id: str) -> None:
        """Remove the document with our own id `doc_id`."""
        self.remove(doc_ids=[cast(int, doc_id)])  # str ids, as above


class RecordDatabase(TinyDB):
    table_class = RecordTable

    def record_table(self, name: str) -> RecordTable:
        """The table `name`, uncached: other processes change it under us."""
        table = self.table(name, cache_size=0)
        assert isinstance(table, RecordTable)
        return table
