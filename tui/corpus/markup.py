"""HTML residue in scraped text: entities, stray tags, invisible characters.

Scrapers that copy text out of HTML leave `&amp;`, `&#8217;`, `<br>`, `<a href=...>` and
non-breaking or zero-width characters behind. Only what is unambiguously markup goes: an
entity needs its `;` and must name a character ("R&D", "AT&T" stay), a tag must be a known
HTML tag name right after `<` ("x < y" and "<3" stay). Zero-width joiners stay: emoji and
Persian need them.
"""

from __future__ import annotations

import html
import re

from tui.corpus.model import Change

STAGE = "markup"

_TAGS = (
    "a|abbr|b|blockquote|br|cite|code|div|em|figcaption|figure|h[1-6]|hr|i|img|li|ol|p|q|s"
    "|small|span|strong|sub|sup|u|ul|wbr"
)
_TAG = f"</?(?:{_TAGS})(?:\\s+[a-z-]+(?:\\s*=\\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\\s<>]+))?)*\\s*/?>"
_BLOCK = re.compile(r"</?(?:br|p|div|li|h[1-6]|blockquote|hr|ul|ol|figure|figcaption)\b", re.I)
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_RESIDUE = re.compile(
    f"(?P<tag>{_TAG})|(?P<entity>{_ENTITY})|(?P<space>\u00a0)|[{_INVISIBLE}]", re.IGNORECASE
)
_QUICK = re.compile(f"[<&\u00a0{_INVISIBLE}]")
_HEADING = re.compile(r"^\s*<h([1-6])(?:\s[^<>]*)?>(?P<text>[^<>]{1,200})</h\1>\s*$", re.IGNORECASE)
_NAMES = {"\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u2060": "word joiner"}


def heading_text(text: str) -> str | None:
    """The heading inside a line that is one `<h2>...</h2>` element, else None."""
    match = _HEADING.match(text)
    return match["text"] if match else None


def has_residue(text: str) -> bool:
    return bool(_QUICK.search(text))


def remove_residue(text: str, markup: bool) -> tuple[str, list[Change]]:
    """`markup`: decode entities and drop tags (before the encoding repairs, as ftfy does);
    else drop invisible characters and make no-break spaces spaces (after them: in mojibake
    these are bytes of damaged characters)."""
    if not _QUICK.search(text):
        return text, []
    out: list[str] = []
    changes: list[Change] = []
    length = 0
    position = 0
    for match in _RESIDUE.finditer(text):
        found = match.group()
        if markup != bool(match["tag"] or match["entity"]):
            continue
        if match["tag"]:
            between_words = (
                not text[match.start() - 1 : match.start()].isspace()
                and not text[match.end() : match.end() + 1].isspace()
            )
            block = _BLOCK.match(found) and match.start() > 0 and match.end() < len(text)
            after = " " if block and between_words else ""
            kind, detail = "html-tag", "stray HTML tag removed"
        elif match["entity"]:
            after = html.unescape(found)
            if after == found:
                continue  # not an entity HTML knows: leave the text alone
            after = after.replace("\u00a0", " ")
            kind, detail = "html-entity", "HTML entity decoded"
        elif "\u00c2" <= text[match.start() - 1 : match.start()] <= "\u00ef":
            continue  # after a UTF-8 lead byte read as Latin-1: a byte of mojibake, not markup
        elif match["space"]:
            after, kind, detail = " ", "no-break-space", "no-break space made a plain space"
        else:
            after, kind = "", "invisible"
            detail = f"{_NAMES.get(found, 'byte-order mark')} removed"
        out.append(text[position : match.start()])
        length += match.start() - position
        changes.append(Change(STAGE, kind, found, after, 1.0, length, length + len(after), detail))
        out.append(after)
        length += len(after)
        position = match.end()
    if not changes:
        return text, []
    out.append(text[position:])
    return "".join(out), changes
