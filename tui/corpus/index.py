"""A corpus that does not all load at start: a listing by stat, articles loaded on demand.

Opening a folder of 10,000 articles must cost what opening two does. So the folder is listed
by name and stat only; what the reader needs to show a list (title, source, date, size,
content hash) comes from an index file kept beside the cache, keyed by each file's name,
size, mtime_ns and inode, so an unchanged file is never opened. An article's text is loaded
(from the cache, or cleaned) when it is asked for, and kept in a small LRU: memory stays
bounded however large the corpus. `clean_rest` cleans what the index lacks, one article at a
time, for a background worker with a progress callback; `refresh` reports what changed on disk.

No Textual here; thread-safe for one background cleaner beside the reader (one lock).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from tui.atomic import replace_file
from tui.corpus.loader import _scandir, load_article, read_raw, shown, sort_names
from tui.corpus.model import CLEANER_VERSION, Article
from tui.corpus.web_page import EXTRACTOR_VERSION
from tui.errors import UserError
from tui.safe_read import UnsafeFile, read_regular

INDEX_FORMAT = 1
INDEX_LIMIT = 256 * 1024 * 1024  # 10,000 entries are a few MB; larger is not ours
KEEP_ARTICLES = 32
"""Articles kept in memory at once (the LRU); the rest are reloaded from the cache."""
SAVE_EVERY = 100
"""`clean_rest` saves the index after this many articles, so an interrupted run keeps them."""

Progress = Callable[[int, int], None]
_VERSION = f"{CLEANER_VERSION}-{EXTRACTOR_VERSION}"


FileKey = tuple[str, int, int, int]
"""(file name, size, mtime_ns, inode): what says a file is unchanged without opening it."""
_ROW = 4  # an index row is the FileKey, then the IndexEntry's fields after `id`


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What a list of articles shows, known without loading the article."""

    id: str
    title: str
    source: str
    date: str
    size: int
    """Characters of clean text."""
    content_hash: str
    """sha256 of the file's bytes: the cache key."""
    problem: str = ""
    """One line when the file is not a readable article (then the rest is empty)."""

    @property
    def known(self) -> bool:
        """False for a file not cleaned yet (only its id is known)."""
        return bool(self.content_hash or self.problem)


