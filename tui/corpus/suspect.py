"""Foreign-script text inside a paragraph that is not mojibake: kept, but flagged.

Runs here come after the encoding repair, so what is left is real text in another script:
a quotation, a name, or something injected into the page (seed 001 has `浪花直播` in an
English sentence). The reader decides; the report says where.
"""

from __future__ import annotations

import re
import unicodedata

from tui.corpus.model import Change

STAGE = "suspect"

# Letters outside the Latin blocks (basic, Latin-1, extended A/B, IPA, combining, extended
# additional), with spaces allowed between them so a phrase stays one run.
_NON_LATIN = r"(?:(?![\u0000-\u036f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff])[^\W\d_])"
_FOREIGN_RUN = re.compile(f"{_NON_LATIN}+(?:[ \u3000]+{_NON_LATIN}+)*")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0] if name else "unknown"
    return script if script == "CJK" else script.capitalize()


def flag_suspects(text: str) -> list[Change]:
    """Runs of another script inside Latin-script text."""
    if text.isascii():
        return []
    runs = list(_FOREIGN_RUN.finditer(text))
    if not runs:
        return []
    foreign = sum(len(match.group()) for match in runs)
    if len(_LATIN_LETTER.findall(text)) <= foreign:
        return []  # the paragraph is mostly in that script: nothing is inserted into it
    return [
        Change(
            stage=STAGE,
            kind="suspect",
            before=match.group(),
            after=match.group(),
            confidence=0.7,
            start=match.start(),
            end=match.end(),
            detail=f"{_script(match.group()[0])} text inside Latin-script text",
        )
        for match in runs
    ]
