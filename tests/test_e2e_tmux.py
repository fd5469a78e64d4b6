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
