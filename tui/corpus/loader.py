"""Articles from files and folders, through the cache; bad files become one-line problems."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.corpus import cache as article_cache
from tui.corpus.decode import MAX_BYTES, check_size
from tui.corpus.model import CLEANER_VERSION, Article
from tui.corpus.web_page import EXTRACTOR_VERSION, PAGE_SUFFIXES, looks_like_page
from tui.errors import UserError
from tui.inert import is_inert
from tui.safe_read import UnsafeFile, open_regular, read_open

TEXT_SUFFIXES = (".txt",)
ARTICLE_SUFFIXES = TEXT_SUFFIXES + PAGE_SUFFIXES
_READ = frozenset(ARTICLE_SUFFIXES)
_NAMED_AT_MOST = 10  # other files named one by one; past this, one line counts the rest

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Corpus:
    """The readable articles of a folder, sorted by id, and what was wrong with the rest."""

    folder: Path
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)

    def get(self, article_id: str) -> Article | None:
        if len(self._by_id) != len(self.articles):  # built on first use, rebuilt if extended
            self._by_id = {article.id: article for article in self.articles}
        return self._by_id.get(article_id)


_HIDDEN = ("Cc", "Cf", "Zl", "Zp", "Cs")


def shown(path: Path | str) -> str:
    """A file name fit for a one-line message: control and format characters escaped.

    File names are untrusted too: one holding ESC must not drive the user's terminal. This
    escapes all `tui.inert` refuses, and every other invisible character, as `\\x1b` rather
    than a stand-in: a file name in a message should be one the user can type back.
    """
    return "".join(_escaped(char) for char in str(path))


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _HIDDEN and is_inert(char):
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def read_raw(path: Path) -> bytes:
    """The file's bytes, or UserError naming the file and why it cannot be read.

    Only regular files are read (a FIFO named `x.txt` would block), and never more than the
    size limit, even if the file grows while it is read.
    """
    try:
        fd = open_regular(path)
        try:
            _check_size(path, os.fstat(fd).st_size)
            return read_open(fd, path, MAX_BYTES)
        finally:
            os.close(fd)
    except UnsafeFile as error:
        if error.reason == "directory":
            raise UserError(f"{shown(path)}: is a directory, not an article file") from None
        if error.reason == "size":  # it grew while we read
            _check_size(path, MAX_BYTES + 1)
        raise UserError(f"{shown(path)}: not a regular file") from None
    except FileNotFoundError:
        raise UserError(f"{shown(path)}: no such file (or a broken link)") from None
    except PermissionError:
        raise UserError(f"{shown(path)}: permission denied") from None
    except OSError as error:
        raise UserError(f"{shown(path)}: cannot be read ({error.strerror or error})") from None


def _check_size(path: Path, size: int) -> None:
    try:
        check_size(size)
    except UserError as error:
        raise UserError(f"{shown(path)}: {error}") from None


def load_article(path: Path, cache: Path | None = None) -> Article:
    """Clean one file (or take it from the cache). UserError names the file."""
    path = Path(path)
    raw = read_raw(path)
    return _clean_cached(raw, path, cache)


def _clean_cached(raw: bytes, path: Path, cache: Path | None) -> Article:
    is_page = path.suffix.lower() in PAGE_SUFFIXES or looks_like_page(raw)
    entry = None
    if cache is not None:
        raw_hash = hashlib.sha256(raw).hexdigest()
        version = f"{CLEANER_VERSION}-{EXTRACTOR_VERSION}" if is_page else CLEANER_VERSION
        entry = article_cache.entry_path(cache, raw_hash, version)
        cached = article_cache.read(entry, path.stem)
        if cached is not None:
            return cached
    if is_page:
        from tui.corpus.page_article import clean_page

        article = clean_page(raw, path.stem, source_name=shown(path))
    else:
        from tui.corpus.pipeline import clean_bytes  # loaded on a cache miss only: ~90 ms

        article = clean_bytes(raw, path.stem, source_name=shown(path))
    if entry is not None:
        article_cache.write(entry, article)
    return article


@dataclass(slots=True)
class FolderListing:
    """The article files of a folder in id order, and one line for each file left out."""

    files: list[Path]
    skipped: list[str]


def list_folder(folder: Path) -> FolderListing:
    """Article files (not recursive), by name only: no file is opened or stat-ed here.

    Files of other types are named, so a `.pdf` is not skipped silently; of two files with
    one id (`a.txt`, `a.html`) the first in name order is read and the other named.
    """
    folder = Path(folder)
    with _scandir(folder) as scan:
        entries = [(entry.name, entry.is_dir()) for entry in scan]
    names, skipped = sort_names(folder, entries)
    return FolderListing([folder / name for name in names.values()], skipped)


def _scandir(folder: Path) -> Any:
    """`os.scandir(folder)`, or UserError saying why the folder cannot be listed."""
    if not folder.exists():
        raise UserError(f"{shown(folder)}: no such folder")
    if not folder.is_dir():
        raise UserError(f"{shown(folder)}: not a folder")
    try:
        return os.scandir(folder)
    except PermissionError:
        raise UserError(f"{shown(folder)}: permission denied") from None


def sort_names(folder: Path, entries: list[tuple[str, bool]]) -> tuple[dict[str, str], list[str]]:
    """{id: file name} of the article files among (name, is_dir) entries, in id order, and
    one line per file left out. Plain strings: a folder of 10,000 files is listed at once."""
    by_id: dict[str, str] = {}
    skipped: list[str] = []
    others: list[str] = []
    folders = {name for name, is_dir in entries if is_dir}
    for name in sorted(name for name, _is_dir in entries):  # names are unique: no tuple sort
        dot = name.rfind(".")
        stem = name[:dot]
        # ".txt" alone: Path's stem is the whole name, its suffix empty: not an article.
        if dot <= 0 or name[dot:].lower() not in _READ or not stem.strip("."):
            if not (name.startswith(".") or name in folders):  # .DS_Store, sub-folders
                others.append(name)
        elif stem in by_id:
            skipped.append(
                f"{shown(folder / name)}: same article id as {shown(by_id[stem])}, not read"
            )
        else:
            by_id[stem] = name
    reads = ", ".join(ARTICLE_SUFFIXES)
    for name in others[:_NAMED_AT_MOST]:
        skipped.append(f"{shown(folder / name)}: not an article type marginalia reads ({reads})")
    if len(others) > _NAMED_AT_MOST:
        more = len(others) - _NAMED_AT_MOST
        skipped.append(f"{shown(folder)}: {more} more files not of a type marginalia reads")
    ids = list(by_id)
    if ids != sorted(ids):  # names sort as ids do, unless a stem ends where another goes on
        by_id = dict(sorted(by_id.items()))
    if not by_id:
        raise UserError(
            f"{shown(folder)}: no articles (*.txt, *.html, *.htm files) in this folder"
            + (f"; {skipped[0]}" if skipped else "")
        )
    return by_id, skipped


def article_files(folder: Path) -> list[Path]:
    """Every article file in the folder (not recursive), in id order."""
    return list_folder(folder).files


def load_corpus(
    folder: Path, cache: Path | None = None, progress: Progress | None = None
) -> Corpus:
    """Every article of a folder. A bad file is reported in `problems`; the others load."""
    listing = list_folder(folder)
    files = listing.files
    corpus = Corpus(Path(folder), problems=list(listing.skipped))
    for done, path in enumerate(files, start=1):
        try:
            corpus.articles.append(load_article(path, cache))
        except UserError as error:
            corpus.problems.append(str(error))
        if progress is not None:
            progress(done, len(files))
    if not corpus.articles:
        bad = corpus.problems[len(listing.skipped) :]  # the article files, not the others
        first = bad[0]
        more = len(bad) - 1
        raise UserError(
            f"{shown(folder)}: no readable articles; {first}"
            + (f" (and {more} more bad file{'s' if more > 1 else ''})" if more else "")
        )
    corpus.articles.sort(key=lambda article: article.id)
    return corpus
