"""Suite-wide settings.

Property tests explore new random examples on every developer's run, which is how they find
bugs; in CI (where CI=true) they replay a fixed sequence, so a build is red only for a
change, not for the luck of the draw. A failure found locally is kept in .hypothesis/ and
should become an explicit example.

Fixtures many modules share live here, once: `db` (where a test's store goes),
`workspace` (a CLI session on the bundled seeds) and `cleaned` (which articles the cleaner
ran on). A module that needs a seeded store
overrides `db` with its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tui.config import BUNDLED_SEEDS
from tui.corpus import pipeline

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


@pytest.fixture
def cleaned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every article id the cleaner ran on (text and pages both pass `pipeline._clean`)."""
    seen: list[str] = []
    real = pipeline._clean

    def counting(raw: bytes, article_id: str) -> Any:
        seen.append(article_id)
        return real(raw, article_id)

    monkeypatch.setattr(pipeline, "_clean", counting)
    return seen
