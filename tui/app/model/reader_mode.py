"""The reader screen's mode: what the reader is doing now, and which keys the footer shows.

One value (`ReaderScreen.mode`, a Textual reactive with `bindings=True`) replaces flags kept
by hand: when it changes, the footer is recomposed; when it does not, it is not (a layout pass
per key would cost). The footer's rules are data on the commands (`footer_needs`,
`footer_hides_in` in the command table), read here, so no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.app.model.key_table import find

SELECTING = "selecting"
FOCUSED = "focused"
SEARCHING = "searching"
READING = "reading"


@dataclass(frozen=True, slots=True)
class ReaderMode:
    selecting: bool = False
    """A selection is open in the focused pane."""
    searching: bool = False
    """The focused pane marks search matches."""
    focused: bool = False
    """A tag is focused (`f`)."""
    reanchoring: bool = False
    """An annotation waits for its passage to be chosen by hand."""
    on_annotation: bool = False
    """An annotation is under the cursor (`x` has something to delete)."""
    pane_has_focus: bool = True

    @property
    def primary(self) -> str:
        """The mode whose keys the footer makes room for: selecting, else focused, else
        searching, else reading."""
        if self.selecting:
            return SELECTING
        if self.focused:
            return FOCUSED
        if self.searching:
            return SEARCHING
        return READING

    def states(self) -> frozenset[str]:
        """Every state on now (a key may need one: `n` needs searching)."""
        on = {SELECTING: self.selecting, FOCUSED: self.focused, SEARCHING: self.searching}
        return frozenset(name for name, yes in on.items() if yes)

    def footer_shows(self, command_id: str | None) -> bool:
        """Whether the footer shows this command now. The hidden keys still work and are
        listed by `?`: only the footer makes room for the mode's own keys."""
        command = find(command_id) if command_id else None
        if command is None:
            return True
        if command.footer_needs and command.footer_needs not in self.states():
            return False  # it would only explain itself ("n: next match" with none)
        return self.primary not in command.footer_hides_in

    @property
    def can_cancel(self) -> bool:
        """esc has a mode to end (the pane's own esc drops a selection)."""
        return self.focused or self.reanchoring or self.searching
