"""Suite-wide settings.

Property tests explore new random examples on every developer's run, which is how they find
bugs; in CI (where CI=true) they replay a fixed sequence, so a build is red only for a
change, not for the luck of the draw. A failure found locally is kept in .hypothesis/ and
should become an explicit example.

Fixtures many modules share live here, once: `db` (where a test's store goes) and
`workspace` (a CLI session on the bundled seeds). A module that needs a seeded store
overrides `db` with its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tui.config import BUNDLED_SEEDS

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where a test's store lives; nothing exists there until a test writes."""
    return tmp_path / "store" / "marginalia.json"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder of a CLI session as `alice` on the bundled seeds, with a cache of its own
    and no store chosen by the environment (tests pass `--db`)."""
    monkeypatch.setenv("MARGINALIA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MARGINALIA_CORPUS", str(BUNDLED_SEEDS))
    monkeypatch.setenv("MARGINALIA_USER", "alice")
    monkeypatch.delenv("MARGINALIA_DB", raising=False)
    return tmp_path
