"""The tag picker: a fuzzy filter over the codebook that can also mint a new tag.

Typing filters; up/down move; tab marks several tags; enter applies the marked tags (or the
highlighted one). Marked tags stay listed, first, whatever the filter, so the list always
shows what enter will apply; tab moves the cursor on to the next row, as fzf's does.
Tags whose words start with the typed words come first, then tags that contain the typed
text, then look-alikes. When the typed name is not a tag yet, the list offers to create it:
first when no tag matches (look-alikes aside), so a new code costs no more keys than an old
one; after every tag offered otherwise, so "rus war" applies "Russian war aims" rather than
minting a near-duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.dialogs.modal_box import MAX_HEIGHT_SHARE, modal_box_css
from tui.app.key_bindings import bindings_for, hint_key, hint_line, user_keys_of
from tui.app.widgets.ordered_input import OrderedInput
from tui.app.widgets.quoting import QuotePreview
from tui.inert import inert
from tui.store.errors import StoreError
from tui.store.hierarchy import case_twin, implied_parents, normalise_tag_name, tree_order
from tui.store.model import Tag, first_free_key
from tui.wording import one_line

CREATE_ID = "\0create"
"""Option id of the "create a new tag" entry (NUL never occurs in a tag name)."""
MIN_FUZZY_SCORE = 60


_WORD_BREAK = re.compile(r"[\s/\-_,.:;()'’\"“”]+")


def _word_start_score(words: Sequence[str], name: str) -> tuple[int, int] | None:
    """How well `name`'s words start with the typed `words` (lower is better), or None when
    a typed word starts none of them: typed in the name's order first, then early words."""
    name_words = [word for word in _WORD_BREAK.split(name.casefold()) if word]
    places = []
    for word in words:
        place = next((i for i, part in enumerate(name_words) if part.startswith(word)), None)
        if place is None:
            return None
        places.append(place)
    out_of_order = sum(1 for a, b in pairwise(places) if b < a)
    return out_of_order, sum(places)


def _nesting_note(name: str, known: Collection[str]) -> str:
    """What a "/" in a new tag's name does, said before it is done: "US/EU" files EU under US,
    which a user who meant one code called "US/EU" should see before pressing enter."""
    parent = name.rpartition("/")[0]
    if not parent:
        return ""
    shown = inert(one_line(parent, 40))
    if parent in known:
        return f"  (/ nests: a child of {shown!r})"
    return f"  (/ nests: a child of {shown!r}, new too)"


