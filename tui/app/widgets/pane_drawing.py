"""Drawing an article pane: wrapping, the line cache, highlights, the gutter and the position
column. `ArticleView` (article_view.py) builds on it with the cursor, selection, search and keys.

A Line API widget: each screen line is drawn into a cached `Strip`, and a change throws away
only the lines it touches (`ArticleView._refresh_offsets`), which keeps a key press cheap on a
1 MB article with thousands of highlights.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.model.highlights import HighlightIndex
from tui.app.model.line_map import SEPARATOR, LineMap
from tui.app.model.session import has_tag
from tui.corpus.model import Article
from tui.inert import inert_cells
from tui.store.hierarchy import is_within
from tui.store.model import Annotation

GUTTER = 2
"""Cells left of the text: a bar marks the lines of the cursor sentence."""
POSITION_COLUMN = 1
"""The last cell of each line: a thumb shows which part of the article is in view."""
RIGHT_MARGIN = 1
"""A blank cell between the text and the position column."""
MARGINS = GUTTER + RIGHT_MARGIN + POSITION_COLUMN

TagStyler = Callable[[Sequence[str]], Style]


class PaneDrawing(ScrollView):
    """What a pane draws, from the state `ArticleView` keeps (declared here for the type
    checker; set in `ArticleView.__init__`)."""

    article: Article
    highlights: HighlightIndex
    selection: tuple[int, int] | None
    matches: list[tuple[int, int]]
    focus_tag: str | None
    _tag_styler: TagStyler
    _line_map: LineMap | None
    _strips: LRUCache[int, Strip]
    _thumb: Strip | None
    _guessed: list[tuple[int, int]]
    _suspect: list[tuple[int, int]]

    @property
    def target_range(self) -> tuple[int, int]:
        """What a key acts on: the selection, else the cursor sentence (ArticleView's)."""
        raise NotImplementedError

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
        gutter_style = self.get_component_rich_style(gutter_class)
        has_text = line.block != SEPARATOR and line.end > line.start
        annotations = self.highlights.overlapping(line.start, line.end) if has_text else []
        second = self._second_code(annotations)
        if second is None:
            segments = [Segment("▌ " if on_target else "  ", gutter_style)]
        else:
            # A passage with two codes or more: the text has the first code's colour, the
            # bar beside the line the second's (without colour, the bar alone says it).
            bar = Style(color=second.bgcolor) if second.bgcolor is not None else gutter_style
            segments = [Segment("▌" if on_target else " ", gutter_style), Segment("▐", bar)]
        if has_text:
            segments.extend(self._text_segments(line.start, line.end, line.block, annotations))
        strip = Strip(segments).crop_extend(0, width, None)
        return strip.apply_style(base)

    def _second_code(self, annotations: Sequence[Annotation]) -> Style | None:
        """The style of the second code of the innermost passage on the line that has two or
        more (under a tag focus, one carrying the focused tag: its colour is the text's)."""
        focus = self.focus_tag
        for annotation in reversed(annotations):
            if len(annotation.tags) < 2 or (focus is not None and not has_tag(annotation, focus)):
                continue
            first = annotation.tags[0]
            if focus is not None:
                first = next(n for n in annotation.tags if is_within(n, focus))
            second = next(name for name in annotation.tags if name != first)
            return self._tag_styler([second])
        return None

    def _text_segments(
        self, start: int, end: int, block: int, annotations: Sequence[Annotation]
    ) -> list[Segment]:
        text = self.article.text
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
