"""The store file's records as one session sees and changes them.

Between the facade (`store.py`, what a user does) and the storage (`storage.py`, bytes on
disk): every change goes through `set`, which writes the record through TinyDB, declares it
to the journal, updates the indexes and, while an undoable action runs, remembers its
before and after for the history. One door, so that no change can miss one of the four.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tui.store.errors import StoreError, StoreWriteError
from tui.store.history import Edit
from tui.store.indexes import Indexes
from tui.store.model import Annotation
from tui.store.schema import ANNOTATIONS_TABLE, OUR_TABLES
from tui.store.storage import JournalStorage, RecordDatabase
from tui.store.store_files import Op

T = TypeVar("T")
Doc = dict[str, Any]


class Records:
    """One store file's tables for one session, with the indexes kept in step."""

    def __init__(self, path: Path, *, shared: bool | None, lock_timeout: float) -> None:
        self.storage = JournalStorage(path, shared=shared, lock_timeout=lock_timeout)
        self._db = RecordDatabase(storage=lambda: self.storage)
        self._tables = {name: self._db.record_table(name) for name in OUR_TABLES}
        self.at = Indexes()  # what every query reads
        self._edits: list[Edit] | None = None  # the running action's, while it records
        self.storage.on_ops = self._reindex_records

    def catch_up(self) -> None:
        """Read what other processes wrote since we last looked."""
        self.storage.sync()
        self.reindex_if_stale()

    def reindex_if_stale(self) -> None:
        tables = self.storage.read()  # loads (and bumps disk_version) if not loaded yet
        if self.at.version != self.storage.disk_version:
            self.at.rebuild(tables, self.storage.disk_version)

    def transact(self, body: Callable[[], T], *, edits: list[Edit] | None = None) -> T:
        """Run `body` under the lock, on the latest state, as one journal line; the records it
        changes are appended to `edits` when given (an undoable action)."""
        outcome: list[T] = []
        self._edits = edits
        try:
            with self.storage.transaction():
                self.reindex_if_stale()
                outcome.append(body())
        except StoreWriteError as error:
            error.result = outcome[0] if outcome else None
            raise
        except BaseException:
            if edits is not None:
                edits.clear()  # the storage reloads from disk: nothing of this action happened
            self.at.version = -1
            raise
        finally:
            self._edits = None
        return outcome[0]

    def raw(self, table: str, doc_id: str) -> Doc | None:
        """A copy of one record as stored, or None."""
        doc = self.storage.read().get(table, {}).get(doc_id)
        return None if doc is None else dict(doc)

    def set(self, table_name: str, doc_id: str, doc: Doc | None) -> None:
        """Put or delete one record, through TinyDB, declared to the journal, indexed."""
        table = self._tables[table_name]
        before = self.raw(table_name, doc_id)
        if before is not None:
            table.remove_record(doc_id)
        if doc is not None:
            table.insert_record(doc_id, doc)
        self.storage.record(table_name, doc_id, doc, before)
        if self._edits is not None:
            self._edits.append(Edit(table_name, doc_id, before, None if doc is None else dict(doc)))
        self.at.apply(table_name, doc_id, doc)

    def annotation(self, annotation_id: str) -> Annotation:
        """The annotation with that id, or StoreError (someone may have deleted it)."""
        annotation = self.at.by_id.get(annotation_id)
        if annotation is None:
            raise StoreError(f"{self.storage.path}: no annotation with id {annotation_id!r}")
        return annotation

    def put_annotation(self, annotation: Annotation) -> None:
        self.set(ANNOTATIONS_TABLE, annotation.id, annotation.to_record())

    def _reindex_records(self, ops: list[Op]) -> None:
        """Other processes' changes, read from the journal: update the indexes in place."""
        for table, doc_id, doc in ops:
            self.at.apply(table, doc_id, doc)
