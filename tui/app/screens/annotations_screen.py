"""`a`: every annotation, grouped by tag (as a tree, with counts) or by article; enter jumps.

Annotations whose anchor is fuzzy or orphaned are listed apart, so a moved or lost passage is
never silently shown as if it were exact; ctrl+r on one goes to its article to select the
right passage by hand. The highlighted annotation's quote and note are shown below the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.terminal_guard import inert_content, inert_text
from tui.app.widgets.article_view import pane_title
from tui.app.widgets.ordered_input import OrderedInput
from tui.app.widgets.quoting import quoted
from tui.corpus.model import Article
from tui.store.hierarchy import tree_order
from tui.store.model import Annotation
from tui.text_match import fold
from tui.wording import one_line

Grouping = Literal["tag", "article"]
UNTAGGED = "(no tag)"


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


def matches(annotation: Annotation, query: str) -> bool:
    """`query` is words, all of which must match: `@name` the author (start of the name), any
    other word the quote, note, author or a tag (any case)."""
    for word in fold(query).split():
        if word.startswith("@") and len(word) > 1:
            if not fold(annotation.author).startswith(word[1:]):
                return False
            continue
        haystack = [annotation.quote, annotation.note, annotation.author, *annotation.tags]
        if not any(word in fold(part) for part in haystack):
            return False
    return True


class PlainTree(Tree[Annotation | None]):
    """A Tree whose labels are always text: tag names and quotes are data, not markup."""

    def process_label(self, label: str | Text) -> Text:
        text = inert_text(Text(label) if isinstance(label, str) else label)
        return text.split()[0] if text.plain else text


class AnnotationsScreen(ModalScreen[Jump | None]):
    DEFAULT_CSS = modal_box_css(
        "AnnotationsScreen",
        width="95%",
        height="90%",
        max_width="120",
        max_height="100%",
        extra="""
    & Tree { height: 1fr; overflow-x: hidden; }
    & #annotations-detail {
        height: auto;
        max-height: 8;
        border-top: solid $foreground-muted;
    }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="back to the reader", id="annotations-close"),
        # Not priority bindings: those run as soon as a key arrives, ahead of letters typed
        # before it that the filter has not taken yet (see OrderedInput).
        Binding(
            "tab",
            "toggle_grouping",
            "By tag/article",
            tooltip="group by tag or by article (type to filter; @name: by author)",
            id="annotations-group",
        ),
        Binding("down", "move(1)", "Down", show=False, tooltip="move", id="annotations-down"),
        Binding("up", "move(-1)", "Up", show=False, tooltip="move", id="annotations-up"),
        Binding("enter", "choose", "Jump", tooltip="jump to the annotation", id="annotations-jump"),
        # Not a letter: the filter field has the keys, and a capital is part of a name.
        Binding(
            "ctrl+r",
            "reanchor",
            "Re-anchor",
            tooltip="go to the annotation's article and select its passage by hand",
            id="annotations-reanchor",
        ),
    ]

    def __init__(self, annotations: Sequence[Annotation], articles: Sequence[Article]) -> None:
        super().__init__()
        self._annotations = list(annotations)
        self._titles = {article.id: article.title or article.id for article in articles}
        self._articles = {article.id: article for article in articles}
        self._grouping: Grouping = "tag"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Annotations")
            field = OrderedInput(
                placeholder="filter: words in quote, note, tag; @name for an author",
                id="annotations-filter",
                compact=True,
            )
            field.cursor_blink = False
            yield field
            tree = PlainTree("annotations", id="annotations-tree")
            tree.show_root = False
            yield tree
            yield Static(Content(""), id="annotations-detail")
            yield Static(
                Content("enter jump · ctrl+r re-anchor by hand · tab by tag / article · esc close"),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill()

    @property
    def filter_text(self) -> str:
        return self.query_one("#annotations-filter", Input).value

    @property
    def tree(self) -> PlainTree:  # type: ignore[override]  # DOMNode.tree is a debug view
        return self.query_one("#annotations-tree", PlainTree)

    def _leaf_label(self, annotation: Annotation, *, with_tags: bool) -> Text:
        label = Text()
        label.append(quoted(one_line(annotation.quote, 60)))
        if with_tags and annotation.tags:
            label.append("  " + ", ".join(annotation.tags), style="bold")
        if not with_tags or self._grouping == "tag":
            label.append(
                f"  {one_line(self._titles.get(annotation.article, annotation.article), 30)}",
                style="dim",
            )
        if annotation.note:
            lines = len(annotation.note.strip().splitlines())
            more = f" (+{lines - 1} lines)" if lines > 1 else ""
            first = one_line(annotation.note.splitlines()[0], 30)
            label.append(f"  ✎ {first}{more}", style="italic")
        label.append(f"  — {annotation.author}", style="dim")
        if annotation.anchor != "exact":
            label.append(f"  [{annotation.anchor}]", style="bold")
        return label

    def _fill(self) -> None:
        needle = self.query_one("#annotations-filter", Input).value.strip()
        shown = [a for a in self._annotations if matches(a, needle)]
        settled = [a for a in shown if a.anchor in ("exact", "moved")]
        unsure = [a for a in shown if a.anchor not in ("exact", "moved")]
        tree = self.tree
        tree.clear()
        if self._grouping == "tag":
            self._fill_by_tag(tree.root, settled)
        else:
            self._fill_by_article(tree.root, settled)
        if unsure:
            group = tree.root.add(
                Text(f"Needs checking: fuzzy or orphaned ({len(unsure)})", style="bold"),
                None,
                expand=True,
            )
            for annotation in unsure:
                group.add_leaf(self._leaf_label(annotation, with_tags=True), annotation)
        tree.root.expand_all()
        tree.move_cursor(tree.root.children[0] if tree.root.children else None)
        self._show_detail()
        self.query_one(Vertical).border_subtitle = Content(
            f"{len(shown)} of {len(self._annotations)} · by {self._grouping}"
        )

    def _fill_by_tag(
        self, root: TreeNode[Annotation | None], annotations: list[Annotation]
    ) -> None:
        by_tag: dict[str, list[Annotation]] = {}
        for annotation in annotations:
            for name in annotation.tags or (UNTAGGED,):
                by_tag.setdefault(name, []).append(annotation)
        nodes: dict[str, TreeNode[Annotation | None]] = {}

        def node_for(path: str) -> TreeNode[Annotation | None]:
            if path in nodes:
                return nodes[path]
            parent_path, _, leaf = path.rpartition("/")
            parent = node_for(parent_path) if parent_path else root
            nodes[path] = parent.add(Text(leaf or path), None, expand=True)
            return nodes[path]

        for name in sorted(by_tag, key=tree_order):
            node = node_for(name)
            for annotation in by_tag[name]:
                node.add_leaf(self._leaf_label(annotation, with_tags=False), annotation)
        for path, node in nodes.items():
            count = sum(len(v) for k, v in by_tag.items() if k == path or k.startswith(path + "/"))
            leaf = path.rpartition("/")[2] or path
            node.set_label(Text.assemble((leaf, "bold"), (f" ({count})", "dim")))

    def _fill_by_article(
        self, root: TreeNode[Annotation | None], annotations: list[Annotation]
    ) -> None:
        by_article: dict[str, list[Annotation]] = {}
        for annotation in annotations:
            by_article.setdefault(annotation.article, []).append(annotation)
        for article_id, found in by_article.items():
            title = self._titles.get(article_id, f"{article_id} (not in the corpus)")
            node = root.add(
                Text.assemble((one_line(title, 70), "bold"), (f" ({len(found)})", "dim")),
                None,
                expand=True,
            )
            for annotation in sorted(found, key=lambda a: a.start):
                node.add_leaf(self._leaf_label(annotation, with_tags=True), annotation)

    @on(Input.Changed, "#annotations-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#annotations-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in the filter field: the Input's own binding, in typing order
        self.action_choose()

    @on(Tree.NodeHighlighted, "#annotations-tree")
    def _highlighted(self) -> None:
        self._show_detail()

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
        self.call_after_refresh(self.tree.scroll_to_node, node, animate=False)

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
            node.toggle()
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
