"""Keys typed ahead of a screen that is opening or closing reach the right screen, in order.

Over SSH a burst such as `t N A T O enter` arrives in one read. Textual forwards each key to
the focused widget at once, so N A T O and enter all go to the article pane, bubble back to
the App after `t` has opened the tag picker, and meet the picker's bindings instead of its
text field: the letters are lost and enter applies an empty filter. This App remembers the
screen each key was forwarded on; a key that comes back unhandled after the screen changed
is typed again into the screen now on top, once that screen has given a widget focus, and
keys arriving in the meantime wait behind it.

The other way round, `esc j j` in one read would send the j's to the dialog that esc is
closing: they are queued at its text field before esc has bubbled up to the binding that
closes it. So on a dialog each key is held until the one before it has been handled (a
callback queued behind it follows it up the widget tree), and until what handling it posted
has run (enter in a text field closes a dialog through the Input.Submitted it posts), then
goes to whatever screen is on top by then. The reader's own screen is not held: its keys
never close a screen, and cursor moves stay as fast as Textual delivers them.

Keys typed again go one at a time, each after the one before is through, so that a key read
from the terminal meanwhile queues behind them instead of overtaking them.

Esc then a letter within Textual's escape delay (tmux's escape-time, or one SSH packet)
reaches the app as the two bytes of Alt+letter. The reader binds no Alt+letter, so such a
key is taken for what a keyboard user meant: esc, then the letter.
"""

from __future__ import annotations

from collections import deque

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

TRACKED_KEYS = 64
"""Keys remembered with their screen: far more than one burst."""
FOCUS_WAITS = 10
"""Refreshes to wait for the new screen to focus a widget before typing into it anyway."""
HOLD_LIMIT = 0.5
"""Seconds a dialog's key may take (a widget closing under it never answers) before the keys
behind it go on anyway."""


class TypeAheadApp(App[None]):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._forwarded_on: deque[tuple[events.Key, Screen[object]]] = deque(maxlen=TRACKED_KEYS)
        self._returned: deque[events.Key] = deque()
        """Keys back unhandled from a screen no longer on top: typed again first."""
        self._held: deque[events.Key] = deque()
        """Keys that arrived while earlier ones were still on their way: typed again next."""
        self._in_flight: events.Key | None = None
        """A key sent to a dialog and not handled yet: the keys after it wait."""
        self._replaying: events.Key | None = None
        """The one key typed again and not yet back through on_event."""
        self._replay_pending = False
        self._focus_waits = 0

    def _busy(self) -> bool:
        """Whether a key is on its way: sent to a dialog, typed again, or about to be."""
        return self._in_flight is not None or self._replaying is not None or self._replay_pending

    def _waiting(self) -> bool:
        """Whether a new key must queue behind others to keep the order it was typed in."""
        return self._busy() or bool(self._returned or self._held)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if not self.screen_stack:  # shutting down: no screen to take it
            return
        if not event.is_forwarded and (pair := _escape_then_key(event)) is not None:
            for key in pair:
                await self.on_event(key)
            return
        came_back = event.is_forwarded
        target: DOMNode = self.focused or self.screen
        if not came_back:
            if event is self._replaying:
                self._replaying = None  # its turn
            elif self._waiting():
                self._held.append(event)
                return
            self._forwarded_on.append((event, self.screen))
            if self.screen.is_modal:
                self._in_flight = event
                self.set_timer(HOLD_LIMIT, lambda: self._handled(event))
        elif self._screen_changed_under(event):
            if event is self._in_flight:
                self._in_flight = None
            self._returned.append(events.Key(event.key, event.character))
            self._schedule_replay()
            return
        await super().on_event(event)
        if event is self._in_flight:
            if came_back or not event.is_forwarded:
                self._handled(event)  # by a binding: the App's own, or a priority one
            elif not target.call_later(self._follow, event, target):
                self._handled(event)
        elif not came_back:
            self._schedule_replay()  # not held: the next waiting key may follow it at once

    def _follow(self, key: events.Key, node: DOMNode) -> None:
        """Runs behind `key` in `node`'s queue: the key was handled, or has moved on up."""
        if key is not self._in_flight:
            return
        parent = node.parent
        if key._stop_propagation or not key.bubble or parent is None:
            # Handled here; but what handling it posted (enter in a text field posts
            # Input.Submitted, and the dialog closes only on that) is queued behind us.
            if not node.call_later(self._settle, key, node):
                self._handled(key)
        elif parent is self:
            pass  # the key is in the App's queue: on_event sees it come back and ends its flight
        elif not parent.call_later(self._follow, key, parent):
            self._handled(key)

    def _settle(self, key: events.Key, node: DOMNode) -> None:
        """Runs behind what handling `key` posted at `node`, then at each node above it up to
        the screen, as those messages bubble: by then the dialog has acted on the key."""
        if key is not self._in_flight:
            return
        parent = node.parent
        at_top = isinstance(node, Screen) or parent is None or parent is self
        if at_top or parent is None or not parent.call_later(self._settle, key, parent):
            self._handled(key)

    def _handled(self, key: events.Key) -> None:
        if key is self._in_flight:
            self._in_flight = None
            self._schedule_replay()

    def _screen_changed_under(self, key: events.Key) -> bool:
        """Whether `key`, back unhandled, was forwarded on a screen no longer on top."""
        for forwarded, screen in self._forwarded_on:
            if forwarded is key:
                return screen is not self.screen
        return False

    def _schedule_replay(self) -> None:
        if self._busy() or not (self._returned or self._held):
            return
        self._replay_pending = True
        self._focus_waits = 0
        self._type_again()

    def _type_again(self) -> None:
        """Post the next waiting key, once the screen on top has focused a widget; one at a
        time, so keys arriving meanwhile queue behind it instead of overtaking it."""
        if not self.screen_stack:
            self._returned.clear()
            self._held.clear()
            self._replay_pending = False
            return
        if self.screen.focused is None and self._focus_waits < FOCUS_WAITS:
            self._focus_waits += 1
            self.call_after_refresh(self._type_again)
            return
        self._replay_pending = False
        if not (self._returned or self._held):
            return
        key = self._returned.popleft() if self._returned else self._held.popleft()
        self._replaying = key
        if not self.post_message(key):  # the App is closing
            self._replaying = None


def _escape_then_key(key: events.Key) -> tuple[events.Key, events.Key] | None:
    """Alt+`c` for a printable `c` (the bytes ESC c) as esc and `c`; None for other keys."""
    char = key.character
    if not key.key.startswith("alt+") or char is None or len(char) != 1:
        return None
    if not char.isprintable():
        return None  # alt+backspace and the like: real editing keys of text fields
    name = key.key.removeprefix("alt+")
    if name.startswith("shift+") and char.isupper():
        name = char  # Textual names a capital typed alone by the letter itself
    return events.Key("escape", "\x1b"), events.Key(name, char)
