"""Every key of the reader, once: the Textual bindings, the palette's commands, the `?` help
rows, the footer and the codebook's hint line are all derived from `COMMANDS`.

No Textual here (import-linter checks it), so the table can be read by a test of the README
and by the user keymap loader without a terminal. To add a key: add one `Command` to
`COMMANDS` with the `where` of the screen (or widget) whose actions it runs, and give that
screen `BINDINGS = bindings_for("<where>")` (tui/app/key_bindings.py). A new `where` that `?`
should list also gets a line in `PLACES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from tui.analysis.filters import FILTER_HELP
from tui.store.model import QUICK_KEYS

Where = str
"""Which screen or widget a command belongs to: a key of `PLACES`, or another name for a
screen whose keys `?` does not list (the help screen's own)."""


@dataclass(frozen=True, slots=True)
class Command:
    """One command: what `?`, the footer, the palette and `App.set_keymap` know of it."""

    id: str
    """The binding id: what a user keymap (`keys.yaml`) names, stable across releases."""
    keys: str
    """Textual key names, comma-separated; the first is the one the palette names."""
    action: str
    """The Textual action run on the `where` screen or widget, e.g. `step_passage(1)`."""
    title: str
    """The footer's word for it."""
    help: str
    """What `?` says it does (commands with the same help share one row)."""
    where: Where
    footer: bool = True
    """Shown in the footer (a screen may still hide it in a mode)."""
    key_display: str | None = None
    """How the footer writes the keys, when one entry stands for a pair (`n/N`)."""
    palette: str | None = None
    """The command palette's title; None: not in the palette."""
    palette_help: str = ""
    """The palette's line under the title (the key is added after it); default `help`."""
    hint: str = ""
    """The word of a screen's own hint line (the codebook's), if it has one."""
    footer_needs: str = ""
    """A reader state the footer shows it in only (`selecting`, `searching`, `focused`)."""
    footer_hides_in: frozenset[str] = frozenset()
    """Reader modes whose own keys push it off the footer (see `ReaderMode.primary`)."""
    priority: bool = False
    """A Textual priority binding: runs before the focused widget sees the key."""


# The reader's modes whose own keys push less important ones off the footer, so that at 80
# columns what applies now fits (tui/app/model/reader_mode.py reads these).
SELECTING = frozenset({"selecting"})
FOCUSED = frozenset({"focused"})
IN_ANY_MODE = frozenset({"selecting", "focused", "searching"})

PLACES: dict[Where, str] = {
    "pane": "Reading",
    "reader": "Coding",
    "tag-picker": "Tag picker (t)",
    "annotations": "Annotations list (a)",
    "codebook": "Codebook (c)",
    "app": "Application",
}
"""Each place the reader's `?` lists, in its order, with its section title."""

SCREEN_PLACES: dict[Where, str] = {
    "memo-list": "Memos (M)",
    "analysis": "Analysis (A)",
    "coders": "Compare: choose two coders (C)",
    "compare": "Compare coders",
    "corpus-search": "Search every article (S)",
    "corpus-search-hits": "Search every article: the hits",
    "note-editor": "Writing a note or memo (m)",
    "export": "Export (e)",
    "article-picker": "Open an article (o)",
    "article-details": "Article details (i)",
    "confirm": "A yes/no question",
    "text-prompt": "A name or a description",
    "colour-chooser": "A tag's colour",
}
"""The other screens with keys of their own: `?` (or f1) inside one lists its place."""

PLACE_TITLES: dict[Where, str] = {**PLACES, **SCREEN_PLACES}

SHOWN_WITH: dict[Where, tuple[Where, ...]] = {"corpus-search": ("corpus-search-hits",)}
"""Places whose `?` lists another place's keys too (a widget of the screen)."""


def _pane() -> list[Command]:
    c = partial(Command, where="pane")

    return [
        c("next-sentence", "j,down", "next_sentence", "Next sentence",
          "next sentence (the cursor is a sentence)", footer=False),
        c("prev-sentence", "k,up", "previous_sentence", "Prev sentence", "previous sentence",
          footer=False),
        c("next-paragraph", "J,right_square_bracket", "next_paragraph", "Next paragraph",
          "next paragraph", footer=False),
        c("prev-paragraph", "K,left_square_bracket", "previous_paragraph", "Prev paragraph",
          "previous paragraph", footer=False),
        c("page-down", "space,pagedown", "page(1)", "Page down", "page down", footer=False),
        c("page-up", "b,pageup", "page(-1)", "Page up", "page up", footer=False),
        c("top", "g,home", "top", "Top", "top of the article", footer=False),
        c("bottom", "G,end", "bottom", "Bottom", "bottom of the article", footer=False),
        c("select", "v", "toggle_selection", "Select",
          "start a selection (v again or esc drops it); j/k grow it by sentences",
          palette="Select", footer_hides_in=SELECTING,
          palette_help="start or drop a selection in the focused pane; j/k grow it, h/l by words"),
        c("word-forward", "l,right", "word(1)", "Word",
          "while selecting: move its end one word on", key_display="h/l",
          footer_needs="selecting"),
        # The footer shows both as "h/l Word".
        c("word-back", "h,left", "word(-1)", "Word", "while selecting: move its end one word back",
          footer=False, footer_needs="selecting"),
        c("cancel-selection", "escape", "cancel_selection", "Cancel", "drop the selection"),
        c("next-match", "n", "next_match(1)", "Match", "next search match", key_display="n/N",
          footer_needs="searching", footer_hides_in=SELECTING),
        # The footer shows both as "n/N Match".
        c("prev-match", "N", "next_match(-1)", "Prev match", "previous search match",
          footer=False, footer_needs="searching", footer_hides_in=SELECTING),
    ]  # fmt: skip


def _reader() -> list[Command]:
    c = partial(Command, where="reader")

    quick = [
        c(f"quick-tag-{key}", str(key), f"quick_tag({key})", "Quick tag",
          "apply the tag bound to that key", footer=False)
        for key in QUICK_KEYS
    ]  # fmt: skip
    return [
        c("tag", "t,enter", "tag", "Tag",
          "tag the selection or sentence: the picker (a new name makes a tag)", palette="Tag…",
          palette_help="tag the selection, or the sentence under the cursor, with the tag picker"),
        *quick,
        c("note", "m", "note", "Note", "write or edit the note of the annotation under the cursor",
          palette="Note…", palette_help="write or edit the note of the annotation here"),
        c("delete", "x,delete", "delete", "Delete", "remove the annotation under the cursor",
          palette="Delete annotation"),
        c("undo", "u", "undo", "Undo", "undo the last change", palette="Undo"),
        c("redo", "U,ctrl+r", "redo", "Redo", "redo what was undone", footer=False,
          palette="Redo", palette_help="redo the last undone change"),
        c("search", "slash", "search", "Search", "search the article; then n / N",
          palette="Search", footer_hides_in=SELECTING | FOCUSED,
          palette_help="search the focused article"),
        c("corpus-search", "S,ctrl+f", "corpus_search", "Search all",
          "search every article (words or a regex; ctrl+t codes all hits)", footer=False,
          palette="Search all articles",
          palette_help="words or a regular expression in every article; code all hits"),
        c("open-article", "o", "choose_article", "Open", "choose the article of this pane",
          palette="Open article…", footer_hides_in=IN_ANY_MODE,
          palette_help="choose the article of the focused pane"),
        c("annotations", "a", "annotations", "List",
          "the annotations list (by tag or article; enter jumps to one)", footer=False,
          palette="Annotations list",
          palette_help="every annotation, by tag or article; enter jumps to one"),
        c("report", "r", "report", "Report",
          "the cleaning report of this article (raw beside clean)", footer=False,
          palette="Cleaning report",
          palette_help="what cleaning changed in the focused article, raw beside clean"),
        c("export", "e", "export", "Export", "export annotations", footer=False,
          palette="Export annotations", palette_help="write annotations to a file"),
        c("codebook", "c", "codebook", "Codebook",
          "the codebook: create, rename, merge, recolour, bind and delete tags", footer=False,
          palette="Codebook",
          palette_help="the tags: create, rename, merge, recolour, bind keys, delete"),
        c("memos", "M", "memos", "Memos",
          "memos on this article and on the project (enter edits, n new, p project, d deletes)",
          footer=False, palette="Memos",
          palette_help="dated notes on the focused article and on the whole project"),
        c("analysis", "A", "analysis", "Analysis",
          "analysis: code frequencies, code x article matrix, co-occurrence; enter lists passages",
          footer=False, palette="Analysis",
          palette_help="codes by article, codes together, frequencies; enter drills down"),
        c("compare", "C", "compare", "Compare",
          "compare two coders on this article: differences marked, settle each into consensus",
          footer=False, palette="Compare coders",
          palette_help="two coders side by side on the focused article; settle differences"),
        c("blind", "B", "toggle_blind", "Blind",
          "blind coding: hide everyone else's annotations (B again shows them)", footer=False,
          palette="Blind coding", palette_help="hide or show everyone else's annotations"),
        c("article-details", "i", "article_details", "Details",
          "edit the focused article's title, source, author, date and URL", footer=False,
          palette="Article details"),
        c("focus-tag", "f", "focus_tag", "Focus",
          "focus a tag: dim all but its passages in both panes (f again clears)", footer=False,
          palette="Focus a tag",
          palette_help="dim all but one tag's passages in both panes; . and , step through them"),
        c("next-passage", "full_stop,greater_than_sign", "step_passage(1)", "Next",
          "while focused: the focused tag's next passage (left article, then right)",
          footer_needs="focused", footer_hides_in=SELECTING),
        c("prev-passage", "comma,less_than_sign", "step_passage(-1)", "Prev",
          "while focused: the focused tag's previous passage", footer=False,
          footer_needs="focused"),
        c("cancel-mode", "escape", "cancel_mode", "Done",
          "stop re-anchoring, else clear the search, else clear the tag focus", footer=False),
        c("next-pane", "tab", "switch_pane(1)", "Other pane", "the other pane", footer=False,
          palette="Other pane", palette_help="move to the other article"),
        c("previous-pane", "shift+tab", "switch_pane(-1)", "Other pane", "the other pane",
          footer=False),
        c("zoom", "z", "zoom", "Zoom", "this pane full width, or back to both (as tmux's prefix z)",
          footer=False, palette="Zoom pane",
          palette_help="the focused pane full width, or back to both"),
        c("help", "question_mark", "help", "Keys", "all keys", palette="Help: all keys",
          palette_help="every key of the reader"),
    ]  # fmt: skip


def _codebook() -> list[Command]:
    c = partial(Command, where="codebook")

    # 1-9, then 0: the hint line reads "1-9 key · 0 unbind".
    keys = [
        c(f"codebook-key-{key}", str(key), f"bind_key({key})", "Bind key",
          "bind that key to the tag; its own key again, or 0, unbinds it", footer=False,
          hint="unbind" if key == 0 else "key")
        for key in (*range(1, 10), 0)
    ]  # fmt: skip
    return [
        c("codebook-close", "escape,q", "close", "Close", "close the codebook", hint="close"),
        c("codebook-new", "n", "new", "New", "a new tag ('/' in the name nests it)", hint="new"),
        c("codebook-rename", "R,f2", "rename", "Rename", "rename the tag and its children",
          hint="rename"),
        c("codebook-merge", "M", "merge", "Merge", "merge the tag into another", hint="merge"),
        c("codebook-color", "C", "recolor", "Colour", "choose the tag's colour", hint="colour"),
        *keys,
        c("codebook-describe", "d", "describe", "Describe", "edit the tag's description",
          hint="describe"),
        c("codebook-delete", "D,delete", "delete", "Delete",
          "delete the tag (asks first; its annotations stay)", hint="delete"),
        c("codebook-undo", "u", "undo", "Undo", "undo the last change", hint="undo"),
        c("codebook-redo", "U,ctrl+r", "redo", "Redo", "redo", footer=False),
        _help_key("codebook"),
    ]  # fmt: skip


def _help() -> list[Command]:
    c = partial(Command, where="help", footer=False)

    # The reader's own movement keys scroll the list.
    return [
        # f1 too: it opens the keys where a text field takes `?`, so it closes them again.
        Command("help-close", "escape,q,question_mark,f1", "close", "Close", "close",
                where="help"),
        c("help-down", "j,down", "scroll(1)", "Down", "down"),
        c("help-up", "k,up", "scroll(-1)", "Up", "up"),
        c("help-page-down", "space,pagedown", "page(1)", "Page down", "page down"),
        c("help-page-up", "b,pageup", "page(-1)", "Page up", "page up"),
        c("help-top", "g,home", "end(0)", "Top", "top"),
        c("help-bottom", "G,end", "end(1)", "Bottom", "bottom"),
    ]  # fmt: skip


def _app() -> list[Command]:
    return [
        Command("quit", "q", "quit", "Quit", "quit (everything is saved as it happens)", "app",
                footer_hides_in=IN_ANY_MODE),
        Command("command-palette", "ctrl+p", "command_palette", "Commands", "command palette",
                "app", footer=False),
    ]  # fmt: skip


def _help_key(where: Where, keys: str = "question_mark,f1", hint: str = "keys") -> Command:
    """A screen's own `?`: f1 alone where a text field has the keys (`?` is typed there);
    `hint=""` where the hint line has no room for it."""
    return Command(f"{where}-help", keys, f"app.show_keys('{where}')", "Keys",
                   "the keys of this screen", where,
                   footer=False, hint=hint)  # fmt: skip


def _annotations() -> list[Command]:
    c = partial(Command, where="annotations")

    # Not priority bindings: those run as soon as a key arrives, ahead of letters typed
    # before it that the filter has not taken yet (see OrderedInput). Hint order first.
    return [
        c("annotations-jump", "enter", "choose", "Jump", "jump to the annotation", hint="jump"),
        # Not a letter: the filter field has the keys, and a capital is part of a name.
        c("annotations-reanchor", "ctrl+r", "reanchor", "Re-anchor",
          "go to the annotation's article and select its passage by hand", hint="re-anchor"),
        c("annotations-group", "tab", "toggle_grouping", "By tag/article",
          "group by tag or by article (type to filter; @name: by author)",
          hint="by tag/article"),
        c("annotations-down", "down", "move(1)", "Down", "move", footer=False),
        c("annotations-up", "up", "move(-1)", "Up", "move", footer=False),
        _help_key("annotations", "f1"),
        c("annotations-close", "escape", "close", "Close", "back to the reader", hint="close"),
    ]  # fmt: skip


def _tag_picker() -> list[Command]:
    c = partial(Command, where="tag-picker")

    return [
        c("picker-apply", "enter", "apply", "Apply",
          "apply the marked tags, else the highlighted one (a new name creates it; "
          "an applied tag is taken off)", hint="apply"),
        c("picker-mark", "tab", "toggle_mark", "Mark",
          "mark the tag (or new name) to apply several at once; marked tags stay listed first",
          hint="mark several"),
        c("picker-down", "down", "move(1)", "Down", "move", footer=False),
        c("picker-up", "up", "move(-1)", "Up", "move", footer=False),
        _help_key("tag-picker", "f1"),
        c("picker-cancel", "escape", "dismiss_picker", "Cancel", "close, tag nothing",
          hint="cancel"),
    ]  # fmt: skip


def _memo_list() -> list[Command]:
    c = partial(Command, where="memo-list")

    # enter is also the list's own key (it selects the row); this entry is its `?` row and
    # hint word, and the command a user's keymap moves.
    return [
        c("memo-edit", "enter", "edit", "Edit", "edit the highlighted memo (in the note editor)",
          hint="edit"),
        c("memo-new", "n", "new(False)", "New on article", "a new memo on the article",
          hint="new"),
        c("memo-new-project", "p", "new(True)", "New on project", "a new memo on the project",
          hint="new on the project"),
        c("memo-delete", "d,delete", "delete", "Delete", "delete the memo (asks first)",
          hint="delete"),
        _help_key("memo-list"),
        c("memo-close", "escape,q", "close", "Close", "back to the reader", hint="close"),
    ]  # fmt: skip


def _note_editor() -> list[Command]:
    c = partial(Command, where="note-editor")

    # Not priority bindings, which would run ahead of the letters typed just before them
    # and still on their way into the text area: the text area leaves these keys alone.
    # f1, not `?`: the text area takes `?` as text.
    return [
        c("note-save", "ctrl+s", "save", "Save", "save what you wrote", hint="save"),
        c("note-save-f2", "f2", "save", "Save", "save what you wrote", footer=False,
          hint="save"),
        _help_key("note-editor", "f1"),
        c("note-cancel", "escape", "cancel", "Cancel", "close, save nothing", hint="cancel"),
    ]  # fmt: skip


def _export() -> list[Command]:
    c = partial(Command, where="export")

    # Not priority bindings: an open list closes first on esc, then the dialog; ctrl+s runs
    # after the keys typed before it. tab, the arrows and enter are the fields' own.
    return [
        c("export-run", "ctrl+s", "export", "Export",
          "write the file (enter in the path field does too)", hint="export"),
        _help_key("export", "f1"),
        c("export-close", "escape", "close", "Close", "close (an open list closes first)",
          hint="close"),
    ]  # fmt: skip


def _article_picker() -> list[Command]:
    c = partial(Command, where="article-picker")

    # Not priority bindings, as in the annotations list (OrderedInput). Hint order first.
    return [
        c("articles-sort", "tab", "cycle_sort", "Sort",
          "order by corpus, title, date, source or coded passages", hint="sort"),
        c("articles-open", "enter", "choose", "Open", "open the article in this pane",
          hint="open"),
        c("articles-down", "down", "move(1)", "Down", "move", footer=False),
        c("articles-up", "up", "move(-1)", "Up", "move", footer=False),
        c("articles-page-down", "pagedown", "page(1)", "Page down", "page down / up",
          footer=False),
        c("articles-page-up", "pageup", "page(-1)", "Page up", "page down / up", footer=False),
        _help_key("article-picker", "f1"),
        c("articles-cancel", "escape", "cancel", "Cancel", "close, keep this pane's article",
          hint="cancel"),
    ]  # fmt: skip


def _article_details() -> list[Command]:
    c = partial(Command, where="article-details")

    return [
        c("details-save", "ctrl+s,f2", "save", "Save", "save the details and attributes",
          hint="save"),
        _help_key("article-details", "f1"),
        c("details-cancel", "escape", "cancel", "Cancel", "close, change nothing",
          hint="cancel"),
    ]  # fmt: skip


def _prompts() -> list[Command]:
    """The small dialogs of tui/app/dialogs/prompts.py: a yes/no, a line of text, a colour."""
    return [
        Command("confirm-yes", "y,enter", "answer(True)", "Yes", "yes: do what it asks",
                "confirm", hint="yes"),
        Command("confirm-no", "n,escape", "answer(False)", "No", "no: leave things as they are",
                "confirm", hint="no"),
        _help_key("confirm"),
        # enter saves: the field's own key (it submits).
        _help_key("text-prompt", "f1"),
        Command("prompt-cancel", "escape", "cancel", "Cancel", "close, change nothing",
                "text-prompt", hint="cancel"),
        # enter chooses: the list's own key.
        _help_key("colour-chooser"),
        Command("color-cancel", "escape", "cancel", "Cancel", "close, change nothing",
                "colour-chooser", hint="cancel"),
    ]  # fmt: skip


def _dialogs() -> list[Command]:
    return [*_note_editor(), *_export(), *_article_picker(), *_article_details(), *_prompts()]


def _analysis() -> list[Command]:
    c = partial(Command, where="analysis")

    return [
        c("analysis-close", "escape", "close", "Close", "back to the reader"),
        c("analysis-bars", "f", "view('frequencies')", "Bars", "view: code frequencies as bars",
          hint="view"),
        c("analysis-matrix", "m", "view('matrix')", "Matrix", "view: codes by article",
          hint="view"),
        c("analysis-co", "c", "view('cooccurrence')", "Together",
          "view: codes together (co-occurrence)", hint="view"),
        # enter is also the chart's and the table's own key; this entry is its `?` row, and
        # the command a user's keymap moves (the screen's hint line names it by hand).
        c("analysis-passages", "enter", "passages", "Passages",
          "the passages behind the figure under the cursor"),
        c("analysis-group", "g", "group", "Group", "group by article, coder or attribute",
          hint="group"),
        c("analysis-unit", "u", "unit", "Unit", "count by passage, sentence or paragraph",
          hint="unit"),
        c("analysis-roll-up", "r", "roll_up", "Roll up",
          "co-occurrence: codes count for their parents too, or only as tagged"),
        c("analysis-sort", "s", "sort", "Sort", "sort by the column under the cursor",
          hint="sort"),
        c("analysis-filter", "slash", "filter", "Filter", f"filter: {FILTER_HELP}",
          hint="filter"),
        _help_key("analysis", hint=""),  # the hint line is full at 80 columns
    ]  # fmt: skip


def _compare() -> list[Command]:
    c = partial(Command, where="compare")

    return [
        c("compare-next", "full_stop,greater_than_sign", "step(1)", "Next", "next difference",
          key_display="."),
        c("compare-prev", "comma,less_than_sign", "step(-1)", "Prev", "previous difference",
          key_display=","),
        c("keep-a", "1", "settle('A')", "Keep A", "consensus keeps A's coding"),
        c("keep-b", "2", "settle('B')", "Keep B", "consensus keeps B's coding"),
        c("keep-both", "3", "settle('both')", "Both", "consensus keeps both"),
        c("keep-neither", "0", "settle('neither')", "Neither", "consensus keeps neither"),
        c("compare-undo", "u", "undo", "Undo", "take the last decision back"),
        c("compare-switch", "tab", "switch_pane", "Other pane", "the other coder's pane",
          footer=False),
        c("compare-close", "escape,C", "close", "Done", "back to the reader"),
        _help_key("compare"),
    ]  # fmt: skip


def _coders() -> list[Command]:
    c = partial(Command, where="coders")

    return [
        c("coders-compare", "enter", "compare", "Compare", "compare the two marked coders",
          priority=True, hint="compare"),
        _help_key("coders"),
        c("coders-close", "escape", "close", "Close", "back to the reader", hint="close"),
    ]  # fmt: skip


def _corpus_search() -> list[Command]:
    c = partial(Command, where="corpus-search")

    # Not priority bindings, so keys typed into the query stay in their order (OrderedInput).
    return [
        c("corpus-search-close", "escape", "close", "Close", "back to the reader",
          hint="close"),
        c("corpus-search-down", "down", "move(1)", "Down", "move", footer=False),
        c("corpus-search-up", "up", "move(-1)", "Up", "move", footer=False),
        c("corpus-search-page-down", "pagedown", "page(1)", "Page down", "page down",
          footer=False),
        c("corpus-search-page-up", "pageup", "page(-1)", "Page up", "page up", footer=False),
        c("corpus-search-open", "enter", "open", "Open", "open the article at the hit",
          hint="open"),
        c("corpus-search-focus", "tab", "toggle_focus", "Query/hits",
          "move between the query and the hits (space marks a hit there)",
          hint="hits / query"),
        Command("search-hit-mark", "space", "mark", "Mark",
                "mark or unmark this hit to code, and move to the next",
                "corpus-search-hits", hint="mark"),
        c("corpus-search-code", "ctrl+t", "code_hits", "Code hits",
          "tag the marked hits, else every hit, in one undoable change", hint="code hits"),
        c("corpus-search-regex", "ctrl+r", "toggle_regex", "Words/regex",
          "search words (any case, ' finds ’) or a regular expression", hint="words / regex"),
        c("corpus-search-unit", "ctrl+o", "next_unit", "Code as",
          "code each hit's words, its sentence or its paragraph (hits in one make one)",
          hint="code as"),
        _help_key("corpus-search", "f1"),
    ]  # fmt: skip


def _screens() -> list[Command]:
    return [*_annotations(), *_tag_picker(), *_memo_list(), *_analysis(), *_compare(),
            *_coders(), *_corpus_search(), *_dialogs()]  # fmt: skip


COMMANDS: tuple[Command, ...] = (
    *_pane(), *_reader(), *_codebook(), *_help(), *_app(), *_screens()
)  # fmt: skip
"""Every command, each place's in its binding order (the order `?` lists them)."""


PALETTE_FIRST: tuple[str, ...] = (
    "help", "open-article", "search", "zoom", "annotations", "select", "tag", "note", "delete",
    "next-pane", "report", "codebook", "export", "focus-tag", "article-details", "undo", "redo",
)  # fmt: skip
"""The order of the palette's commands (an equal fuzzy score goes to the earlier one: "annot"
finds the annotations list before "Delete annotation"); commands not named here follow in
table order."""


def palette_commands(places: set[Where]) -> list[Command]:
    """The commands of these places that the palette offers, in palette order."""
    found = [entry for entry in COMMANDS if entry.palette is not None and entry.where in places]
    rank = {command_id: index for index, command_id in enumerate(PALETTE_FIRST)}
    return sorted(found, key=lambda entry: rank.get(entry.id, len(rank)))


def commands_for(where: Where) -> list[Command]:
    """The commands of one screen or widget, in table order."""
    return [command for command in COMMANDS if command.where == where]


def find(command_id: str) -> Command | None:
    """The command with this id, or None."""
    return _BY_ID.get(command_id)


def command(command_id: str) -> Command:
    """The command with this id (KeyError if there is none)."""
    return _BY_ID[command_id]


def keys_of(command_id: str) -> list[str]:
    """The command's keys, as Textual names them."""
    return [key.strip() for key in command(command_id).keys.split(",")]


_BY_ID = {command.id: command for command in COMMANDS}
if len(_BY_ID) != len(COMMANDS):  # a keymap names commands by id: each must be unique
    raise RuntimeError("two commands share an id in tui.app.model.key_table")
