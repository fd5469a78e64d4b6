"""Command palette (ctrl+p) entries for the reader: open an article in the focused pane.

Article titles are data, so the matched text is built as Content and highlighted by offsets;
Textual's `Matcher.highlight` would parse the title as markup.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui.app.dialogs.article_picker import article_label

if TYPE_CHECKING:
    from tui.app.reader import ReaderApp

PREFIX = "Open article: "


def highlight_plain(matcher: Matcher, candidate: str) -> Content:
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ArticleCommands(Provider):
    """One command per article of the corpus."""

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def _entries(self) -> list[tuple[str, str]]:
        return [
            (PREFIX + article_label(article), article.id)
            for article in self.reader.session.articles
        ]

    async def discover(self) -> Hits:
        for label, article_id in self._entries():
            yield DiscoveryHit(
                Content(label),
                self.reader.guarded(partial(self.reader.open_in_focused_pane, article_id)),
                help="show it in the focused pane",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, article_id in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    highlight_plain(matcher, label),
                    self.reader.guarded(partial(self.reader.open_in_focused_pane, article_id)),
                    help="show it in the focused pane",
                )
