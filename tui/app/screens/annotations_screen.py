"""`a`: every annotation, grouped by tag (as a tree, with counts) or by article; enter jumps.

Annotations whose anchor is fuzzy or orphaned are listed apart, so a moved or lost passage is
never silently shown as if it were exact; ctrl+r on one goes to its article to select the
right passage by hand. The highlighted annotation's quote and note are shown below the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.key_bindings import bindings_for, hint_line, user_keys_of
from tui.app.terminal_guard import inert_content
from tui.app.widgets.article_view import pane_title
from tui.app.widgets.ordered_input import OrderedInput
from tui.app.widgets.quoting import quoted
from tui.app.widgets.tree_list import TreeList, TreeNode
from tui.corpus.model import Article
from tui.inert import inert
from tui.store.errors import StoreError
from tui.store.hierarchy import passages_under, tree_order
from tui.store.model import Annotation
from tui.text_match import fold, fold_many
from tui.wording import one_line

if TYPE_CHECKING:
    from tui.app.model.store_change import StoreChange

Grouping = Literal["tag", "article"]
UNTAGGED = "(no tag)"
Node = TreeNode[Annotation]


@dataclass(frozen=True, slots=True)
class Jump:
    """Where the reader should go: an article and an offset in its clean text."""

    article: str
    offset: int
    reanchor: Annotation | None = None
    """Set when the reader is to select a new passage for this annotation there."""


def _shortened_lines(text: str, *, lines: int, width: int) -> str:
    """A multi-line note kept multi-line, but at most `lines` lines of at most `width`."""
    kept = [one_line(line, width) for line in text.splitlines() if line.strip()]
    if len(kept) > lines:
        kept = [*kept[: lines - 1], kept[lines - 1].rstrip("…") + " …"]
    return "\n".join(kept)


def group_line(name: str, count: int) -> Callable[[Node, int], Content]:
    """A group's line: its whole name, cut with "…" only where the pane ends, then the count."""
    counted = f" ({count})"

    def draw(_node: Node, width: int) -> Content:
        room = max(1, width - len(counted))
        return Content.assemble((one_line(inert(name), room), "bold"), (counted, "dim"))

    return draw


QUOTE_FLOOR = 32
"""Cells a passage's quote keeps (its marks included), about six words, or two fifths of the
row if that is more, before it gives way: the title, the note, then the tag names are cut."""
QUOTE_LEAST = 12
"""What is left of a quote in a row too narrow for anything else."""
SIDE_ROOM = 30
"""Cells for the article's title or the note's first line when the row has room."""
LEAST_TAG = 6
"""Characters of a cut tag name, below which it is not worth showing."""


def tag_list(tags: Sequence[str], room: int) -> str:
    """`tags` in at most `room` cells: whole names while they fit, then how many more
    (`"Economic leverage +1"`); the first name cut with "…" when even it does not fit."""
    for shown in range(len(tags), 0, -1):
        more = f" +{len(tags) - shown}" if shown < len(tags) else ""
        text = ", ".join(tags[:shown]) + more
        if len(text) <= room:
            return text
    more = f" +{len(tags) - 1}" if len(tags) > 1 else ""
    return one_line(tags[0], max(LEAST_TAG, room - len(more))) + more


def note_mark(note: str, cells: int) -> str:
    """A note in a row of the list, in at most `cells`: ✎, its first line and how many more,
    or the ✎ alone when there is no room for words (the detail below shows it whole)."""
    lines = note.strip().splitlines()
    more = f" (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
    room = cells - 4 - len(more)
    return f"  ✎ {one_line(lines[0], room)}{more}" if lines and room >= 8 else "  ✎"


