"""Ingest: raw bytes -> text with `\n` line endings and no control characters.

Everything later counts offsets in this text, so whatever a terminal could act on (ANSI escape
sequences, C0/C1 controls, DEL) is removed here, before any offset exists.

Decode changes that happen at a place carry offsets into the decoded text, which the pipeline
carries into the clean text like any other stage's: a stray byte read as windows-1252 or a
CESU-8 pair joined covers the character(s) it became; a removed byte-order mark is zero-width
at offset 0 (before the first character); a CRLF, CR or Unicode line break made LF is
zero-width where its line ends. Whole-document decisions (a guessed legacy encoding, UTF-16
without a BOM) have no single place and keep `start`/`end` None.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from tui.corpus.edits import shift
from tui.corpus.model import Change
from tui.errors import UserError

if TYPE_CHECKING:
    import charset_normalizer

STAGE_DECODE = "decode"
STAGE_CONTROLS = "controls"

MAX_BYTES = 16 * 1024 * 1024
_SNIFF = 64 * 1024
_BINARY_CONTROL_SHARE = 0.05

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that never occur in text (tab, newlines and form feed do).
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# ECMA-48 sequences: CSI, OSC/DCS/PM/APC/SOS strings (ended by BEL or ST) and two-character
# escapes, stripped whole so no parameter bytes are left behind as text. The 8-bit forms are
# left to the C1 rule: their bytes are also ordinary cp1252 mojibake bytes.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# C1 controls inside a mojibake sequence are bytes of the damaged characters (`â€\x9d` is ”,
# `â\x80\x94` is —, `Ĺ\x82` is ł in latin-2, `荳\x80` is 一 in cp932): they are left for the
# repair stages, and the
# pipeline strips what is left after it. Any other C1 control goes at once.
_LATIN_MOJIBAKE_LEAD = (
    "\u00a0-\u02ff\u0370-\u04ff\uff61-\uff9f\u4e00-\u9fff"
    "\u201a-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\x80-\x9f"
)
# Windows-1252 punctuation that arrives as C1 characters (a cp1252 page read as latin-1) is
# punctuation, repaired per paragraph (where its place can be reported); the ingest keeps it.
C1_PUNCTUATION = {
    "\x84": "„",
    "\x85": "…",
    "\x91": "‘",
    "\x92": "’",
    "\x93": "“",
    "\x94": "”",
    "\x95": "•",
    "\x96": "–",
    "\x97": "—",
}
_C1 = re.compile(f"(?<![{_LATIN_MOJIBAKE_LEAD}])[\x80-\x83\x86-\x90\x98-\x9f]")
C1_CONTROL = re.compile(r"[\x80-\x9f]")
C1_PUNCTUATION_CHAR = re.compile("[\x84\x85\x91-\x97]")
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029]")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise UserError(
            f"file is {size / 1024 / 1024:.1f} MiB; articles are limited to "
            f"{MAX_BYTES // 1024 // 1024} MiB"
        )


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:_SNIFF]
    return len(_BINARY_BYTES.findall(sample)) > _BINARY_CONTROL_SHARE * len(sample)


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a BOM looks binary (every other byte of Latin text is NUL)."""
    sample = raw[: _SNIFF - _SNIFF % 2]
    if len(raw) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    for encoding, zeros, letters in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * half and letters.count(0) <= 0.1 * half:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(raw: bytes) -> tuple[str, list[Change]]:
    """Bytes -> text. Never fails on text; raises UserError for empty or binary input.

    Changes with a place carry offsets into the returned text (see the module docstring)."""
    check_size(len(raw))
    if not raw.strip():
        raise UserError("empty file")
    changes: list[Change] = []
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                break
            changes.append(_decode_change("bom", f"{encoding} byte-order mark", "", 1.0, 0, 0))
            return _normalise_lines(text.removeprefix("\ufeff"), changes)
    if _looks_binary(raw):
        wide = _utf16_without_bom(raw)
        if wide is None:
            raise UserError("binary file (control bytes that text does not contain)")
        changes.append(_decode_change("encoding", "UTF-16 without a byte-order mark", "", 0.9))
        return _normalise_lines(wide, changes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = _decode_damaged(raw, error, changes)
    if text.startswith("\ufeff"):
        text = text[1:]
        changes = shift(changes, -1)
        changes.insert(0, _decode_change("bom", "UTF-8 byte-order mark", "", 1.0, 0, 0))
    return _normalise_lines(text, changes)


# A character outside the BMP written as two encoded surrogates (CESU-8, Java's "modified
# UTF-8"): each pair is one character.
_CESU_PAIR = re.compile(rb"\xed[\xa0-\xaf][\x80-\xbf]\xed[\xb0-\xbf][\x80-\xbf]")
_ESCAPED = re.compile("[\udc80-\udcff]+")


def _decode_damaged(raw: bytes, error: UnicodeDecodeError, changes: list[Change]) -> str:
    """Invalid UTF-8: UTF-8 with emoji as CESU-8 surrogate pairs or stray bytes, or a legacy
    single-byte encoding. Each repaired place is reported where it is."""
    plain = _CESU_PAIR.sub(b"", raw) if b"\xed" in raw else raw
    valid = len(_VALID_UTF8_MULTIBYTE.findall(plain))
    invalid = len(plain.decode("utf-8", errors="replace")) - len(
        plain.decode("utf-8", errors="ignore")
    )
    if valid + len(raw) - len(plain) >= invalid:
        return _repair_escapes(raw.decode("utf-8", errors="surrogateescape"), changes)
    best = _guess_encoding(raw)
    if best is not None and best.encoding:
        text = str(best)
        changes.append(
            _decode_change(
                "encoding",
                "not UTF-8",
                f"decoded as {best.encoding}",
                round(max(0.0, 1.0 - best.chaos), 2),
            )
        )
        return text
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") > _BINARY_CONTROL_SHARE * len(text):
        raise UserError("binary file (not text in UTF-8 or any encoding the detector knows)")
    changes.append(
        _decode_change("invalid-bytes", "not UTF-8, encoding unknown", "replaced with U+FFFD", 0.0)
    )
    return text


def _repair_escapes(escaped: str, changes: list[Change]) -> str:
    """Bytes the UTF-8 decoder escaped (surrogateescape): surrogate pairs joined, any other
    byte read as windows-1252 (the most common stray bytes in UTF-8 text)."""
    out: list[str] = []
    length = position = 0
    for match in _ESCAPED.finditer(escaped):
        out.append(escaped[position : match.start()])
        length += match.start() - position
        position = match.end()
        data = match.group().encode("utf-8", errors="surrogateescape")
        at = 0
        for pair in [*_CESU_PAIR.finditer(data), None]:
            stray = data[at : pair.start() if pair else len(data)]
            if stray:
                read = stray.decode("cp1252", errors="replace")
                changes.append(
                    _decode_change(
                        "invalid-bytes",
                        " ".join(f"{byte:02x}" for byte in stray),
                        read,
                        0.5,
                        length,
                        length + len(read),
                        "bytes that are not UTF-8, read as windows-1252",
                    )
                )
                out.append(read)
                length += len(read)
            if pair is None:
                break
            halves = pair.group().decode("utf-8", errors="surrogatepass")
            joined = halves.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le")
            changes.append(
                _decode_change(
                    "cesu-8",
                    " ".join(f"U+{ord(half):04X}" for half in halves),
                    joined,
                    1.0,
                    length,
                    length + 1,
                    "a character written as two encoded surrogates (CESU-8), joined",
                )
            )
            out.append(joined)
            length += 1
            at = pair.end()
    out.append(escaped[position:])
    return "".join(out)


def _guess_encoding(raw: bytes) -> charset_normalizer.CharsetMatch | None:
    """The detector's best guess; among equally good guesses, windows-1252 (the web's latin-1)."""
    import charset_normalizer  # only for bytes that are not UTF-8: ~20 ms to import

    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        same = match.chaos == best.chaos and match.coherence == best.coherence
        if same and match.encoding == "cp1252":
            return match
    return best


def _decode_change(
    kind: str,
    before: str,
    after: str,
    confidence: float,
    start: int | None = None,
    end: int | None = None,
    detail: str = "",
) -> Change:
    return Change(STAGE_DECODE, kind, before, after, confidence, start, end, detail)


_BREAK_NAMES = {"\r\n": "CRLF", "\r": "CR", "\u2028": "U+2028", "\u2029": "U+2029"}


def _normalise_lines(text: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Every line break becomes `\n`; each one changed is reported, zero-width, where its line
    now ends (the break itself becomes a paragraph boundary of the clean text, not a character
    of it)."""
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text, changes
    removed: list[int] = []  # offsets (in `text`) of the CRs dropped from CRLF pairs
    breaks: list[Change] = []
    for match in _LINE_BREAK.finditer(text):
        at = match.start() - len(removed)
        breaks.append(
            _decode_change(
                "line-endings",
                _BREAK_NAMES[match.group()],
                "",
                1.0,
                at,
                at,
                "line break made LF; the line ends here",
            )
        )
        if len(match.group()) == 2:
            removed.append(match.start())
    if removed:
        changes = [_moved_back(change, removed) for change in changes]
    return _LINE_BREAK.sub("\n", text), sorted(
        [*changes, *breaks], key=lambda c: -1 if c.start is None else c.start
    )


def _moved_back(change: Change, removed: list[int]) -> Change:
    if change.start is None or change.end is None:
        return change
    before_start = bisect_right(removed, change.start - 1)
    before_end = bisect_right(removed, change.end - 1)
    return dataclasses.replace(
        change, start=change.start - before_start, end=change.end - before_end
    )


def strip_controls(text: str) -> tuple[str, list[Change]]:
    """Remove escape sequences and control characters (newline and tab stay)."""
    changes: list[Change] = []
    if "\x1b" in text:
        escapes = _ESCAPE.findall(text)
        if escapes:
            text = _ESCAPE.sub("", text)
            changes.append(_control_change("ansi-escape", escapes))
    for pattern in (_CONTROL, _C1):
        if not pattern.search(text):
            continue
        controls = pattern.findall(text)
        if controls:
            text = pattern.sub("", text)
            changes.append(_control_change("control-char", controls))
    return text, changes


def _control_change(kind: str, found: list[str]) -> Change:
    examples = " ".join(dict.fromkeys(ascii(item) for item in found[:20]))
    return Change(
        stage=STAGE_CONTROLS,
        kind=kind,
        before=examples,
        after="",
        confidence=1.0,
        detail=f"{len(found)} removed",
    )
