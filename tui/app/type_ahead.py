"""Keys typed ahead of a screen that is still opening reach it, in order.

Over SSH a burst such as `t N A T O enter` arrives in one read. Textual forwards each key to
the focused widget at once, so N A T O and enter all go to the article pane, bubble back to
the App after `t` has opened the tag picker, and meet the picker's bindings instead of its
text field: the letters are lost and enter applies an empty filter. This App remembers the
screen each key was forwarded on; a key that comes back unhandled after the screen changed
is typed again into the screen now on top, once that screen has given a widget focus, and
keys arriving in the meantime wait behind it.
"""

from __future__ import annotations

from collections import deque

from textual import events
from textual.app import App
from textual.screen import Screen

TRACKED_KEYS = 64
"""Keys remembered with their screen: far more than one burst."""
FOCUS_WAITS = 10
"""Refreshes to wait for the new screen to focus a widget before typing into it anyway."""


class TypeAheadApp(App[None]):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._forwarded_on: deque[tuple[events.Key, Screen[object]]] = deque(maxlen=TRACKED_KEYS)
        self._typed_ahead: list[events.Key] = []
        self._focus_waits = 0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self.screen_stack:  # shutting down: no screen to take it
                return
            if not event.is_forwarded:
                if self._typed_ahead:  # keys are being typed again: this one waits its turn
                    self._typed_ahead.append(event)
                    return
                self._forwarded_on.append((event, self.screen))
            elif self._screen_changed_under(event):
                self._typed_ahead.append(events.Key(event.key, event.character))
                if len(self._typed_ahead) == 1:
                    self._focus_waits = 0
                    self.call_after_refresh(self._type_again)
                return
        await super().on_event(event)

    def _screen_changed_under(self, key: events.Key) -> bool:
        """Whether `key`, back unhandled, was forwarded on a screen no longer on top."""
        for forwarded, screen in self._forwarded_on:
            if forwarded is key:
                return screen is not self.screen
        return False

    def _type_again(self) -> None:
        if not self.screen_stack:
            self._typed_ahead = []
            return
        if self.screen.focused is None and self._focus_waits < FOCUS_WAITS:
            self._focus_waits += 1
            self.call_after_refresh(self._type_again)
            return
        keys, self._typed_ahead = self._typed_ahead, []
        for key in keys:
            self.post_message(key)
