"""The details dialog (`i`) edits the article's attributes through the session, undoably."""

from __future__ import annotations

from pathlib import Path

from test_app_support import LEFT, make_app, sync, wait_for
from textual.widgets import Input, Static

from tui.app.dialogs.article_details import ArticleDetailsEditor
from tui.store import AnnotationStore

SIZE = (80, 24)


@sync
async def test_add_edit_and_remove_attributes_in_the_details_dialog(db: Path) -> None:
    AnnotationStore(db, "alice").set_article_attributes(LEFT, {"outlet": "TASS", "lang": "ru"})
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        editor = app.screen
        assert isinstance(editor, ArticleDetailsEditor)
        assert editor.attribute_rows() == [("lang", "ru"), ("outlet", "TASS"), ("", "")]
        hint = editor.query_one(".hint", Static)  # fields, attributes and keys fit 80x24
        assert hint.region.height >= 1 and hint.region.bottom < SIZE[1]
        # lang's value emptied (removes it), outlet changed, a new row added and filled.
        editor.query_one("#attribute-value-0", Input).focus()
        await pilot.press("ctrl+u", "enter")  # on to the next field
        editor.query_one("#attribute-value-1", Input).focus()
        await pilot.press("ctrl+u", *"RT", "tab", *"stance", "enter", *"hawkish", "enter")
        assert await wait_for(pilot, lambda: len(editor.attribute_rows()) == 4)  # a new row
        assert app.focused is not None and app.focused.id == "attribute-name-3"
        await pilot.press(*"no value")  # a name with no value: nothing to set
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ArticleDetailsEditor))
        store = app.session.store
        assert store.article_meta(LEFT).attributes == {"outlet": "RT", "stance": "hawkish"}
        assert app.session.article_attributes(LEFT) == {"outlet": "RT", "stance": "hawkish"}
        await pilot.press("u")  # one change, one undo
        assert await wait_for(
            pilot, lambda: store.article_meta(LEFT).attributes == {"outlet": "TASS", "lang": "ru"}
        )


@sync
async def test_a_refused_attribute_keeps_the_dialog_open_and_saves_nothing(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        editor = app.screen
        assert isinstance(editor, ArticleDetailsEditor)
        await pilot.press("ctrl+u", *"New title")  # a detail changed too
        editor.query_one("#attribute-name-0", Input).focus()
        await pilot.press(*"Title", "tab", *"x", "ctrl+s")
        assert isinstance(app.screen, ArticleDetailsEditor)
        error = str(editor.query_one("#details-error", Static).render())
        assert "own details" in error
        assert app.session.store.article_metas() == {}  # checked before anything was saved
        editor.query_one("#attribute-name-0", Input).focus()
        await pilot.press("ctrl+u", *"outlet", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ArticleDetailsEditor))
        meta = app.session.store.article_meta(LEFT)
        assert (meta.title, meta.attributes) == ("New title", {"outlet": "x"})
