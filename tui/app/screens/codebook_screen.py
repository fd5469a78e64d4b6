"""`c`: the codebook as a tree (a `/` in a name nests it), and every edit of a tag.

Each row shows the tag's colour, its key, how many annotations carry it or a tag below it, and
its description. Edits go to the store at once through the session, whose store-change signal
redraws the panes behind straight away (a rename or merge is seen in the highlights before the
dialog is closed) and this tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from tui.app.dialogs.modal_box import modal_box_css
from tui.app.dialogs.prompts import ColorChooser, ConfirmDialog, TextPrompt
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.model.session import tree_names
from tui.app.model.store_change import StoreChange
from tui.app.terminal_guard import inert_content, inert_text
from tui.store.errors import StoreError, StoreWriteError
from tui.store.hierarchy import SEPARATOR, is_within
from tui.store.model import Tag
from tui.wording import counted, one_line

if TYPE_CHECKING:
    from tui.app.dialogs.tag_picker import PickedTags
    from tui.app.reader import ReaderApp

T = TypeVar("T")


NAME_ROOM = 40
"""Cells for a tag's own name in the tree: a longer one is cut, so its count still shows."""
MIN_DESCRIPTION_ROOM = 12
"""Below this, a row shows no description rather than a few letters of one."""


class CodebookTree(Tree[str]):
    """Tag names are data: labels are always Text, never parsed as markup."""

    def process_label(self, label: str | Text) -> Text:
        text = inert_text(Text(label) if isinstance(label, str) else label)
        return text.split()[0] if text.plain else text


