"""Highlight colours per tag that stay distinct in 16-colour terminals and without colour.

A tag's own colour (from the codebook) wins; a tag without one gets a colour from the sixteen
ANSI colours by a stable hash of its name, so it keeps its colour across runs and machines.
"""

from __future__ import annotations

import zlib

from rich.color import Color, ColorParseError
from rich.style import Style

from tui.store.model import Tag, rich_color

# Background, foreground: the ANSI names survive TERM=screen and are mapped to the theme's
# own shades when the terminal has true colour.
FALLBACK_STYLES: tuple[tuple[str, str], ...] = (
    ("yellow", "black"),
    ("cyan", "black"),
    ("green", "black"),
    ("magenta", "bright_white"),
    ("blue", "bright_white"),
    ("red", "bright_white"),
    ("bright_yellow", "black"),
    ("bright_cyan", "black"),
    ("bright_green", "black"),
    ("bright_magenta", "black"),
    ("bright_blue", "black"),
    ("bright_red", "black"),
)


def palette_entry(name: str) -> tuple[str, str]:
    return FALLBACK_STYLES[zlib.crc32(name.encode("utf-8")) % len(FALLBACK_STYLES)]


def _contrast(color: Color) -> str:
    red, green, blue = color.get_truecolor()
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "black" if luminance > 140 else "bright_white"


def tag_style(name: str, tag: Tag | None, *, no_color: bool = False) -> Style:
    """The style of text highlighted with the tag `name` (described by `tag`, if known)."""
    if no_color:
        return Style(underline=True)
    if tag is not None and tag.color:
        try:
            background = rich_color(tag.color)
        except ColorParseError:
            pass
        else:
            return Style(bgcolor=background, color=_contrast(background))
    background_name, foreground = palette_entry(name)
    return Style(bgcolor=background_name, color=foreground)
