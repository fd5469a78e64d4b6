"""The workspace: where the corpus, the store, the cache and the user name come from.

Resolution order is part of the contract in design.md: command-line flag, then environment
variable, then the working directory, then what ships with the project.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from tui.errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SEEDS = PROJECT_ROOT / "seeds"
DEFAULT_DB = Path("annotations") / "marginalia.json"
CODEBOOK_FILE = "codebook.yaml"
STARTER_CODEBOOK = PROJECT_ROOT / "annotations" / CODEBOOK_FILE
"""Twelve codes about the bundled seeds' topics: the starter of their workspace only."""


@dataclass(frozen=True, slots=True)
class Workspace:
    corpus: Path
    db: Path
    user: str
    cache: Path


def resolve_corpus(flag: str | os.PathLike[str] | None = None) -> Path:
    if flag:
        return Path(flag)
    if env := os.environ.get("MARGINALIA_CORPUS"):
        return Path(env)
    local = Path("seeds")
    if local.is_dir():
        return local
    return BUNDLED_SEEDS


def resolve_db(flag: str | os.PathLike[str] | None = None) -> Path:
    if flag:
        return Path(flag)
    if env := os.environ.get("MARGINALIA_DB"):
        return Path(env)
    return DEFAULT_DB


def resolve_user(flag: str | None = None) -> str:
    """The name new annotations carry, checked as an importer checks an author: a name the
    store would refuse is a one-line UserError here, before anything is opened."""
    if flag:
        return _checked_user(flag, "--user")
    if env := os.environ.get("MARGINALIA_USER"):
        return _checked_user(env, "$MARGINALIA_USER")
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers without a passwd entry)
        return f"uid{os.getuid()}"


def _checked_user(name: str, origin: str) -> str:
    from tui.store.errors import StoreError
    from tui.store.names import check_author

    try:
        return check_author(name)
    except StoreError as error:
        raise UserError(f"{origin}: {error}") from None


def resolve_cache() -> Path:
    """Clean articles are cached per user, outside the repo, so a read-only corpus works."""
    if env := os.environ.get("MARGINALIA_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marginalia"


def workspace(
    corpus: str | None = None, db: str | None = None, user: str | None = None
) -> Workspace:
    return Workspace(
        corpus=resolve_corpus(corpus),
        db=resolve_db(db),
        user=resolve_user(user),
        cache=resolve_cache(),
    )


def starter_codebook(space: Workspace, flag: str | os.PathLike[str] | None = None) -> Path | None:
    """The codebook a new store starts from: `--codebook FILE`; else `codebook.yaml` beside
    the store (a project's own starter, as this repo's `annotations/` has); else, when the
    corpus is the bundled seeds, the starter codebook about their topics; else none: a store
    elsewhere starts empty, with every quick key free."""
    if flag:
        chosen = Path(flag)
        if not chosen.is_file():
            raise UserError(f"{chosen}: no such codebook file (--codebook)")
        return chosen
    beside = space.db.parent / CODEBOOK_FILE
    if beside.is_file():
        return beside
    if _same_folder(space.corpus, BUNDLED_SEEDS) and STARTER_CODEBOOK.is_file():
        return STARTER_CODEBOOK
    return None


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:  # a loop of links, a folder we may not look into
        return False
