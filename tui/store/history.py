"""One session's undo and redo: each user action as the records it changed, before and after.

Kept as records rather than as inverse operations so that replaying needs no knowledge of
what the action was, and so that a record someone else changed since is noticed (it no
longer equals the side we expect) and left alone instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.store.errors import StoreWriteError
from tui.wording import counted

Doc = dict[str, Any]
UNDO_DEPTH = 500


@dataclass(frozen=True, slots=True)
class Edit:
    """One record's change inside a user action: its document before and after."""

    table: str
    doc_id: str
    before: Doc | None
    after: Doc | None


@dataclass(frozen=True, slots=True)
class Action:
    description: str
    edits: tuple[Edit, ...]


# Applies one side of an action under the store's lock; returns how many records it skipped.
Replay = Callable[[Action, bool], int]


class History:
    """The undo and redo stacks of one session, at most `depth` actions deep."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self._depth = depth
        self._undo: list[Action] = []
        self._redo: list[Action] = []

    def record(self, description: str, edits: list[Edit]) -> None:
        """A new action (if it changed anything): undoable, and the end of what redo offers."""
        if edits:
            self._undo.append(Action(description, tuple(edits)))
            del self._undo[: -self._depth]
            self._redo.clear()

    def undo(self, replay: Replay) -> str | None:
        """Revert the last action through `replay`; what was undone, or None if nothing."""
        if not self._undo:
            return None
        return self._step(self._undo, self._redo, replay, forward=False)

    def redo(self, replay: Replay) -> str | None:
        """Apply again the action last undone; None if there is none."""
        if not self._redo:
            return None
        return self._step(self._redo, self._undo, replay, forward=True)

    def _step(
        self, source: list[Action], target: list[Action], replay: Replay, *, forward: bool
    ) -> str:
        """Move an action from one stack to the other once it is applied (in memory at least)."""
        action = source.pop()
        try:
            skipped = replay(action, forward)
        except StoreWriteError:
            target.append(action)  # applied in memory, written later
            raise
        except BaseException:
            source.append(action)
            raise
        target.append(action)
        message = f"{'redid' if forward else 'undid'}: {action.description}"
        if skipped:
            message += f" (left alone: {counted(skipped, 'record')} someone else changed or uses)"
        return message


def replay_edits(
    action: Action,
    *,
    forward: bool,
    current: Callable[[str, str], Doc | None],
    put: Callable[[str, str, Doc | None], None],
    in_use: Callable[[str, str, Doc | None], bool],
) -> int:
    """Apply one side of `action`, record by record, leaving alone each record that is no
    longer as the action left it (`current`) or that `in_use` says must stay; the count of
    those left alone."""
    skipped = 0
    edits = action.edits if forward else tuple(reversed(action.edits))
    for edit in edits:
        expected, wanted = (edit.before, edit.after) if forward else (edit.after, edit.before)
        if current(edit.table, edit.doc_id) != expected or in_use(edit.table, edit.doc_id, wanted):
            skipped += 1
            continue
        put(edit.table, edit.doc_id, wanted)
    return skipped


def short(text: str, width: int = 40) -> str:
    """A passage as an action's description quotes it: one line, at most `width` long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
