"""Shared set-up for the reader's Pilot tests: the real seeds, a fresh store, screen text.

No tests here; the `test_` name only keeps this file among the reader's own test files.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tui.app.model.pane_state import state_path_for
from tui.app.model.session import ReaderSession
from tui.app.reader import ReaderApp
from tui.app.widgets.article_view import ArticleView
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_corpus
from tui.corpus.model import Article
from tui.store import AnnotationStore

LEFT = "000_812b4db44989ec20"
RIGHT = "001_5b2a99fe7e84453b"
SIZES = [(80, 24), (160, 48)]
USER = "tester"


@functools.cache
def seed_articles() -> tuple[Article, ...]:
    return tuple(load_corpus(BUNDLED_SEEDS, cache=None).articles)


def make_app(
    db: Path,
    *,
    articles: tuple[Article, ...] | None = None,
    problems: tuple[str, ...] = (),
    poll_seconds: float = 0.5,
    user: str = USER,
) -> ReaderApp:
    session = ReaderSession(articles or seed_articles(), AnnotationStore(db, user))
    return ReaderApp(
        session,
        state_path=state_path_for(db),
        export_dir=db.parent,
        problems=problems,
        poll_seconds=poll_seconds,
    )


def views(app: ReaderApp) -> list[ArticleView]:
    return app.reader_screen.views


def screen_lines(view: ArticleView) -> list[str]:
    """What the pane draws now, one string per visible line (gutter included)."""
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], limit: float = 5.0) -> bool:
    """Let the app run until `condition` holds; False if it never did within `limit` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.05)
    return True


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (the suite has no async plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