def rank_tags(query: str, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Tag names matching `query`: (hits, best first; fuzzy-only look-alikes by score).

    A hit is a tag whose words start with the typed words ("rus war": "Russian war aims",
    not "Costs of war"), then one that contains the typed text. The two lists are kept apart
    because they mean different things: a hit is almost surely the tag meant, a look-alike
    only a suggestion beside a new name.
    """
    from rapidfuzz import fuzz, process

    query = query.strip()
    if not query:
        return sorted(names, key=tree_order), []  # as the codebook lists them
    folded = query.casefold()
    words = [word for word in _WORD_BREAK.split(folded) if word]
    scored = [
        (score, name) for name in names if (score := _word_start_score(words, name)) is not None
    ]
    by_words = [
        name for score, name in sorted(scored, key=lambda pair: (pair[0], tree_order(pair[1])))
    ]
    taken = set(by_words)
    substring = sorted(
        (name for name in names if name not in taken and folded in name.casefold()),
        key=lambda name: (name.casefold().index(folded), name.casefold()),
    )
    taken.update(substring)
    rest = [name for name in names if name not in taken]
    fuzzy = process.extract(
        folded,
        rest,
        scorer=fuzz.WRatio,
        processor=str.casefold,
        limit=None,
        score_cutoff=MIN_FUZZY_SCORE,
    )
    return by_words + substring, [name for name, _score, _index in fuzzy]


@dataclass(frozen=True, slots=True)
class PickedTags:
    """What the picker returns: tag names to apply, which of them do not exist yet, and
    applied tags chosen again, to take off."""

    names: tuple[str, ...]
    new: tuple[str, ...]
    removed: tuple[str, ...] = ()


LIST_ROWS = 14
"""Tags listed at once; fewer on a terminal too short for them and the rest of the box."""


class TagPicker(ModalScreen[PickedTags | None]):
    DEFAULT_CSS = modal_box_css(
        "TagPicker",
        width="60",
        extra=f"""
    & .quote {{ color: $foreground-muted; max-height: 2; margin-bottom: 1; }}
    & Input {{ margin-bottom: 1; }}
    & OptionList {{ height: auto; max-height: {LIST_ROWS}; }}
    & .hint {{ color: $foreground-muted; }}
""",
    )

    # None of these is a priority binding: a priority binding runs as soon as the key arrives,
    # ahead of the keys typed before it that still wait in the Input's queue, so a burst such
    # as "backspace, backspace, N, A, T, O, enter" over a slow SSH link would apply the old
    # filter text. Bubbling up from the Input keeps every key in the order it was typed.
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("tag-picker")

    def __init__(
        self,
        tags: Sequence[Tag],
        *,
        current: Sequence[str] = (),
        title: str = "Tag",
        highlight: str | None = None,
        choose_one: bool = False,
        passage: str = "",
        around: Sequence[str] = (),
    ) -> None:
        """`choose_one`: pick one of `tags` (to focus it, say); no new names, no marking.
        `passage`: what is being tagged, shown on top, since the dialog covers it."""
        super().__init__()
        self._passage = passage
        self._highlight = highlight
        self._choose_one = choose_one
        self._tags = {tag.name: tag for tag in tags}
        # A parent that exists only as a path is offered too; choosing it makes it a tag.
        self._parents = sorted(implied_parents(self._tags))
        self._current = set(current)
        self._around = set(around) - self._current  # on the passage around the target
        self._marked: list[str] = []
        self._new_names: set[str] = set()
        self._filled_for = ""
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(inert(self._title))
            if self._passage:
                yield QuotePreview(self._passage, lines=2)
            placeholder = "filter" if self._choose_one else "filter, or a new tag name"
            input_ = OrderedInput(placeholder=placeholder, id="tag-filter", compact=True)
            input_.cursor_blink = False
            yield input_
            yield OptionList(id="tag-options", compact=True)
            keys = user_keys_of(self.app)
            hint = hint_line("tag-picker", user_keys=keys)
            if self._choose_one:  # no marking, no new names: enter chooses one
                hint = " · ".join(
                    f"{hint_key(command_id, keys)} {word}"
                    for command_id, word in [
                        ("picker-apply", "choose"), ("tag-picker-help", "keys"),
                        ("picker-cancel", "cancel"),
                    ]
                )  # fmt: skip
            yield Static(Content(hint), classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        if self._highlight in self._tags:  # enter alone picks it
            options = self.query_one("#tag-options", OptionList)
            options.highlighted = options.get_option_index(self._highlight)

    def on_resize(self, event: events.Resize) -> None:
        """The list gives up rows before the hint or the passage do, on a short terminal."""
        box_rows = int(event.size.height * MAX_HEIGHT_SHARE)
        around = 2 + 2 + 1 + (3 if self._passage else 0)  # border, filter, hint, passage
        options = self.query_one("#tag-options", OptionList)
        options.styles.max_height = max(3, min(LIST_ROWS, box_rows - around))

    @property
    def filter_text(self) -> str:
        return self.query_one("#tag-filter", Input).value

    def _prompt(self, name: str, *, hidden: bool = False) -> Content:
        """`hidden`: a marked tag the filter does not match, listed all the same."""
        tag = self._tags.get(name)
        mark = "● " if name in self._marked else "○ "
        parts: list[Content | tuple[str, str] | str] = [mark, Content(inert(name))]
        if tag is not None and tag.key is not None:
            parts.append((f"  [{tag.key}]", "dim"))
        if name in self._parents:
            parts.append(("  (parent: becomes a tag)", "dim"))
        if name in self._current:
            again = hint_key("picker-apply", user_keys_of(self.app), prefer="enter")
            parts.append((f"  (applied: {again} takes it off)", "dim"))
        elif name in self._around:
            parts.append(("  (on the passage around this)", "dim"))
        if hidden:
            parts.append(("  (marked; the filter hides it)", "dim"))
        return Content.assemble(*parts)

    def _fill(self, query: str, *, highlight: str | None = None) -> None:
        """List what `query` finds, marked tags first; the cursor on `highlight` (an option
        id), else where it was, else on the first row the filter found."""
        self._filled_for = query
        options = self.query_one("#tag-options", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        highlighted = highlight or highlighted
        options.clear_options()
        hits, suggestions = rank_tags(query, [*self._tags, *self._parents])
        new_name = query.strip()
        try:
            known_as = normalise_tag_name(new_name) if new_name else ""
        except StoreError:
            known_as = new_name  # offered all the same: the store says what is wrong with it
        # Marked tags are listed first, whatever the filter, so the list always shows what
        # enter will apply (a marked tag the filter hides says so).
        listed = set(hits) | set(suggestions)
        kept = list(self._marked)
        found = [name for name in hits + suggestions if name not in self._marked]
        prompts = [Option(self._prompt(name, hidden=name not in listed), id=name) for name in kept]
        prompts += [Option(self._prompt(name), id=name) for name in found]
        twin = case_twin(known_as, [*self._tags, *self._parents]) if known_as else None
        offer_new = bool(known_as) and known_as not in self._tags and known_as not in self._parents
        if twin is not None and not self._choose_one:
            # Not offered: the store refuses a name that differs from a tag only in case.
            ours, theirs = twin
            note = f"  {ours!r} would differ from {theirs!r} only in capitals"
            prompts.append(Option(Content.styled(note, "dim"), disabled=True))
        elif offer_new and not self._choose_one:
            key = first_free_key(self._tags.values())
            create = Option(
                Content.assemble(
                    ("+ new tag ", "bold"),
                    Content(inert(new_name)),
                    (f"  [{key}]" if key is not None else "", "dim"),
                    (_nesting_note(known_as, self._tags.keys() | self._parents), "dim"),
                ),
                id=CREATE_ID,
            )
            # A name that matches no tag is most likely new: enter creates it, and the fuzzy
            # look-alikes stay one key down. Otherwise the tags it matches come first, and the
            # new name after every tag offered, so enter never mints a near-duplicate code.
            prompts.insert(len(kept) + (len(found) if hits else 0), create)
        options.add_options(prompts)
        if prompts:
            ids = [option.id for option in prompts]
            keep = highlighted is not None and highlighted in ids  # the note's id is None
            # Else the first row the filter found: typing then tab marks the best match.
            first = len(kept) if len(kept) < len(prompts) else 0
            options.highlighted = ids.index(highlighted) if keep else first

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one("#tag-options", OptionList).highlighted = None
        self._fill(event.value)

    @on(Input.Submitted, "#tag-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(OptionList.OptionSelected, "#tag-options")
    def _option_clicked(self, event: OptionList.OptionSelected) -> None:
        self.action_apply()

    def action_move(self, step: int) -> None:
        self._catch_up()
        options = self.query_one("#tag-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = (current + step) % options.option_count

    def _catch_up(self) -> None:
        """Keys typed faster than Input.Changed arrives: filter for what is in the box now."""
        if self._filled_for != self.filter_text:
            self._fill(self.filter_text)

    def action_toggle_mark(self) -> None:
        if self._choose_one:
            return
        self._catch_up()
        options = self.query_one("#tag-options", OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            return
        name = self.filter_text.strip() if option.id == CREATE_ID else option.id
        if name in self._marked:
            self._marked.remove(name)
        else:
            self._marked.append(name)
            if option.id == CREATE_ID:
                self._tags.setdefault(name, Tag(name))
                self._new_names.add(name)
        # The marked row moves (to the top, or back among the others): the cursor goes on to
        # the row that was below it, ready to mark the next (as fzf's tab does).
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        here = options.highlighted if options.highlighted is not None else 0
        below = next((i for i in ids[here + 1 :] if i is not None), None)
        self._fill(self.filter_text, highlight=below or name)

    def action_apply(self) -> None:
        self._catch_up()
        options = self.query_one("#tag-options", OptionList)
        names = list(self._marked)
        option = options.highlighted_option
        if not names and option is not None and option.id is not None:
            if option.id == CREATE_ID:
                name = self.filter_text.strip()
                self._new_names.add(name)
                names = [name]
            else:
                names = [option.id]
        if not names:
            return
        removed = tuple(name for name in names if name in self._current)
        added = tuple(name for name in names if name not in self._current)
        new = tuple(name for name in added if name in self._new_names or name in self._parents)
        self.dismiss(PickedTags(added, new, removed))

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