@dataclass(slots=True)
class Changes:
    """What `refresh` found: ids added, changed (rewritten) and removed since the last look."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class CorpusIndex:
    """The articles of a folder, listed at once and loaded one by one when asked for."""

    def __init__(
        self,
        folder: Path,
        cache: Path | None,
        *,
        keep: int = KEEP_ARTICLES,
        trust_index: bool = False,
    ) -> None:
        """`trust_index`: list the folder by name only and take the index's rows as they are
        until the first `refresh()` stats the files (the reader's launch: one stat per file
        is most of what opening 10,000 costs, and the first rescan comes seconds later)."""
        self.folder = Path(folder)
        self.cache = cache
        self._keep = max(1, keep)
        self._lock = threading.RLock()
        self._loaded: OrderedDict[str, Article] = OrderedDict()
        self._entries: dict[str, IndexEntry] = {}
        self._rows: dict[str, list[object]] = {}  # index file rows, checked and made entries on use
        self._skipped: list[str] = []
        self._dirty = False
        self._pinned: frozenset[str] = frozenset()
        self._names: tuple[frozenset[tuple[str, bool]], tuple[dict[str, str], list[str]]] = (
            frozenset(),
            ({}, []),
        )
        self._listed: dict[str, FileKey] = {}
        self._listed, self._skipped = self._scan(stat=not trust_index)
        self._read_index()

    # -- listing -----------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """Every article id of the folder, in id order (readable or not yet known)."""
        with self._lock:
            return list(self._listed)  # listed in id order

    def __len__(self) -> int:
        return len(self._listed)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._listed

    def path(self, article_id: str) -> Path:
        """The article's file; KeyError for an id not in the folder."""
        return self.folder / self._listed[article_id][0]

    def entry(self, article_id: str) -> IndexEntry | None:
        """The indexed summary of an article, or None until it has been cleaned once."""
        with self._lock:
            entry = self._entries.get(article_id)
            if entry is None and (row := self._valid_row(article_id)) is not None:
                entry = self._entries[article_id] = _entry(article_id, row[_ROW:])
                del self._rows[article_id]
            return entry

    def entries(self) -> dict[str, IndexEntry | None]:
        """Every listed id's summary (None until cleaned once), in id order: one lock, not
        10,000 (what a picker lists)."""
        with self._lock:
            found: dict[str, IndexEntry | None] = {}
            entries = self._entries
            for article_id in self._listed:
                entry = entries.get(article_id)
                if entry is None and (row := self._valid_row(article_id)) is not None:
                    entry = entries[article_id] = _entry(article_id, row[_ROW:])
                    del self._rows[article_id]
                found[article_id] = entry
            return found

    def _valid_row(self, article_id: str) -> list[object] | None:
        """The index file's row for the article if it is of the file now listed (lock held):
        same name, size, mtime and inode; by name alone while the folder is not stat-ed."""
        row = self._rows.get(article_id)
        key = self._listed.get(article_id)
        if key is None or not isinstance(row, list) or len(row) != _ROW + len(_FIELDS):
            return None  # a damaged row is as good as none: the article is cleaned again
        if key[1] == _NOT_STATED:
            return row if row[0] == key[0] else None
        return row if tuple(row[:_ROW]) == key else None

    @property
    def problems(self) -> list[str]:
        """One line per file left out: other types, clashing ids, unreadable articles."""
        with self._lock:
            bad = [e.problem for i, e in self._entries.items() if i in self._listed]
            bad += [str(r[-1]) for i, r in self._rows.items() if self._valid_row(i) and r[-1]]
            return self._skipped + sorted(line for line in bad if line)

    def unknown(self) -> list[str]:
        """Ids not yet in the index: what `clean_rest` will clean."""
        with self._lock:
            entries = self._entries
            return [i for i in self._listed if i not in entries and self._valid_row(i) is None]

    # -- articles ----------------------------------------------------------------------------

    def article(self, article_id: str) -> Article:
        """The article, loaded (cache or cleaner) on first use and kept in the LRU.
        KeyError for an id not in the folder; UserError (one line) for a bad file."""
        with self._lock:
            if article_id in self._loaded:
                self._loaded.move_to_end(article_id)
                return self._loaded[article_id]
            path = self.path(article_id)
        article = self._load(article_id, path)
        with self._lock:
            self._loaded[article_id] = article
            self._evict()
        return article

    def pin(self, article_ids: Iterable[str]) -> None:
        """Keep these articles (the ones on screen) in memory whatever the LRU says."""
        with self._lock:
            self._pinned = frozenset(article_ids)
            self._evict()

    def _evict(self) -> None:
        """Drop the oldest unpinned articles past `keep` (called with the lock held)."""
        over = len(self._loaded) - self._keep
        if over <= 0:
            return
        for article_id in [i for i in self._loaded if i not in self._pinned][:over]:
            del self._loaded[article_id]

    def loaded(self) -> list[str]:
        """Ids held in memory now (oldest first): for tests and the memory figure."""
        with self._lock:
            return list(self._loaded)

    def _load(self, article_id: str, path: Path) -> Article:
        # Stat before reading: if the file changes while it is read, the next refresh sees
        # a moved key and compares the bytes again.
        with contextlib.suppress(OSError):
            info = path.stat()
            key = (path.name, info.st_size, info.st_mtime_ns, info.st_ino)
            with self._lock:
                if self._listed.get(article_id, key)[1] == _NOT_STATED:
                    self._listed[article_id] = key
        try:
            article = load_article(path, self.cache)
        except UserError as error:
            self._record(article_id, IndexEntry(article_id, "", "", "", 0, "", str(error)))
            raise
        self._record(
            article_id,
            IndexEntry(
                id=article_id,
                title=article.title,
                source=article.source or "",
                date=article.metadata.get("date", ""),
                size=len(article.text),
                content_hash=article.raw_hash,
            ),
        )
        return article

    def _record(self, article_id: str, entry: IndexEntry) -> None:
        with self._lock:
            self._rows.pop(article_id, None)
            if self._entries.get(article_id) != entry:
                self._entries[article_id] = entry
                self._dirty = True

    def clean_rest(
        self, progress: Progress | None = None, ids: Sequence[str] | None = None
    ) -> Iterator[str]:
        """Clean every article the index lacks (or `ids`), one at a time, yielding each id.

        For a background worker: each step is one article, so it can stop between two; the
        articles are not kept (the LRU is for what the reader shows), and the lock is held
        only to look up and record, never while a file is read or cleaned. The index is
        saved every `SAVE_EVERY` articles and at the end.
        """
        todo = self.unknown() if ids is None else list(ids)
        for done, article_id in enumerate(todo, start=1):
            with self._lock:
                key = self._listed.get(article_id)
                wanted = key is not None and self.entry(article_id) is None
            if wanted and key is not None:
                with contextlib.suppress(UserError):
                    self._load(article_id, self.folder / key[0])
            if progress is not None:
                progress(done, len(todo))
            if done % SAVE_EVERY == 0:
                self.save()
            yield article_id
        self.save()

    # -- the folder changing -----------------------------------------------------------------

    def refresh(self) -> Changes:
        """List the folder again; what was added, changed (new bytes) and removed since.

        Cheap enough for every two seconds on 10,000 files: one scandir and one stat per
        file; a file is read (and hashed) only when its size, mtime or inode moved, and
        counts as changed only when its bytes differ from the indexed hash (a `touch` is no
        change). The lock is held only to compare and swap, never while the disk is read.
        A folder left with no article is all removed; UserError if the folder itself went.
        """
        try:
            listed, skipped = self._scan()
        except UserError:
            if not self.folder.is_dir():
                raise
            listed, skipped = {}, []
        with self._lock:
            before = self._listed
            moved = [i for i in listed if i in before and listed[i] != self._last_key(i)]
            known = {i: self._content_hash(i) for i in moved}
            # Indexed (even as a problem) or loaded: something of it is held and now stale.
            held = {i for i in moved if i in self._loaded or self.entry(i) is not None}
        same = {i for i in moved if known[i] and _file_hash(self.folder / listed[i][0]) == known[i]}
        with self._lock:
            for article_id in same:  # a touch: keep what is known, under the new file key
                if (entry := self.entry(article_id)) is not None:
                    self._record(article_id, entry)
            before = self._listed
            changes = Changes(
                added=[i for i in listed if i not in before],
                removed=[i for i in before if i not in listed],
                # Never indexed nor loaded: nothing of it is held, so nothing has changed.
                changed=[i for i in moved if i not in same and i in held],
            )
            self._listed, self._skipped = listed, skipped
            for article_id in changes.removed + [i for i in moved if i not in same]:
                self._loaded.pop(article_id, None)
                self._rows.pop(article_id, None)
                self._entries.pop(article_id, None)
            if changes or same:
                self._dirty = True  # new file keys to save, even for a touched file
            return changes

    def _last_key(self, article_id: str) -> FileKey | None:
        """The file key last seen: the listing's, or the index row's before the first stat."""
        key = self._listed.get(article_id)
        if key is not None and key[1] == _NOT_STATED and (row := self._valid_row(article_id)):
            return (str(row[0]), int(row[1]), int(row[2]), int(row[3]))  # type: ignore[call-overload]
        return key

    def _content_hash(self, article_id: str) -> str:
        """The indexed hash of the article's bytes, "" when unknown (lock held)."""
        entry = self.entry(article_id)
        return entry.content_hash if entry is not None else ""

    def _scan(self, *, stat: bool = True) -> tuple[dict[str, FileKey], list[str]]:
        """Names and stat of the folder's files: one scandir, one stat per article file
        (none with `stat=False`: then every key is (name, -1, -1, -1), "not stat-ed")."""
        with _scandir(self.folder) as scan:
            found = {entry.name: entry for entry in scan}
        seen = frozenset((n, e.is_dir()) for n, e in found.items())
        if seen != self._names[0]:  # sorting 10,000 names again only when they changed
            self._names = (seen, sort_names(self.folder, list(seen)))
        names, skipped = self._names[1]
        listed: dict[str, FileKey] = {}
        if not stat:
            return {
                i: (name, _NOT_STATED, _NOT_STATED, _NOT_STATED) for i, name in names.items()
            }, skipped
        for article_id, name in names.items():
            try:
                info = found[name].stat()
                listed[article_id] = (name, info.st_size, info.st_mtime_ns, info.st_ino)
            except OSError:  # gone since the scandir: looked at again next time
                listed[article_id] = (name, _STAT_FAILED, _STAT_FAILED, _STAT_FAILED)
        return listed, skipped

    # -- the index file ----------------------------------------------------------------------

    def index_path(self) -> Path | None:
        """Beside the cache, one file per folder (by its absolute path)."""
        if self.cache is None:
            return None
        where = hashlib.sha256(os.fsencode(self.folder.resolve())).hexdigest()[:24]
        return self.cache / "index" / f"{where}.json"

    def _read_index(self) -> None:
        """Rows whose file key still matches; each becomes an IndexEntry when asked for."""
        path = self.index_path()
        if path is None:
            return
        try:
            data = orjson.loads(read_regular(path, INDEX_LIMIT, follow_links=False))
            if data.get("format") != INDEX_FORMAT or data.get("version") != _VERSION:
                return
            rows = data["entries"]
            if not isinstance(rows, dict):
                return  # an index that does not read back is rebuilt
        except (OSError, UnsafeFile, ValueError, KeyError, TypeError, AttributeError):
            return
        with self._lock:  # each row is checked against its file when first asked for
            self._rows = rows

    def save(self) -> None:
        """Write the index if it changed. Best effort: a lost index only costs cleaning time."""
        path = self.index_path()
        with self._lock:
            if path is None or not self._dirty:
                return
            entries: dict[str, list[object]] = {}
            for article_id, key in self._listed.items():
                if (entry := self._entries.get(article_id)) is not None:
                    if key[1] != _NOT_STATED:
                        entries[article_id] = [*key, *(getattr(entry, f) for f in _FIELDS)]
                elif (row := self._valid_row(article_id)) is not None:
                    entries[article_id] = row
            data = {"format": INDEX_FORMAT, "version": _VERSION, "entries": entries}
            payload = orjson.dumps(data)
            self._dirty = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, payload, mode=0o600, durable=False)
        except OSError:
            with self._lock:
                self._dirty = True

    def describe(self) -> str:
        """One line for a status bar: how much of the folder is known."""
        known = len(self._listed) - len(self.unknown())
        return f"{shown(self.folder)}: {len(self._listed)} articles, {known} indexed"


_FIELDS = ("title", "source", "date", "size", "content_hash", "problem")
_NOT_STATED = -1
_STAT_FAILED = -2


def _file_hash(path: Path) -> str:
    """sha256 of the file's bytes (the cache key), "" when it cannot be read."""
    try:
        return hashlib.sha256(read_raw(path)).hexdigest()
    except UserError:
        return ""


def _entry(article_id: str, row: list[object]) -> IndexEntry:
    title, source, date, size, content_hash, problem = row
    return IndexEntry(
        article_id,
        str(title),
        str(source),
        str(date),
        int(size),  # type: ignore[call-overload]
        str(content_hash),
        str(problem),
    )
