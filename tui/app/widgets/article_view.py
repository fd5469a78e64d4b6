"""One article pane: a Line API widget with a sentence cursor, keyboard selection and highlights.

Text is wrapped once per width (`LineMap`) and each screen line is drawn into a cached `Strip`.
Moving the cursor or adding a highlight throws away and redraws only the lines it touches,
which keeps a key press cheap on a 1 MB article with thousands of highlights.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.key_bindings import bindings_for
from tui.app.model.highlights import HighlightIndex, is_shown
from tui.app.model.line_map import SEPARATOR, LineMap
from tui.app.model.session import has_tag
from tui.corpus.model import Article
from tui.inert import inert, inert_cells
from tui.store.hierarchy import is_within
from tui.store.model import Annotation
from tui.text_match import search_pattern

GUTTER = 2
"""Cells left of the text: a bar marks the lines of the cursor sentence."""
POSITION_COLUMN = 1
"""The last cell of each line: a thumb shows which part of the article is in view."""
RIGHT_MARGIN = 1
"""A blank cell between the text and the position column."""
MARGINS = GUTTER + RIGHT_MARGIN + POSITION_COLUMN
SCROLL_MARGIN = 2
"""Lines of context kept between the cursor and the top or bottom edge."""
STRIP_CACHE_LIMIT = 4000
GUESSED_KINDS = frozenset({"lost-byte"})
"""Report kinds whose characters the cleaner had to guess: marked subtly in the text."""
SUSPECT_KINDS = frozenset({"suspect"})
"""Report kinds flagging text that may not belong (injected foreign text): marked too."""

TagStyler = Callable[[Sequence[str]], Style]
NO_SOURCE = "source unknown: i to add"


class ArticleView(ScrollView, can_focus=True):
    """An article pane. The cursor is a sentence; a selection runs from a sentence start."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--heading",
        "article--cursor",
        "article--selection",
        "article--match",
        "article--guessed",
        "article--suspect",
        "article--overlap",
        "article--untagged",
        "article--dimmed",
        "article--gutter",
        "article--gutter-focused",
        "article--position",
    }

    DEFAULT_CSS = """
    ArticleView {
        /* The pane draws its own position column (see render_line): Textual's scrollbar
           widget cost a fifth of the first frame, and without a mouse it is only a gauge. */
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
        & > .article--heading { text-style: bold; color: $accent; }
        & > .article--cursor { text-style: reverse; }
        & > .article--selection { text-style: reverse bold; }
        & > .article--match { text-style: bold underline; }
        & > .article--guessed { text-style: underline dim; }
        & > .article--suspect { text-style: italic dim; }
        & > .article--overlap { text-style: underline bold; }
        & > .article--untagged { text-style: underline; }
        & > .article--dimmed { color: $foreground-muted; text-style: dim; }
        & > .article--gutter { color: $foreground-muted; }
        & > .article--gutter-focused { color: $accent; }
        & > .article--position { color: $foreground-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("pane")

    class CursorMoved(Message):
        """The cursor or the selection moved, or what is under them changed."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        article: Article,
        *,
        tag_styler: TagStyler,
        annotations: Sequence[Annotation] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._tag_styler = tag_styler
        self._line_map: LineMap | None = None
        # Least recently drawn lines go first (as Textual's Log): a long scroll keeps the
        # lines around the viewport instead of dropping the whole cache at the limit.
        self._strips: LRUCache[int, Strip] = LRUCache(STRIP_CACHE_LIMIT)
        self._thumb: Strip | None = None
        self.article = article
        self.highlights = HighlightIndex(annotations)
        self.cursor = 0
        self.selection: tuple[int, int] | None = None
        self.matches: list[tuple[int, int]] = []
        self.search_query = ""
        self._guessed: list[tuple[int, int]] = []
        self._suspect: list[tuple[int, int]] = []
        self.focus_tag: str | None = None
        self._set_article_data(article)

    # -- what the pane shows -------------------------------------------------------------

    def _set_article_data(self, article: Article) -> None:
        self.article = article
        # Offset arrays for bisecting on every key; built once per article.
        self._sentence_starts = [start for start, _end in article.sentences]
        self._sentence_ends = [end for _start, end in article.sentences]
        self._word_ends = word_ends(article)
        self._guessed = _report_spans(article, GUESSED_KINDS)
        self._suspect = _report_spans(article, SUSPECT_KINDS)
        self.cursor = 0
        self.selection = None
        self.matches = []
        self.search_query = ""
        self._line_map = None
        self._strips.clear()
        self._update_titles()

    def _update_titles(self) -> None:
        # Titles come from the article: Content keeps them text, never markup.
        # Textual cuts a title to the border's width, so a wide pane shows more of it.
        self.border_title = Content(inert(pane_title(self.article)))
        # The source; when cleaning found none, where to give it (the article details).
        self.border_subtitle = Content(inert(self.article.source or NO_SOURCE))

    def update_details(self, article: Article) -> None:
        """The same text with corrected title, source or author: new titles, cursor kept."""
        if article.text != self.article.text:
            raise ValueError(f"{article.id}: update_details needs the same text")
        self.article = article
        self._update_titles()

    def set_focus_tag(self, tag: str | None) -> None:
        """Dim everything but the passages of `tag` (and its children); None shows all."""
        if tag != self.focus_tag:
            self.focus_tag = tag
            self.restyle()

    def show_article(self, article: Article, annotations: Sequence[Annotation]) -> None:
        """Replace the article (and its highlights) shown in this pane."""
        self._set_article_data(article)
        self.highlights = HighlightIndex(annotations)
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(self))

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Show exactly `annotations`, redrawing only the lines whose highlights changed."""
        new = {annotation.id: annotation for annotation in annotations}
        changed: list[Annotation] = []
        for old in self.highlights.all():
            current = new.get(old.id)
            if current != old or (current is not None and current.anchor != old.anchor):
                changed.append(old)
                self.highlights.remove(old.id)
        for annotation in new.values():
            if annotation.id not in self.highlights and is_shown(annotation):
                self.highlights.add(annotation)
                changed.append(annotation)
        for annotation in changed:
            self._refresh_offsets(annotation.start, annotation.end)
        if changed:
            self.post_message(self.CursorMoved(self))

    def add_annotation(self, annotation: Annotation) -> None:
        old = self.highlights.get(annotation.id)
        self.highlights.add(annotation)
        if old is not None:
            self._refresh_offsets(old.start, old.end)
        self._refresh_offsets(annotation.start, annotation.end)
        self.post_message(self.CursorMoved(self))

    def remove_annotation(self, annotation_id: str) -> None:
        old = self.highlights.remove(annotation_id)
        if old is not None:
            self._refresh_offsets(old.start, old.end)
            self.post_message(self.CursorMoved(self))

    def restyle(self) -> None:
        """Redraw every line: tag colours or the theme changed."""
        self._strips.clear()
        self.refresh()

    # -- cursor and selection --------------------------------------------------------------

    @property
    def cursor_range(self) -> tuple[int, int]:
        sentences = self.article.sentences
        if not sentences:
            return (0, len(self.article.text))
        return sentences[self.cursor]

    @property
    def cursor_line(self) -> int:
        """The screen line (from the top of the article) where the cursor sentence starts."""
        if self._line_map is None:
            return 0
        return self._line_map.line_of(self.cursor_range[0])

    @property
    def target_range(self) -> tuple[int, int]:
        """What `t`, 1-9 and `m` act on: the selection, else the sentence under the cursor."""
        return self.selection if self.selection is not None else self.cursor_range

    def annotations_under_cursor(self, mine: str | None = None) -> list[Annotation]:
        """Annotations touching the target, the best match first: `mine`'s (a user name)
        before colleagues', then the same span, then the shortest."""
        start, end = self.target_range
        found = self.highlights.overlapping(start, end)
        return sorted(
            found,
            key=lambda a: (
                a.author != mine,
                (a.start, a.end) != (start, end),
                a.end - a.start,
                a.start,
            ),
        )

    def annotation_at_target(self, author: str) -> Annotation | None:
        """`author`'s annotation spanning exactly the target: the one their tagging joins."""
        start, end = self.target_range
        for annotation in self.highlights.overlapping(start, end):
            if (annotation.start, annotation.end) == (start, end) and annotation.author == author:
                return annotation
        return None

    def tags_around_target(self, author: str) -> set[str]:
        """Tags on `author`'s annotations that hold the target inside a longer passage:
        tagging the sentence with one of them again would only nest a duplicate."""
        start, end = self.target_range
        return {
            name
            for annotation in self.highlights.overlapping(start, end)
            if annotation.author == author
            and annotation.start <= start
            and end <= annotation.end
            and (annotation.start, annotation.end) != (start, end)
            for name in annotation.tags
        }

    def sentence_at(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def move_cursor(self, sentence: int) -> None:
        if not self.article.sentences:
            return
        sentence = max(0, min(sentence, len(self.article.sentences) - 1))
        old = self.target_range
        self.cursor = sentence
        self._cursor_changed(old)

    def move_to_offset(self, offset: int) -> None:
        """Put the cursor on the sentence holding `offset` (search hits, jumps)."""
        self.move_cursor(self.sentence_at(offset))

    def _cursor_changed(self, old: tuple[int, int]) -> None:
        self._refresh_offsets(*old)
        self._refresh_offsets(*self.target_range)
        self._scroll_to_target()
        self.post_message(self.CursorMoved(self))

    def _scroll_to_target(self) -> None:
        line_map = self._line_map
        if line_map is None or not self.size.height:
            return
        start, end = self.target_range
        if self.selection is not None:
            start = end = max(start, end - 1)
        lines = line_map.lines_of(start, max(end, start + 1))
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        first = max(0, lines.start - SCROLL_MARGIN)
        last = lines.stop - 1 + SCROLL_MARGIN
        if first < top:
            target = first
        elif last >= top + height:
            target = min(last - height + 1, first)
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def _refresh_offsets(self, start: int, end: int) -> None:
        line_map = self._line_map
        if line_map is None:
            return
        lines = line_map.lines_of(start, max(end, start + 1))
        for index in lines:
            self._strips.discard(index)
        self.refresh_lines(lines.start, len(lines))

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_selection":
            return self.selection is not None  # else esc is another mode's
        return True

    def action_next_sentence(self) -> None:
        if self.selection is not None:
            self._grow_by_sentence(1)
        else:
            self.move_cursor(self.cursor + 1)

    def action_previous_sentence(self) -> None:
        if self.selection is not None:
            self._grow_by_sentence(-1)
        else:
            self.move_cursor(self.cursor - 1)

    def action_next_paragraph(self) -> None:
        start = self.cursor_range[0]
        for block in self.article.blocks:
            if block.start > start:
                self.move_to_offset(block.start)
                return
        self.move_cursor(len(self.article.sentences) - 1)

    def action_previous_paragraph(self) -> None:
        start = self.cursor_range[0]
        previous = [block.start for block in self.article.blocks if block.start < start]
        self.move_to_offset(previous[-1] if previous else 0)

    def action_page(self, direction: int) -> None:
        """A screenful on (keeping two lines of the last one in view), the cursor on the first
        sentence that starts in the new view; at either end, the first or last sentence."""
        line_map = self._line_map
        sentences = self.article.sentences
        if line_map is None or not len(line_map) or not sentences:
            return
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        bottom = max(0, len(line_map) - height)  # the furthest the view scrolls
        new_top = max(0, min(top + direction * max(1, height - SCROLL_MARGIN), bottom))
        if new_top == top:
            self.move_cursor(len(sentences) - 1 if direction > 0 else 0)
            return
        first_line = min(new_top + (SCROLL_MARGIN if new_top else 0), len(line_map) - 1)
        offset = line_map.lines[first_line].start
        sentence = self.sentence_at(offset)
        if sentences[sentence][0] < offset and sentence + 1 < len(sentences):
            sentence += 1  # it started above the view: the next one is the first in it
        self.move_cursor(sentence)
        self.scroll_to(y=new_top, animate=False, immediate=True)

    def action_top(self) -> None:
        self.move_cursor(0)

    def action_bottom(self) -> None:
        self.move_cursor(len(self.article.sentences) - 1)

    def action_toggle_selection(self) -> None:
        old = self.target_range
        self.selection = None if self.selection is not None else self.cursor_range
        self._cursor_changed(old)

    def action_cancel_selection(self) -> None:
        if self.selection is not None:
            self.action_toggle_selection()

    def end_selection(self) -> None:
        """Drop the selection after it was acted on, leaving the cursor where its end was."""
        if self.selection is not None:
            self.action_toggle_selection()

    def _set_selection_end(self, end: int) -> None:
        assert self.selection is not None
        start = self.selection[0]
        end = max(end, start + 1)
        end = min(end, len(self.article.text))
        old = self.target_range
        self.selection = (start, end)
        self.cursor = self.sentence_at(end - 1)
        self._cursor_changed(old)

    def _grow_by_sentence(self, direction: int) -> None:
        self._step_selection_end(self._sentence_ends, direction)

    def action_word(self, direction: int) -> None:
        if self.selection is None:
            self.app.notify("h and l move the end of a selection by words; v starts one.")
            return
        self._step_selection_end(self._word_ends, direction)

    def _step_selection_end(self, ends: list[int], direction: int) -> None:
        """Move the selection's end to the next (or previous) of `ends`, never before its start."""
        if self.selection is None:
            return
        start, end = self.selection
        if direction > 0:
            index = bisect_right(ends, end)
            if index < len(ends):
                self._set_selection_end(ends[index])
        else:
            index = bisect_left(ends, end) - 1
            if index >= 0 and ends[index] > start:
                self._set_selection_end(ends[index])

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str) -> int:
        """Mark every match of `query` (any case, ' for ’) and move to the first after the
        cursor."""
        old = list(self.matches)
        self.search_query = query
        self.matches = (
            [m.span() for m in search_pattern(query).finditer(self.article.text)] if query else []
        )
        for start, end in old + self.matches:
            self._refresh_offsets(start, end)
        if self.matches:
            self.action_next_match(1, include_current=True)
        self.post_message(self.CursorMoved(self))
        return len(self.matches)

    def action_next_match(self, direction: int, include_current: bool = False) -> None:
        if not self.matches:
            self.app.notify(
                f"Not found: {self.search_query}"
                if self.search_query
                else "No search yet: / searches.",
                markup=False,
            )
            return
        starts = [match[0] for match in self.matches]
        start, end = self.cursor_range
        if direction > 0:
            index = bisect_left(starts, start if include_current else end)
            wrapped = index >= len(starts)
            offset = starts[0] if wrapped else starts[index]
        else:
            index = bisect_left(starts, start) - 1
            wrapped = index < 0
            offset = starts[index]  # -1 wraps round to the last match
        if wrapped and not include_current:
            where = "first" if direction > 0 else "last"
            self.app.notify(f"Wrapped round to the {where} match.")
        self.move_to_offset(offset)

    # -- layout and drawing ----------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(1, self.scrollable_content_region.width - MARGINS)

    def _relayout(self) -> None:
        if self.scrollable_content_region.width <= MARGINS:
            # Not laid out yet, or too narrow for text: draw nothing rather than lines
            # wrapped (and cached) for a wider pane.
            self._line_map = None
            self._strips.clear()
            return
        width = self.text_width
        if self._line_map is not None and self._line_map.width == width:
            return
        self._line_map = LineMap(self.article, width)
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._line_map))

    def on_resize(self, event: events.Resize) -> None:
        # No refresh of our own: Textual repaints a widget whose size changed, and setting
        # `virtual_size` after a rewrap repaints it too. One more would draw every line again.
        self._relayout()
        self.call_after_refresh(self._scroll_to_target)

    def on_mount(self) -> None:
        super().on_mount()  # type: ignore[no-untyped-call]
        self._relayout()

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset drawn at cell (x, y) of the pane's content, if any."""
        line_map = self._line_map
        index = round(self.scroll_y) + y
        if line_map is None or not 0 <= index < len(line_map):
            return None
        line = line_map.lines[index]
        if line.block == SEPARATOR:
            return None
        column = GUTTER
        for offset in range(line.start, line.end):
            column += max(1, cell_len(self.article.text[offset]))
            if column > x:
                return offset
        return max(line.start, line.end - 1)

    def on_click(self, event: events.Click) -> None:
        """With `--mouse`: a click puts the cursor on the sentence under the pointer."""
        where = event.get_content_offset(self)
        if where is None:
            return
        offset = self.offset_at(where.x, where.y)
        if offset is not None:
            self.focus()
            self.move_to_offset(offset)

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_offsets(*self.target_range)
        self.post_message(self.CursorMoved(self))

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_offsets(*self.target_range)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._thumb = None

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if self._line_map is None or self._line_map.width != self.text_width:
            # The first frame comes before the Resize that would wrap the text: wrap it now,
            # so the article is in that frame rather than in one a refresh later.
            self._relayout()
        line_map = self._line_map
        if line_map is None or index >= len(line_map):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._build_strip(index, width)
            self._strips.set(index, strip)
        if self._on_thumb(y, len(line_map)):
            text_width = width - POSITION_COLUMN
            return Strip.join([strip.crop(0, text_width), self._thumb_cell()])
        return strip

    def _on_thumb(self, y: int, total: int) -> bool:
        """Whether row y of the position column is in the thumb, which is as tall as the
        share of the article in view and sits where the view is."""
        height = self.scrollable_content_region.height
        if total <= height or height <= 0:
            return False
        thumb = max(1, round(height * height / total))
        top = round(round(self.scroll_y) * (height - thumb) / (total - height))
        return top <= y < top + thumb

    def _thumb_cell(self) -> Strip:
        # The position column is drawn here, not by a scrollbar widget: cached text lines end
        # in a blank cell, and only the few rows of the thumb are put together per frame.
        if self._thumb is None:
            # The whole style, not a partial one: a partial drops the alpha that makes
            # $foreground-muted muted, and the thumb is a cell of its own anyway.
            style = self.get_component_rich_style("article--position")
            self._thumb = Strip([Segment("▐", style)], POSITION_COLUMN)
        return self._thumb

    def _build_strip(self, index: int, width: int) -> Strip:
        assert self._line_map is not None
        line = self._line_map.lines[index]
        base = self.rich_style
        target_start, target_end = self.target_range
        on_target = line.block != SEPARATOR and (
            (line.start < target_end and line.end > target_start)
            or line.start == line.end == target_start
        )
        gutter_class = "article--gutter-focused" if self.has_focus else "article--gutter"
        # The whole style (see _thumb_cell): a partial one would lose the muted colour.
        gutter = Segment("▌ " if on_target else "  ", self.get_component_rich_style(gutter_class))
        segments = [gutter]
        if line.block != SEPARATOR and line.end > line.start:
            segments.extend(self._text_segments(line.start, line.end, line.block))
        strip = Strip(segments).crop_extend(0, width, None)
        return strip.apply_style(base)

    def _text_segments(self, start: int, end: int, block: int) -> list[Segment]:
        text = self.article.text
        annotations = self.highlights.overlapping(start, end)
        guessed = _spans_between(self._guessed, start, end)
        suspect = _spans_between(self._suspect, start, end)
        matches = _spans_between(self.matches, start, end)
        target = self.target_range
        show_target = self.has_focus or self.selection is not None
        cuts = {start, end}
        for span_start, span_end in [
            *((a.start, a.end) for a in annotations),
            *guessed,
            *suspect,
            *matches,
            target,
        ]:
            if start < span_start < end:
                cuts.add(span_start)
            if start < span_end < end:
                cuts.add(span_end)
        points = sorted(cuts)

        component = self.get_component_rich_style
        base = Style()
        if self.article.blocks[block].kind == "heading":
            base = component("article--heading", partial=True)
        target_style = component(
            "article--selection" if self.selection is not None else "article--cursor",
            partial=True,
        )
        segments: list[Segment] = []
        for piece_start, piece_end in pairwise(points):
            style = base
            covering = [a for a in annotations if a.start <= piece_start and a.end >= piece_end]
            if self.focus_tag is not None:
                covering = [a for a in covering if has_tag(a, self.focus_tag)]
                if not covering:
                    style += component("article--dimmed", partial=True)
            if covering:
                inner = covering[-1]
                if inner.tags:
                    names = inner.tags
                    if self.focus_tag is not None:  # the focused tag's colour, not another's
                        names = tuple(n for n in names if is_within(n, self.focus_tag))
                    style += self._tag_styler(names or inner.tags)
                else:
                    style += component("article--untagged", partial=True)
                if len(covering) > 1:
                    style += component("article--overlap", partial=True)
            if _covers(guessed, piece_start, piece_end):
                style += component("article--guessed", partial=True)
            if _covers(suspect, piece_start, piece_end):
                style += component("article--suspect", partial=True)
            if _covers(matches, piece_start, piece_end):
                style += component("article--match", partial=True)
            if show_target and target[0] <= piece_start and piece_end <= target[1]:
                style += target_style
            segments.append(Segment(inert_cells(text[piece_start:piece_end]), style))
        return segments


