"""The reader's keys for the screens round 2 added open them from the panes: `A` analysis,
`M` memos, `S` the corpus search (each one entry in the command table)."""

from __future__ import annotations

from pathlib import Path

from test_app_support import make_app, sync, wait_for

from tui.app.dialogs.memo_list import MemoList
from tui.app.screens.analysis_screen import AnalysisScreen
from tui.app.screens.corpus_search import CorpusSearchScreen


@sync
async def test_a_m_and_s_open_analysis_memos_and_the_corpus_search(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen in (("A", AnalysisScreen), ("M", MemoList), ("S", CorpusSearchScreen)):
            await pilot.press(key)
            assert await wait_for(pilot, lambda s=screen: isinstance(app.screen, s)), key
            await pilot.press("escape")
            assert await wait_for(pilot, lambda: len(app.screen_stack) == 1), key
