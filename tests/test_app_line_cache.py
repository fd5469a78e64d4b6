"""The pane's line cache drops the least recently drawn lines, never all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_support import make_app, sync, views

from tui.app.widgets import article_view

LIMIT = 10


@sync
async def test_a_full_cache_keeps_the_lines_drawn_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_view, "STRIP_CACHE_LIMIT", LIMIT)
    app = make_app(tmp_path / "annotations" / "marginalia.json")
    async with app.run_test(size=(80, 40)):
        view = views(app)[0]
        drawn = 2 * LIMIT + 3
        assert view.scrollable_content_region.height >= drawn
        view._strips.clear()
        for y in range(drawn):
            view.render_line(y)
        first_kept = view.scroll_offset.y + drawn - LIMIT
        kept = [index for index in range(first_kept, first_kept + LIMIT) if index in view._strips]
        assert kept == list(range(first_kept, first_kept + LIMIT))
        assert len(view._strips) == LIMIT
