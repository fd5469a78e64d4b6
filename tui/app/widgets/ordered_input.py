"""An Input that handles every key in the order it arrived.

Textual inserts a printable key in the Input's own message queue, but runs a bound key
(backspace, enter, a screen's tab) only once the key has bubbled back up to the App. When keys
arrive in a burst, as they do over a laggy SSH link or from a terminal paste of keystrokes,
"backspace x5, N, A, T, O, enter" therefore inserts NATO first, deletes afterwards, and
submits a stale value. This Input resolves a bound key right where it arrives, through the same
binding chain the App would use, so the keys take effect in the order they were typed.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            await super()._on_key(event)
            return
        # The chain App._check_bindings walks for non-priority keys (Textual 8.2): the focused
        # widget up to the modal screen, then the App. Private, hence the pinned Textual range.
        for namespace, bindings in self.screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # already run by the App before the key reached us
                if await self.app.run_action(binding.action, namespace):
                    event.stop()
                    event.prevent_default()
                    return
