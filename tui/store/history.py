"""One session's undo and redo: each user action as the records it changed, before and after.

Kept as records rather than as inverse operations so that replaying needs no knowledge of
what the action was, and so that a record someone else changed since is noticed (it no
longer equals the side we expect) and left alone instead of overwritten. Every action also
writes a change mark (who, what) beside its records, so an undo can say whose change it left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.store.errors import StoreWriteError
from tui.store.model import utc_now
from tui.store.schema import ANNOTATIONS_TABLE, ARTICLES_TABLE, META_TABLE, TAGS_TABLE
from tui.wording import counted, one_line

if TYPE_CHECKING:
    from tui.store.records import Records  # which imports this module's Edit

Doc = dict[str, Any]
UNDO_DEPTH = 500
# The `_meta` record each user's last action writes with its records: one per user, so two
# users never write the same one, and sessions reading the journal learn who changed what.
CHANGE_MARK_PREFIX = "change_by:"
MARK_TEXT_LIMIT = 120


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


@dataclass(frozen=True, slots=True)
class Left:
    """A record an undo or redo left alone, and why: someone changed it since (`by`, `what`
    when known), or (`in_use`) a tag it would remove is still on annotations."""

    edit: Edit
    by: str = ""
    what: str = ""
    in_use: bool = False

    def reason(self) -> str:
        if self.in_use:
            return "kept: annotations still carry it"
        if self.by:
            return f"changed since by {self.by}: {self.what}"
        return "changed since in another session"


# Applies one side of an action under the store's lock; returns the records it left alone.
Replay = Callable[[Action, bool], list[Left]]


def change_mark(user: str, description: str) -> tuple[str, Doc]:
    """The `_meta` id and record an action writes beside its records (`CHANGE_MARK_PREFIX`)."""
    mark = {"by": user, "what": one_line(description, MARK_TEXT_LIMIT), "at": utc_now()}
    return CHANGE_MARK_PREFIX + user, mark


def read_change_mark(doc_id: str, doc: Doc | None) -> tuple[str, str] | None:
    """(who, what) from a change mark as stored (any file may hold anything), else None."""
    if not doc_id.startswith(CHANGE_MARK_PREFIX) or not isinstance(doc, dict):
        return None
    by, what = doc.get("by"), doc.get("what")
    if not isinstance(by, str) or not isinstance(what, str):
        return None
    return one_line(by, 40), one_line(what, MARK_TEXT_LIMIT)


def is_change_mark(edit: Edit) -> bool:
    return edit.table == META_TABLE and edit.doc_id.startswith(CHANGE_MARK_PREFIX)


class History:
    """The undo and redo stacks of one session, at most `depth` actions deep."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self._depth = depth
        self._undo: list[Action] = []
        self._redo: list[Action] = []

    def record(self, description: str, edits: list[Edit]) -> None:
        """A new action (if it changed anything): undoable, and the end of what redo offers."""
        edits = [edit for edit in edits if not is_change_mark(edit)]
        if edits:
            self._undo.append(Action(description, tuple(edits)))
            del self._undo[: -self._depth]
            self._redo.clear()

    def last(self) -> Action | None:
        """The action `undo` would revert now (the same object for as long as it is there)."""
        return self._undo[-1] if self._undo else None

    def undo(self, replay: Replay) -> str | None:
        """Revert the last action through `replay`; what was undone and what was left (and
        why), or None if there was nothing to undo."""
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
        """Move an action from one stack to the other once it is applied (in memory at least);
        an action of which nothing could be applied leaves both stacks."""
        action = source.pop()
        try:
            left = replay(action, forward)
        except StoreWriteError:
            target.append(action)  # applied in memory, written later
            raise
        except BaseException:
            source.append(action)
            raise
        verb = "redid" if forward else "undid"
        if not left:
            target.append(action)
            return f"{verb}: {action.description}"
        if len(left) < len(action.edits):
            target.append(action)
            return f"{verb}: {action.description}; left: {what_was_left(left)}"
        return f"{verb} nothing of: {action.description}; left: {what_was_left(left)}"


def what_was_left(left: list[Left]) -> str:
    """The records left alone, grouped by why: `1 annotation and tag 'X' (changed since by
    bob: rename 'X' to 'Y')`."""
    by_reason: dict[str, list[Edit]] = {}
    for item in left:
        by_reason.setdefault(item.reason(), []).append(item.edit)
    return "; ".join(f"{records_named(edits)} ({reason})" for reason, edits in by_reason.items())


def records_named(edits: list[Edit]) -> str:
    """Records as a reader knows them: annotations counted, tags and articles named."""
    annotations = sum(edit.table == ANNOTATIONS_TABLE for edit in edits)
    parts = [counted(annotations, "annotation")] if annotations else []
    parts += [f"tag {one_line(e.doc_id, 40)!r}" for e in edits if e.table == TAGS_TABLE]
    parts += [
        f"the details of {one_line(e.doc_id, 40)!r}" for e in edits if e.table == ARTICLES_TABLE
    ]
    others = len(edits) - annotations - sum(e.table in (TAGS_TABLE, ARTICLES_TABLE) for e in edits)
    parts += [counted(others, "other record")] if others else []
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def replay_edits(action: Action, records: Records, user: str, *, forward: bool) -> list[Left]:
    """Apply one side of `action` under the lock, record by record, leaving alone each record
    that is no longer as the action left it (named with who changed it, when this session
    saw the change come in) and each tag that annotations still carry; those left alone.
    What it applied is marked as `user`'s undo or redo of the action."""
    at = records.at
    left: list[Left] = []
    edits = action.edits if forward else tuple(reversed(action.edits))
    for edit in edits:
        expected, wanted = (edit.before, edit.after) if forward else (edit.after, edit.before)
        if records.raw(edit.table, edit.doc_id) != expected:
            by, what = at.changed_by.get((edit.table, edit.doc_id), ("", ""))
            left.append(Left(edit, by, what))
        elif edit.table == TAGS_TABLE and wanted is None and at.tag_counts.get(edit.doc_id):
            # Undoing the add that made this tag while another annotation (another
            # session's, since) carries it: the tag stays, colour and key with it.
            left.append(Left(edit, in_use=True))
        else:
            records.set(edit.table, edit.doc_id, wanted)
    if len(left) < len(action.edits):
        what = f"{'redo' if forward else 'undo'} of {action.description}"
        records.set(META_TABLE, *change_mark(user, what))
    return left


def short(text: str, width: int = 40) -> str:
    """A passage as an action's description quotes it: one line, at most `width` long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
