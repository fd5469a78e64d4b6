"""Workspace resolution order: flag, then environment, then working directory, then bundled."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import config


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("MARGINALIA_CORPUS", "MARGINALIA_DB", "MARGINALIA_USER", "MARGINALIA_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_flag_beats_environment(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARGINALIA_CORPUS", "/from/env")
    monkeypatch.setenv("MARGINALIA_DB", "/env/db.json")
    monkeypatch.setenv("MARGINALIA_USER", "env-user")
    ws = config.workspace("flag-corpus", "flag.json", "flag-user")
    assert ws.corpus == Path("flag-corpus")
    assert ws.db == Path("flag.json")
    assert ws.user == "flag-user"


def test_environment_beats_defaults(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / "seeds").mkdir()
    monkeypatch.setenv("MARGINALIA_CORPUS", "/from/env")
    monkeypatch.setenv("MARGINALIA_DB", "/env/db.json")
    monkeypatch.setenv("MARGINALIA_USER", "env-user")
    monkeypatch.setenv("MARGINALIA_CACHE", "/env/cache")
    ws = config.workspace()
    assert (ws.corpus, ws.db, ws.user, ws.cache) == (
        Path("/from/env"),
        Path("/env/db.json"),
        "env-user",
        Path("/env/cache"),
    )


def test_local_seeds_then_bundled_seeds(clean_env: Path) -> None:
    assert config.resolve_corpus() == config.BUNDLED_SEEDS
    assert sorted(p.name for p in config.BUNDLED_SEEDS.glob("*.txt")) == [
        "000_812b4db44989ec20.txt",
        "001_5b2a99fe7e84453b.txt",
    ]
    (clean_env / "seeds").mkdir()
    assert config.resolve_corpus() == Path("seeds")


def test_default_store_is_under_annotations(clean_env: Path) -> None:
    assert config.resolve_db() == Path("annotations/marginalia.json")


def test_cache_follows_xdg(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(clean_env / "xdg"))
    assert config.resolve_cache() == clean_env / "xdg" / "marginalia"