class CodebookScreen(ModalScreen[None]):
    DEFAULT_CSS = modal_box_css(
        "CodebookScreen",
        width="95%",
        height="90%",
        max_width="120",
        max_height="100%",
        extra="""
    & Tree { height: 1fr; overflow-x: hidden; }
    & #codebook-detail { height: auto; max-height: 3; color: $foreground; }
    & .hint { color: $foreground-muted; }
""",
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("codebook")

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Codebook")
            tree = CodebookTree("codebook", id="codebook-tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            yield Static(Content(""), id="codebook-detail")
            yield Static(
                Content(hint_line("codebook", user_keys=user_keys_of(self.app))), classes="hint"
            )

    def on_mount(self) -> None:
        self.fill()
        self.reader.store_changed_signal.subscribe(self, self._store_changed, immediate=True)

    def _store_changed(self, change: StoreChange) -> None:
        if change.codebook or change.reloaded or change.saved or change.removed:
            self.fill()  # tags, colours or counts may differ

    def on_resize(self) -> None:
        self.fill()  # the descriptions take the room the new width gives

    @property
    def tree(self) -> CodebookTree:  # type: ignore[override]  # DOMNode.tree is a debug view
        return self.query_one("#codebook-tree", CodebookTree)

    @property
    def selected(self) -> str | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    # -- the tree ----------------------------------------------------------------------------

    def _label(self, name: str, tag: Tag | None, count: int, *, parent: bool = False) -> Text:
        """Swatch, key, name and count always; the description in what room the row has left
        (the detail line below the tree shows it whole)."""
        label = Text()
        label.append("  ", style=self.reader.tag_style(name) if tag is not None else "")
        label.append(f" {tag.key if tag and tag.key is not None else ' '} ", style="bold")
        label.append(one_line(name.rpartition(SEPARATOR)[2], NAME_ROOM), style="bold")
        label.append(f" ({count})", style="dim")
        if tag is not None and tag.description:
            # Top level and its children start after a 2-cell toggle or guide; each deeper
            # level adds a guide, a parent below the top its toggle. Two cells stay free for
            # the scrollbar.
            depth = name.count(SEPARATOR)
            indent = 2 + max(0, depth - 1) * self.tree.guide_depth + (2 if parent and depth else 0)
            width = self.tree.scrollable_content_region.width or 80
            room = width - indent - label.cell_len - 2
            if room >= MIN_DESCRIPTION_ROOM:
                label.append(f"  {one_line(tag.description, room)}", style="italic dim")
        return label

    def fill(self, select: str | None = None) -> None:
        """Build the tree from the store; keep the cursor on `select` (or where it was)."""
        select = select or self.selected
        try:
            tags = self.reader.session.tags()
            totals = self.reader.session.tag_totals()
        except StoreError as error:
            self.reader.show_store_error(error)
            return
        by_name = {tag.name: tag for tag in tags}
        tree = self.tree
        tree.clear()
        nodes: dict[str, TreeNode[str]] = {}
        names = tree_names(tags)
        parents = {name.rpartition(SEPARATOR)[0] for name in names}
        for name in names:
            parent_name = name.rpartition(SEPARATOR)[0]
            parent = nodes.get(parent_name, tree.root)
            label = self._label(
                name, by_name.get(name), totals.get(name, 0), parent=name in parents
            )
            nodes[name] = parent.add(label, name, expand=True)
        for node in nodes.values():
            node.allow_expand = bool(node.children)
        tree.root.expand_all()
        # All nodes are expanded and were added in tree order, so a node's line is its index
        # (Tree.move_cursor needs lines Tree builds only on the next refresh).
        order = list(nodes)
        if order:
            tree.move_cursor_to_line(order.index(select) if select in order else 0)
        self.query_one(Vertical).border_subtitle = Content(
            f"{counted(len(tags), 'tag')} · "
            + counted(self.reader.session.annotation_count(), "annotation")
        )
        self._show_detail()

    @on(Tree.NodeHighlighted, "#codebook-tree")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        name = self.selected
        detail = Content("")
        if name is not None:
            tag = self.reader.session.tag(name)
            description = tag.description if tag is not None else ""
            detail = Content.assemble(
                (name, "bold"), ("  " + one_line(description, 200), "italic") if description else ""
            )
        self.query_one("#codebook-detail", Static).update(inert_content(detail))

    # -- changes -----------------------------------------------------------------------------

    def _change(self, call: Callable[[], T], *, select: str | None = None) -> T | None:
        """Run a session change; show what went wrong; keep the cursor on `select`."""
        result = self.reader.store_call(call)
        if result is not None:
            self._changed(select)
        return result

    def _changed(self, select: str | None = None) -> None:
        # The store-change signal redrew the tree; this only moves the cursor.
        if select is not None and select != self.selected:
            self.fill(select)

    def _prompt_change(self, call: Callable[[str], object]) -> Callable[[str], None]:
        """For a TextPrompt: a refused value (StoreError) keeps the dialog open with the reason;
        a write that only has to be retried counts as done."""

        def apply(value: str) -> None:
            try:
                call(value)
            except StoreWriteError as error:
                self.reader.show_store_error(error)

        return apply

    def _after_prompt(self, select: Callable[[str], str | None]) -> Callable[[str | None], None]:
        def done(value: str | None) -> None:
            if value is not None:
                self._changed(select(value))

        return done

    def action_new(self) -> None:
        session = self.reader.session
        parent = self.selected
        self.app.push_screen(
            TextPrompt(
                "New tag",
                placeholder=f"name, or {parent}/child" if parent else "name",
                apply=self._prompt_change(session.create_tag),
            ),
            self._after_prompt(lambda value: session.normalised_name(value)),
        )

    def action_rename(self) -> None:
        old = self.selected
        if old is None:
            return
        session = self.reader.session
        self.app.push_screen(
            TextPrompt(
                f"Rename {old}",
                old,
                apply=self._prompt_change(lambda new: session.rename_tag(old, new)),
            ),
            self._after_prompt(session.normalised_name),
        )

    def action_merge(self) -> None:
        from tui.app.dialogs.tag_picker import TagPicker

        source = self.selected
        if source is None:
            return
        session = self.reader.session
        others = [tag for tag in session.tags() if not is_within(tag.name, source)]

        def merge(picked: PickedTags | None) -> None:
            if not picked:
                return
            into = picked.names[0]
            moved = self._change(lambda: session.merge_tags(source, into), select=into)
            if moved is not None:
                self.app.notify(f"{counted(moved, 'annotation')} moved into {into}.", markup=False)

        self.app.push_screen(TagPicker(others, title=f"Merge {source} into"), merge)

    def action_recolor(self) -> None:
        name = self.selected
        if name is None:
            return
        tag = self.reader.session.tag(name)

        def recolor(color: str | None) -> None:
            if color is not None:
                self._change(lambda: self.reader.session.recolor_tag(name, color))

        swatch = self.reader.color_style
        self.app.push_screen(ColorChooser(name, tag.color if tag else "", swatch), recolor)

    def action_bind_key(self, key: int) -> None:
        name = self.selected
        if name is None:
            return
        tag = self.reader.session.tag(name)
        wanted = None if key == 0 or (tag is not None and tag.key == key) else key
        if self._change(lambda: self.reader.session.bind_key(name, wanted)) is not None:
            said = f"{wanted} now tags {name}" if wanted else f"{name} has no key now"
            self.app.notify(said, markup=False)

    def action_describe(self) -> None:
        name = self.selected
        if name is None:
            return
        session = self.reader.session
        tag = session.tag(name)
        self.app.push_screen(
            TextPrompt(
                f"Describe {name}",
                tag.description if tag else "",
                placeholder="what this code means, when to use it",
                apply=self._prompt_change(lambda text: session.describe_tag(name, text)),
            ),
            self._after_prompt(lambda _text: name),
        )

    def action_delete(self) -> None:
        name = self.selected
        if name is None:
            return
        session = self.reader.session
        touched = session.annotations_touched(name)
        children = sum(1 for tag in session.tags() if tag.name.startswith(name + SEPARATOR))
        below = f" and its {counted(children, 'child tag')}" if children else ""
        undo = hint_key("codebook-undo", user_keys_of(self.app))
        message = (
            f"Delete {name}{below}? It is on {counted(touched, 'annotation')}; "
            f"they stay, without the tag. {undo} undoes."
        )

        def delete(yes: bool | None) -> None:
            if yes:
                done = self._change(lambda: session.delete_tag(name))
                if done is not None:
                    self.app.notify(
                        f"Deleted {name}; {counted(done, 'annotation')} changed.", markup=False
                    )

        self.app.push_screen(ConfirmDialog("Delete tag", message), delete)

    def action_undo(self) -> None:
        done = self._change(self.reader.session.undo)
        self.app.notify(done or "Nothing to undo.", markup=False)

    def action_redo(self) -> None:
        done = self._change(self.reader.session.redo)
        self.app.notify(done or "Nothing to redo.", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