def leaf_line(annotation: Annotation, width: int, *, tags: bool, title: str) -> Content:
    """An annotation's line at `width`: the quote takes the room the rest leaves. When the
    row is short, the title goes first, then the note (down to its ✎ mark), then the tag
    names are cut (the first one's start stays, with a count of the rest), so the quote
    keeps its floor; the author and an unsure anchor always show whole."""
    tail = [(f"  — {annotation.author}", "dim")]
    if annotation.anchor != "exact":
        tail.append((f"  [{annotation.anchor}]", "bold"))
    room = width - sum(len(text) for text, _style in tail)
    fits: dict[str, Callable[[int], str]] = {}
    if tags and annotation.tags:
        names = annotation.tags
        fits["tags"] = lambda cells: "  " + tag_list(names, cells - 2)
    if title:
        fits["title"] = lambda cells: "  " + one_line(title, cells - 2) if cells >= 12 else ""
    if annotation.note:
        fits["note"] = partial(note_mark, annotation.note)
    side = {"tags": 10_000, "title": SIDE_ROOM + 2, "note": SIDE_ROOM + 4}
    parts = {name: fit(side[name]) for name, fit in fits.items()}
    flat = " ".join(annotation.quote.split())
    marks = len(quoted(flat)) - len(flat)  # none when the passage brings its own
    floor = min(len(flat) + marks, max(QUOTE_FLOOR, room * 2 // 5))
    excess = floor + sum(map(len, parts.values())) - room
    for name in ("title", "note", "tags"):
        if excess <= 0:
            break
        if name in parts:
            shorter = fits[name](max(0, len(parts[name]) - excess))
            excess -= len(parts[name]) - len(shorter)
            parts[name] = shorter
    quote_room = max(QUOTE_LEAST, room - sum(map(len, parts.values())) - marks)
    styles = {"tags": "bold", "title": "dim", "note": "italic"}
    shown = [(quoted(one_line(flat, quote_room)), "")]
    shown += [(parts[name], styles[name]) for name in ("tags", "title", "note") if name in parts]
    return Content.assemble(*((inert(text), style) for text, style in [*shown, *tail]))


def matches(annotation: Annotation, query: str) -> bool:
    """`query` is words, all of which must match: `@name` the author (start of the name), any
    other word the quote, note, author or a tag (any case)."""
    return AnnotationIndex([annotation]).matching(query) == [0]


def _is_author(word: str) -> bool:
    return word.startswith("@") and len(word) > 1


def _implies(old: str, new: str) -> bool:
    """True when whatever word `new` matches, word `old` matches too (typing narrows):
    an author word needs an author word that starts with it; a plain word is in any part,
    so a word (or author name) that contains it is enough."""
    if _is_author(old):
        return _is_author(new) and new.startswith(old)
    return old in (new[1:] if _is_author(new) else new)


NEEDS_CHECKING_KEY = "needs-checking"
"""The group of fuzzy and orphaned annotations (its `TreeNode.key`)."""


class AnnotationIndex:
    """Every annotation's searchable text folded once, and the groups kept as lists of
    positions: a keystroke scans folded strings and filters prepared lists, and typing one more
    letter scans only what the last filter kept."""

    def __init__(self, annotations: Sequence[Annotation]) -> None:
        self.annotations = list(annotations)
        self._author = fold_many([a.author for a in self.annotations])
        self._text = fold_many(
            ["\n".join([a.quote, a.note, a.author, *a.tags]) for a in self.annotations]
        )
        self.settled = [a.anchor in ("exact", "moved") for a in self.annotations]
        self.by_tag: dict[str, list[int]] = {}
        self.by_article: dict[str, list[int]] = {}
        for position, annotation in enumerate(self.annotations):
            self.by_article.setdefault(annotation.article, []).append(position)
            for name in annotation.tags or (UNTAGGED,):
                self.by_tag.setdefault(name, []).append(position)
        for positions in self.by_article.values():
            positions.sort(key=lambda p: self.annotations[p].start)
        self.tag_order = sorted(self.by_tag, key=tree_order)
        self._last: tuple[list[str], list[int]] = ([], list(range(len(self.annotations))))

    def matching(self, query: str) -> list[int]:
        """Positions of the annotations every word of `query` matches, in list order."""
        words = fold(query).split()
        last_words, last_found = self._last
        narrowing = all(any(_implies(old, new) for new in words) for old in last_words)
        candidates = last_found if narrowing else range(len(self.annotations))
        found = list(candidates)
        for word in words:
            if _is_author(word):
                name = word[1:]
                found = [p for p in found if self._author[p].startswith(name)]
            else:
                found = [p for p in found if word in self._text[p]]
        self._last = (words, found)
        return found


class AnnotationsScreen(ModalScreen[Jump | None]):
    DEFAULT_CSS = modal_box_css(
        "AnnotationsScreen",
        width="95%",
        height="90%",
        max_width="160",  # the passages' quotes take the room a wide terminal gives
        max_height="100%",
        extra="""
    & TreeList { height: 1fr; }
    & #annotations-detail {
        height: auto;
        max-height: 8;
        border-top: solid $foreground-muted;
    }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("annotations")

    def __init__(
        self,
        annotations: Sequence[Annotation],
        articles: Sequence[Article],
        *,
        title: str = "Annotations",
        grouping: Grouping = "tag",
    ) -> None:
        """`title` says what is listed (the analysis screen lists the passages behind one
        figure); `grouping` is the one it opens with."""
        super().__init__()
        self._index = AnnotationIndex(annotations)
        self._titles = {article.id: article.title or article.id for article in articles}
        self._articles = {article.id: article for article in articles}
        self._title = title
        self._grouping: Grouping = grouping

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self._title)
            field = OrderedInput(
                placeholder="filter: words in quote, note, tag; @name for an author",
                id="annotations-filter",
                compact=True,
            )
            field.cursor_blink = False
            yield field
            yield TreeList[Annotation](id="annotations-tree")
            yield Static(Content(""), id="annotations-detail")
            yield Static(
                Content(hint_line("annotations", user_keys=user_keys_of(self.app))),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill()
        signal = getattr(self.app, "store_changed_signal", None)
        if signal is not None:
            signal.subscribe(self, self._store_changed, immediate=True)

    def _store_changed(self, change: StoreChange) -> None:
        """Another writer (or an undo) changed the store while the list is open: list what
        the store holds now, with the same filter, grouping and, where it still is, cursor."""
        if not (change.saved or change.removed or change.reloaded or change.codebook):
            return
        session = self.app.session  # type: ignore[attr-defined]
        try:
            annotations = session.all_annotations()
        except StoreError:
            return  # the reader shows the error; the list keeps what it shows
        node = self.tree.cursor_node
        here = node.data.id if node is not None and node.data is not None else None
        self._index = AnnotationIndex(annotations)
        self._fill()
        if here is not None:
            self.tree.move_to(lambda annotation: annotation.id == here)
        elif node is not None:
            self.tree.move_to_group(node.key)

    @property
    def filter_text(self) -> str:
        return self.query_one("#annotations-filter", Input).value

    @property
    def tree(self) -> TreeList[Annotation]:  # type: ignore[override]  # DOMNode.tree: a debug view
        return self.query_one("#annotations-tree", TreeList)

    # -- rows ----------------------------------------------------------------------------------

    def _drawer(self, *, with_tags: bool) -> Callable[[Annotation, int], Content]:
        """How a group draws its annotations: with their tags unless the group is the tag;
        with the article's title unless the group is the article."""
        show_title = not with_tags or self._grouping == "tag"
        titles = self._titles

        def draw(annotation: Annotation, width: int) -> Content:
            title = titles.get(annotation.article, annotation.article) if show_title else ""
            return leaf_line(annotation, width, tags=with_tags, title=title)

        return draw

    def _fill(self) -> None:
        index = self._index
        shown = index.matching(self.filter_text.strip())
        keep = bytearray(len(index.annotations))
        for position in shown:
            keep[position] = 1
        root: Node = TreeNode(None, group_line("", 0))
        if self._grouping == "tag":
            self._fill_by_tag(root, keep)
        else:
            self._fill_by_article(root, keep)
        unsure = [index.annotations[p] for p in shown if not index.settled[p]]
        if unsure:
            label = group_line("Needs checking: fuzzy or orphaned", len(unsure))
            draw = self._drawer(with_tags=True)
            root.add(TreeNode(None, label, unsure, draw, key=NEEDS_CHECKING_KEY))
        tree = self.tree
        tree.show(root)
        self._show_detail()
        self.query_one(Vertical).border_subtitle = Content(
            f"{len(shown)} of {len(index.annotations)} · by {self._grouping}"
        )

    def _fill_by_tag(self, root: Node, keep: bytearray) -> None:
        index = self._index
        settled = index.settled
        found = {
            name: [index.annotations[p] for p in index.by_tag[name] if keep[p] and settled[p]]
            for name in index.tag_order
        }
        # The one counting rule (as the codebook counts): a passage carrying a tag and one
        # below it counts once for the tag.
        shown = {a.id: a for listed in found.values() for a in listed}
        counts = passages_under(a.tags or (UNTAGGED,) for a in shown.values())
        nodes: dict[str, Node] = {}
        draw = self._drawer(with_tags=False)

        def node_for(path: str) -> Node:
            if path in nodes:
                return nodes[path]
            parent_path, _, leaf = path.rpartition("/")
            parent = node_for(parent_path) if parent_path else root
            line = group_line(leaf or path, counts[path])
            nodes[path] = parent.add(TreeNode(None, line, key=f"tag:{path}"))
            return nodes[path]

        for name, listed in found.items():
            if listed:
                node = node_for(name)
                node.items, node.draw_item = listed, draw

    def _fill_by_article(self, root: Node, keep: bytearray) -> None:
        index = self._index
        settled = index.settled
        draw = self._drawer(with_tags=True)
        for article_id, positions in index.by_article.items():
            found = [index.annotations[p] for p in positions if keep[p] and settled[p]]
            if not found:
                continue
            title = self._titles.get(article_id, f"{article_id} (not in the corpus)")
            line = group_line(title, len(found))
            root.add(TreeNode(None, line, found, draw, key=f"article:{article_id}"))

    @on(Input.Changed, "#annotations-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#annotations-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in the filter field: the Input's own binding, in typing order
        self.action_choose()

    @on(TreeList.Highlighted, "#annotations-tree")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(TreeList.Selected, "#annotations-tree")
    def _selected(self) -> None:
        self.action_choose()

    def _show_detail(self) -> None:
        """The highlighted annotation's quote, tags, article and whole note (shortened, not
        flattened)."""
        node = self.tree.cursor_node
        annotation = node.data if node is not None else None
        detail = self.query_one("#annotations-detail", Static)
        if annotation is None:
            detail.update(Content(""))
            detail.display = False
            return
        parts: list[Content | str | tuple[str, str]] = [
            quoted(one_line(annotation.quote, 200)),
        ]
        if annotation.tags:
            parts.append((f"  {', '.join(annotation.tags)}", "bold"))
        parts.append((f"  — {annotation.author}", "dim"))
        # The whole title and the source here: the list has room only for the start of it.
        article = self._articles.get(annotation.article)
        where = f"{annotation.article} (not in the corpus)"
        if article is not None:
            where = one_line(pane_title(article), 200) + (
                f" · {one_line(article.source, 60)}" if article.source else ""
            )
        parts.append("\n")
        parts.append((f"in {where}", "dim"))
        if annotation.note:
            parts.append("\n")
            parts.append((_shortened_lines(annotation.note, lines=3, width=110), "italic"))
        detail.update(inert_content(Content.assemble(*parts), multiline=True))
        detail.display = True
        # The detail takes rows from the list: keep the highlighted row in view.
        self.call_after_refresh(self.tree.scroll_to_cursor)

    def action_toggle_grouping(self) -> None:
        self._grouping = "article" if self._grouping == "tag" else "tag"
        self._fill()

    def action_move(self, step: int) -> None:
        if step > 0:
            self.tree.action_cursor_down()
        else:
            self.tree.action_cursor_up()

    def action_choose(self) -> None:
        node = self.tree.cursor_node
        if node is None:
            return
        annotation = node.data
        if annotation is None:
            self.tree.toggle(node)
            return
        if annotation.article not in self._titles or annotation.anchor == "orphaned":
            self.app.notify("That passage is not in the text any more; it cannot be shown.")
            return
        self.dismiss(Jump(annotation.article, annotation.start))

    def action_reanchor(self) -> None:
        node = self.tree.cursor_node
        annotation = node.data if node is not None else None
        if annotation is None:
            self.app.notify("Choose an annotation first (up / down).")
            return
        if annotation.article not in self._titles:
            self.app.notify(
                "Its article is not in the corpus: there is no text to anchor it in.",
                severity="warning",
            )
            return
        self.dismiss(Jump(annotation.article, annotation.start, reanchor=annotation))

    def action_close(self) -> None:
        self.dismiss(None)
