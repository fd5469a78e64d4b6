"""Tag colours between the terminal and other tools.

Tags are coloured by the 16 ANSI colour names (`ansi_bright_red`), so that every terminal
theme, and every Textual theme, maps them to colours it keeps distinct. Files for other tools
(REFI-QDA) need #RRGGBB: these are the values of a common terminal palette (VS Code's, also
used by many terminal themes), one per name, so a colour survives the trip out and back.
"""

from __future__ import annotations

import re

ANSI_HEX: dict[str, str] = {
    "ansi_black": "#000000",
    "ansi_red": "#CD3131",
    "ansi_green": "#0DBC79",
    "ansi_yellow": "#E5E510",
    "ansi_blue": "#2472C8",
    "ansi_magenta": "#BC3FBC",
    "ansi_cyan": "#11A8CD",
    "ansi_white": "#E5E5E5",
    "ansi_bright_black": "#666666",
    "ansi_bright_red": "#F14C4C",
    "ansi_bright_green": "#23D18B",
    "ansi_bright_yellow": "#F5F543",
    "ansi_bright_blue": "#3B8EEA",
    "ansi_bright_magenta": "#D670D6",
    "ansi_bright_cyan": "#29B8DB",
    "ansi_bright_white": "#FFFFFF",
}
_HEX_ANSI = {value: name for name, value in ANSI_HEX.items()}
_HEX = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def ansi_hex(color: str) -> str | None:
    """#RRGGBB for an ANSI colour name (with or without `ansi_`), or None if it is not one."""
    name = color.strip().lower()
    return ANSI_HEX.get(name if name.startswith("ansi_") else f"ansi_{name}")


def color_from_hex(value: str) -> str | None:
    """A stored colour for #RGB/#RRGGBB: our ANSI name when it is one of ours, else #rrggbb."""
    value = value.strip()
    if not _HEX.fullmatch(value):
        return None
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return _HEX_ANSI.get(value.upper(), value.lower())
