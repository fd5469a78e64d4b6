"""Memos: a researcher's dated notes on an article or on the whole project (issue 17).

Each memo is a record of its own in the `memos` table, keyed by a uuid, so several people on
one host write memos at once without touching each other's records; every change goes through
the store's one door (`Records.set`: journalled, indexed) as one undoable action of the
session that made it. `AnnotationStore.memos` is the one `MemoBook` of a session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Protocol, TypeVar

from tui.store.errors import StoreError
from tui.store.history import short
from tui.store.model import Memo, utc_now
from tui.store.records import Records
from tui.store.rules import checked_article_id, clean_memo
from tui.store.schema import MEMOS_TABLE

T = TypeVar("T")


class Act(Protocol):
    """The store's `_act`: run `body` as one undoable change described by `description`."""

    def __call__(self, description: str, body: Callable[[], T], /) -> T: ...


PROJECT = ""
"""The `article` of a memo on the project as a whole."""


class MemoBook:
    """The memos of one store, changed as one user (`act` runs a body as an undoable change)."""

    def __init__(self, records: Records, act: Act, user: str) -> None:
        self._records = records
        self._act = act
        self._user = user

    def list(self, article: str | None = None) -> list[Memo]:
        """Memos by (article, created, id): all of them, or one article's (PROJECT: the
        project's)."""
        self._records.catch_up()
        found = [
            memo
            for memo in self._records.at.memos.values()
            if article is None or memo.article == article
        ]
        found.sort(key=lambda m: (m.article, m.created, m.id))
        return found

    def get(self, memo_id: str) -> Memo | None:
        self._records.catch_up()
        return self._records.at.memos.get(memo_id)

    def add(self, article: str, text: str) -> Memo:
        """A new memo on `article` (PROJECT for the project), by this user, dated now."""
        article = checked_article_id(article) if article else PROJECT
        text = clean_memo(text)

        def body() -> Memo:
            now = utc_now()
            memo = Memo(uuid.uuid4().hex, article, text, self._user, now, now)
            self._records.set(MEMOS_TABLE, memo.id, memo.to_record())
            return memo

        return self._act(f"write a memo {short(text)!r}", body)

    def edit(self, memo_id: str, text: str) -> Memo:
        """New text for a memo (its author and creation date stay); StoreError if it is gone."""
        text = clean_memo(text)

        def body() -> Memo:
            current = self._current(memo_id)
            if current.text == text:
                return current
            updated = replace(current, text=text, updated=utc_now())
            self._records.set(MEMOS_TABLE, memo_id, updated.to_record())
            return updated

        return self._act(f"edit the memo {short(text)!r}", body)

    def delete(self, memo_id: str) -> Memo:
        def body() -> Memo:
            current = self._current(memo_id)
            self._records.set(MEMOS_TABLE, memo_id, None)
            return current

        return self._act("delete a memo", body)

    def merge(self, memos: Iterable[Memo], expected: Mapping[str, str | None]) -> int:
        """Write memos by id in one undoable change (an import): each only if the stored one
        still has the `updated` the caller planned from (None: absent), so a memo someone
        edited meanwhile is left as they left it. Returns how many were written."""
        incoming = [replace(memo, text=clean_memo(memo.text)) for memo in memos]
        for memo in incoming:
            if memo.article:
                checked_article_id(memo.article)

        def body() -> int:
            written = 0
            for memo in incoming:
                stored = self._records.at.memos.get(memo.id)
                if (None if stored is None else stored.updated) != expected.get(memo.id):
                    continue
                if stored != memo:
                    self._records.set(MEMOS_TABLE, memo.id, memo.to_record())
                    written += 1
            return written

        return self._act("import memos", body)

    def _current(self, memo_id: str) -> Memo:
        memo = self._records.at.memos.get(memo_id)
        if memo is None:
            raise StoreError(f"{self._records.storage.path}: no memo with id {memo_id!r}")
        return memo
