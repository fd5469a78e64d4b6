"""End to end: the real `python -m tui` in a tmux terminal, driven by keys like a user.

Reads the screen with `capture-pane`, tags a sentence through the picker, quits, and checks the
store file through AnnotationStore. Needs tmux (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.config import BUNDLED_SEEDS, PROJECT_ROOT
from tui.corpus import load_corpus
from tui.store import AnnotationStore

LEFT = "000_812b4db44989ec20"
TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not on PATH: the end-to-end reader test needs a real terminal"
)


def tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=10, check=True)
    return done.stdout


def wait_for_screen(session: str, ready: Callable[[str], bool], limit: float = 20.0) -> str:
    deadline = time.monotonic() + limit
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if ready(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"the screen never got there; last screen:\n{screen}")


def test_tag_a_sentence_in_a_real_terminal(tmp_path: Path) -> None:
    db = tmp_path / "annotations" / "marginalia.json"
    article = load_corpus(BUNDLED_SEEDS, cache=None).get(LEFT)
    assert article is not None
    session = f"marginalia-e2e-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {PROJECT_ROOT} && TERM=screen {sys.executable} -m tui --corpus {BUNDLED_SEEDS} "
        f"--db {db} --user t; sleep 5"
    )
    tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", session, command)
    try:
        count = len(article.sentences)
        screen = wait_for_screen(session, lambda s: "Kennan Institute" in s and f"1/{count}" in s)
        assert " ".join(article.text.split()[:4]) in screen
        tmux("send-keys", "-t", session, "j")
        wait_for_screen(session, lambda s: f"2/{count}" in s)
        tmux("send-keys", "-t", session, "t")
        wait_for_screen(session, lambda s: "Tag sentence" in s)
        tmux("send-keys", "-t", session, "-l", "domestic politics")
        wait_for_screen(session, lambda s: "+ new tag domestic politics" in s)
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for_screen(session, lambda s: "domestic politics  — t" in s)
        tmux("send-keys", "-t", session, "q")
        wait_for_screen(session, lambda s: "Kennan Institute" not in s)
    finally:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", session], capture_output=True)
    [annotation] = AnnotationStore(db, "checker").annotations()
    assert annotation.tags == ("domestic politics",)
    assert annotation.author == "t"
    assert annotation.article == LEFT
    start, end = article.sentences[1]
    assert (annotation.start, annotation.end) == (start, end)
    assert annotation.quote == article.text[start:end]


def test_a_file_dropped_into_the_corpus_folder_appears_in_the_open_reader(tmp_path: Path) -> None:
    """Issue 15: the folder is live. A page saved while the reader is open is in the article
    picker (`o`) within seconds, without a restart."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(BUNDLED_SEEDS.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    db = tmp_path / "annotations" / "marginalia.json"
    session = f"marginalia-e2e-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {PROJECT_ROOT} && TERM=screen {sys.executable} -m tui --corpus {corpus} "
        f"--db {db} --user t; sleep 5"
    )
    tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", session, command)
    try:
        wait_for_screen(session, lambda s: "Kennan Institute" in s)
        page = (
            "<html><head><title>Harbour strike enters its third week</title></head><body>"
            "<article><h1>Harbour strike enters its third week</h1>"
            "<p>Dock workers in the northern port voted on Tuesday to continue the strike, "
            "which has left container ships waiting offshore since the start of the month.</p>"
            "<p>The union said talks with the port authority would resume on Friday, while "
            "shipping firms warned of rising costs for importers across the region.</p>"
            "</article></body></html>"
        )
        (corpus / "harbour-strike.html").write_text(page, encoding="utf-8")
        tmux("send-keys", "-t", session, "o")
        wait_for_screen(session, lambda s: "Open article" in s or "filter" in s)
        tmux("send-keys", "-t", session, "-l", "harbour")
        # The picker follows the folder: the rescan (every 2 s) finds the page and the open
        # picker lists it (by its file name until it is cleaned).
        wait_for_screen(session, lambda s: "harbour-strike" in s or "Harbour strike" in s)
        tmux("send-keys", "-t", session, "Enter")
        wait_for_screen(session, lambda s: "Dock workers in the northern port" in s)
        # Open in the pane, cleaned, it carries its own title.
        wait_for_screen(session, lambda s: "━ Harbour strike enters its third" in s)
        tmux("send-keys", "-t", session, "q")
    finally:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", session], capture_output=True)


def test_keys_typed_right_after_q_end_the_reader_cleanly(tmp_path: Path) -> None:
    """`q e` in one packet: the export dialog was pushed while the app closed, never
    composed, and the reader ended on a traceback instead of the shell."""
    db = tmp_path / "annotations" / "marginalia.json"
    session = f"marginalia-e2e-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {PROJECT_ROOT} && TERM=screen {sys.executable} -m tui --corpus {BUNDLED_SEEDS} "
        f"--db {db} --user t; echo READER-ENDED $?; sleep 5"
    )
    tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", session, command)
    try:
        wait_for_screen(session, lambda s: "Kennan Institute" in s)
        tmux("send-keys", "-t", session, "q", "e", "a", "c")
        screen = wait_for_screen(session, lambda s: "READER-ENDED" in s)
    finally:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", session], capture_output=True)
    assert "Traceback" not in screen and "READER-ENDED 0" in screen