def pane_title(article: Article) -> str:
    """The title; one the cleaner cut short from the lead sentence is given whole again.

    The corpus keeps titles short for lists; a pane's border has room for more, and the
    border cuts what does not fit.
    """
    title = article.title or article.id
    if not title.endswith("…") or not article.sentences:
        return title
    start, end = article.sentences[0]
    lead = " ".join(article.text[start:end].split()).rstrip(".。")
    return lead if lead.startswith(title[:-1]) else title


TRAILING_PUNCTUATION = frozenset(".,;:!?…)]»”’\"'")
"""Marks that belong to the word before them: a word step's end takes them along."""


def word_ends(article: Article) -> list[int]:
    """Where `h` / `l` may end a selection: after each word and the punctuation it carries.

    So stepping back to the end of a sentence keeps its full stop (and a closing quote).
    """
    text = article.text
    ends = set()
    for _start, end in article.words:
        while end < len(text) and text[end] in TRAILING_PUNCTUATION:
            end += 1
        ends.add(end)
    return sorted(ends)


def _report_spans(article: Article, kinds: frozenset[str]) -> list[tuple[int, int]]:
    """Where the cleaning report's changes of `kinds` sit in the clean text, sorted."""
    return sorted(
        (change.start, change.end)
        for change in article.report
        if change.kind in kinds
        and change.start is not None
        and change.end is not None
        and change.end > change.start
    )


def _spans_between(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted, non-overlapping `spans` that touch `[start, end)`."""
    if not spans:
        return []
    index = max(0, bisect_right(spans, (start, start)) - 1)
    found = []
    while index < len(spans) and spans[index][0] < end:
        if spans[index][1] > start:
            found.append(spans[index])
        index += 1
    return found


def _covers(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)
