"""Clean Articles on disk, keyed by the raw bytes' hash and the cleaner's version.

Plain JSON (never pickle: a cache file is not trusted code). Written through a temp file and a
rename, so a crash leaves the old entry or none; an entry that does not read back is ignored and
rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

import orjson

from tui.atomic import replace_file
from tui.corpus.model import Article, Block, Change, Spans
from tui.safe_read import UnsafeFile, read_regular

FORMAT = 2  # sentences and words as flat [start, end, start, end, ...] arrays
# An entry is the clean text plus its spans: a few times the article (16 MiB at most). A
# FIFO, a link or a larger file put in the cache folder is ignored, never blocked on.
ENTRY_LIMIT = 128 * 1024 * 1024


def entry_path(cache: Path, raw_hash: str, version: str) -> Path:
    return cache / f"{raw_hash}-v{version}.json"


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "text": article.text,
        "text_hash": article.text_hash,
        "raw_hash": article.raw_hash,
        "metadata": article.metadata,
        "blocks": [{"kind": b.kind, "start": b.start, "end": b.end} for b in article.blocks],
        "sentences": [offset for span in article.sentences for offset in span],
        "words": [offset for span in article.words for offset in span],
        "report": [
            {
                "stage": c.stage,
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
                "confidence": c.confidence,
                "start": c.start,
                "end": c.end,
                "detail": c.detail,
            }
            for c in article.report
        ],
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    return Article(
        id=str(data["id"]),
        title=str(data["title"]),
        text=str(data["text"]),
        blocks=tuple(Block(b["kind"], int(b["start"]), int(b["end"])) for b in data["blocks"]),
        sentences=_spans(data["sentences"], len(data["text"])),
        words=Spans.from_flat(_checked_offsets(data["words"], len(data["text"]))),
        report=tuple(Change(**change) for change in data["report"]),
        source=data["source"],
        author=data["author"],
        text_hash=str(data["text_hash"]),
        raw_hash=str(data["raw_hash"]),
        metadata={str(k): str(v) for k, v in data["metadata"].items()},
    )


def _spans(flat: list[int], limit: int) -> tuple[tuple[int, int], ...]:
    """Pairs from a flat offset array; anything but in-range ints fails (the entry is rebuilt)."""
    _checked_offsets(flat, limit)
    return tuple(zip(flat[::2], flat[1::2], strict=True))


def _checked_offsets(flat: list[int], limit: int) -> list[int]:
    """`flat` if it holds pairs of in-range ints; else the entry is bad and rebuilt."""
    if len(flat) % 2 or (flat and (min(flat) < 0 or max(flat) > limit)):
        raise ValueError("offsets out of range")
    if type(sum(flat)) is not int:  # a float anywhere makes the sum a float (C-speed check)
        raise TypeError("offsets must be integers")
    return flat


def read(path: Path, article_id: str) -> Article | None:
    """The cached article, or None if absent or unreadable (then it is rebuilt)."""
    try:
        data = orjson.loads(read_regular(path, ENTRY_LIMIT, follow_links=False))
        if data.get("format") != FORMAT:
            return None
        article = article_from_dict(data["article"])
    except (OSError, UnsafeFile, ValueError, KeyError, TypeError, AttributeError):
        return None
    if article.id != article_id:  # same bytes under another file name
        article = _renamed(article, article_id)
    return article


def _renamed(article: Article, article_id: str) -> Article:
    data = article_to_dict(article)
    data["id"] = article_id
    return article_from_dict(data)


def write(path: Path, article: Article) -> None:
    """Best effort: a cache that cannot be written only costs time.

    Entries for the same bytes from other cleaner versions are removed: they are never read
    again, and a corpus of a thousand articles should not leave a thousand stale files.
    """
    payload = orjson.dumps({"format": FORMAT, "article": article_to_dict(article)})
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in _stale_entries(path):
            stale.unlink(missing_ok=True)
        # Not durable: an entry lost to a power cut only costs cleaning that article again.
        replace_file(path, payload, mode=0o600, durable=False)


# The cache folder's entry names by bytes hash, listed once per process and kept up to date
# with our own writes. A glob per write read the whole folder each time: 27 ms a write in a
# folder of 10,000 entries, more than cleaning the article, so a cold corpus went quadratic.
# An entry another process adds later is not seen here: at worst a stale file stays a while.
_ENTRIES: dict[Path, dict[str, set[str]]] = {}
_ENTRIES_LOCK = threading.Lock()


def _stale_entries(path: Path) -> list[Path]:
    """Other entries for the bytes `path` is for; from now on `path` is its only entry."""
    folder = path.parent
    raw_hash = path.name.split("-v", 1)[0]
    with _ENTRIES_LOCK:
        names = _ENTRIES.get(folder)
        if names is None:
            names = _ENTRIES[folder] = _list_entries(folder)
        others = names.get(raw_hash, set()) - {path.name}
        names[raw_hash] = {path.name}
    return [folder / name for name in sorted(others)]


def _list_entries(folder: Path) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    with os.scandir(folder) as scan:
        for entry in scan:
            raw_hash, marker, _ = entry.name.partition("-v")
            if marker and entry.name.endswith(".json"):
                names.setdefault(raw_hash, set()).add(entry.name)
    return names
