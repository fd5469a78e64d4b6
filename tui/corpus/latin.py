"""Latin-family mojibake (UTF-8 read as windows-1252, latin-1, macroman, ...) through ftfy.

ftfy is the reference repairer but costs about 0.5 s per MB, so it only sees paragraphs its own
detector (`ftfy.badness.is_bad`, the gate ftfy applies before any repair) finds suspicious.
Curly quotes and full-width characters are content in news text: ftfy must keep them.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad
from ftfy.fixes import fix_latin_ligatures

from tui.corpus.edits import diff_spans, remap
from tui.corpus.model import Change

STAGE = "latin"

# Mojibake of UTF-8 in a single-byte code page puts a lead-byte character (a Latin-1 or
# Latin Extended letter, Greek or Cyrillic in their code pages, cp437 box drawing, macroman's
# ‚ and √) right before a continuation-byte character (Latin-1 signs, cp1252's € ‚ ƒ „ … ’ “
# ” • – — ™, C1 controls, more letters), or leaves `Ã` before a space where a byte A0 was.
# Clean text, curly quotes, accented names and all, rarely has such a pair, so ftfy's own
# detector (`is_bad`, which it runs on every line) only sees lines that could hold mojibake.
_POSSIBLE = re.compile(
    "[\u00c0-\u02ff\u0370-\u04ff\u2500-\u25ff\u201a\u221a\u2248\u2206\u00ac\u0192]"
    "[\u0080-\u02ff\u0370-\u04ff\u2000-\u2122\u2200-\u22ff\u2500-\u25ff\ufffd]"
    "|\u00c3 "
)

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,  # done at ingest
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def repair_latin(line: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Repair one paragraph; earlier changes are moved to the repaired text's offsets."""
    if line.isascii() or not _POSSIBLE.search(line) or not is_bad(line):
        return line, changes
    fixed = ftfy.fix_text(line, FTFY_CONFIG)
    if fixed == line:
        return line, changes
    moved = remap(changes, line, fixed)
    for old_start, old_end, new_start, new_end in diff_spans(line, fixed):
        moved.append(
            Change(
                stage=STAGE,
                kind="mojibake",
                before=line[old_start:old_end],
                after=fixed[new_start:new_end],
                confidence=0.9,
                start=new_start,
                end=new_end,
                detail="Latin-family mojibake (ftfy)",
            )
        )
    return fixed, moved


_LIGATURE = re.compile("[\ufb00-\ufb06\u0149\u01c4-\u01cc\u01f1-\u01f3]")


def undo_ligatures(line: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Typographic ligatures (ﬁ, ﬂ, ǌ, ŉ) as their letters, so words and search see them."""
    if line.isascii() or not _LIGATURE.search(line):
        return line, changes
    out: list[str] = []
    found: list[Change] = []
    position = length = 0
    for match in _LIGATURE.finditer(line):
        letters = fix_latin_ligatures(match.group())
        out.append(line[position : match.start()])
        length += match.start() - position
        found.append(
            Change(
                STAGE,
                "ligature",
                match.group(),
                letters,
                1.0,
                length,
                length + len(letters),
                "ligature written out as its letters",
            )
        )
        out.append(letters)
        length += len(letters)
        position = match.end()
    out.append(line[position:])
    fixed = "".join(out)
    return fixed, [*remap(changes, line, fixed), *found]
