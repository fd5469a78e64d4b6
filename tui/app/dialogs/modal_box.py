"""The look every dialog of the reader shares: a rounded box centred on the dimmed reader.

Screens differ only in how big the box may be and in what is inside it, so each states its
size and its own rules and gets the frame from here.
"""

from __future__ import annotations

MAX_HEIGHT_SHARE = 0.9
"""How much of the screen's height a dialog's box may take by default."""


def modal_box_css(
    screen: str,
    *,
    width: str,
    height: str = "auto",
    max_width: str = "100%",
    max_height: str = f"{MAX_HEIGHT_SHARE:.0%}",
    container: str = "Vertical",
    extra: str = "",
) -> str:
    """DEFAULT_CSS for `screen`: the box frame of the given size, then `extra` rules."""
    return f"""
    {screen} {{
        align: center middle;
        & > {container} {{
            width: {width};
            max-width: {max_width};
            height: {height};
            max-height: {max_height};
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }}
{extra}
    }}
    """
