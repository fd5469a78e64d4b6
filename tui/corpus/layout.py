"""Paragraphs, headings and web furniture: what of a scraped page is the article.

Scrapers hand over one line per page element. Explicit furniture patterns are tried first
(kicker, byline, disclaimer, "Author", "Read more", share and subscribe lines, credits,
copyright); then lines are told apart by length and stopword density; short lines take their
neighbours' class. Where the article stops and the page below it starts is `page_end`'s call.
What is metadata (source from a kicker, the author line) is kept as metadata.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tui.corpus.edits import remap, shift
from tui.corpus.model import Change

STAGE = "layout"

_WRAP_MAX_LINE = 100
# What str.strip() removes, less U+0085: in scraped text that is windows-1252's "…" (0x85)
# arriving as a C1 character, punctuation to repair, not a line end to trim.
SPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) != "\x85")


@dataclass(slots=True)
class Unit:
    """One paragraph-sized piece of the page while it is being cleaned."""

    text: str
    line: int  # 1-based line of the source text where it starts
    changes: list[Change] = field(default_factory=list)
    role: str = "paragraph"  # paragraph | heading | furniture | kicker | author | byline | repeat
    why: str = ""
    _prose: bool | None = None

    @property
    def prose(self) -> bool:
        """Whether the (final) text reads as prose; asked often, so computed once."""
        if self._prose is None:
            self._prose = is_prose(self.text)
        return self._prose


@dataclass(slots=True)
class Metadata:
    source: str | None = None
    author: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def split_units(text: str, placed: Sequence[Change] = ()) -> tuple[list[Unit], list[Change]]:
    """Lines are paragraphs, unless the text is hard-wrapped (then blank lines divide them).

    `placed`: changes at offsets into `text` (the decode stage's); each goes to the unit that
    holds its place, at that unit's offsets. Those on blank lines are returned apart, except
    zero-width ones (a removed CR or BOM), which move to the start of the next unit.
    """
    lines = text.split("\n")
    on_line = _changes_by_line(lines, placed)
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if line.strip(SPACE):
            if not current:
                start = number
            current.append(line)
        elif current:
            groups.append((start, current))
            current = []
    if current:
        groups.append((start, current))
    if _hard_wrapped(groups):
        units = _units_from_groups(groups, on_line)
    else:
        units = []
        for number, line in enumerate(lines, start=1):
            if line.strip(SPACE):
                unit = Unit(line.strip(SPACE), number)
                unit.changes = _within(on_line.pop(number, []), line, 0, len(unit.text))
                units.append(unit)
    return units, _leftovers(units, on_line)


def _changes_by_line(
    lines: list[str], placed: Sequence[Change]
) -> dict[int, list[tuple[int, int, Change]]]:
    """1-based line -> (column start, column end, change) of each placed change on it."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    on_line: dict[int, list[tuple[int, int, Change]]] = {}
    for change in placed:
        if change.start is None or change.end is None:
            continue
        index = bisect_right(starts, change.start) - 1
        column = change.start - starts[index]
        end = min(change.end - starts[index], len(lines[index]))
        on_line.setdefault(index + 1, []).append((column, end, change))
    return on_line


def _within(
    found: list[tuple[int, int, Change]], line: str, offset: int, size: int
) -> list[Change]:
    """Changes at columns of `line` -> offsets of its stripped text placed at `offset`."""
    lead = len(line) - len(line.lstrip(SPACE))
    width = len(line.strip(SPACE))
    placed = []
    for column, end, change in found:
        start = offset + min(max(column - lead, 0), width)
        stop = offset + min(max(end - lead, 0), width)
        placed.append(dataclasses.replace(change, start=min(start, size), end=min(stop, size)))
    return placed


def _leftovers(
    units: list[Unit], on_line: dict[int, list[tuple[int, int, Change]]]
) -> list[Change]:
    """Changes on lines that hold no text: zero-width ones go to the next unit's start."""
    apart: list[Change] = []
    starts = [unit.line for unit in units]
    for number in sorted(on_line):
        index = bisect_right(starts, number)
        following = units[index] if index < len(units) else None
        for _, _, change in on_line[number]:
            if following is not None and change.start == change.end:
                following.changes.insert(0, dataclasses.replace(change, start=0, end=0))
            else:
                apart.append(change)
    return apart


def _hard_wrapped(groups: list[tuple[int, list[str]]]) -> bool:
    """Blank-line paragraphs whose inner lines all break near one width (a wrapped text)."""
    multi = [lines for _, lines in groups if len(lines) > 1]
    if not multi or len(multi) < 0.3 * len(groups):
        return False
    inner = [len(line.rstrip(SPACE)) for lines in multi for line in lines[:-1]]
    width = max(inner)
    if width > _WRAP_MAX_LINE or len(inner) < 3:
        return False
    near_width = sum(length >= 0.7 * width for length in inner)
    # Wrapped lines break mid-sentence; lines that end sentences are paragraphs of their own.
    ended = sum(
        bool(_TERMINAL.search(line.rstrip(SPACE))) for lines in multi for line in lines[:-1]
    )
    # and between words: lines without spaces (Chinese, Japanese) are not joined with them.
    spaced = sum(" " in line.strip(SPACE) for lines in multi for line in lines[:-1])
    return near_width >= 0.9 * len(inner) and ended < 0.5 * len(inner) <= spaced


def _units_from_groups(
    groups: list[tuple[int, list[str]]], on_line: dict[int, list[tuple[int, int, Change]]]
) -> list[Unit]:
    """One paragraph per blank-line group, its lines joined with single spaces; a word broken
    after its hyphen at a line end ("200,000-" / "strong") is joined without the space."""
    units = []
    for start, group in groups:
        lines = [part.strip(SPACE) for part in group]
        text = lines[0]
        changes = _within(on_line.pop(start, []), group[0], 0, len(text))
        for number, (raw, line) in enumerate(zip(group[1:], lines[1:], strict=True), start + 1):
            hyphen = text.endswith("-") and text[-2:-1].isalnum() and line[:1].isalnum()
            text += line if hyphen else " " + line
            found = on_line.pop(number, [])
            changes += _within(found, raw, len(text) - len(line), len(text))
        collapsed = re.sub(r"[ \t]+", " ", text)
        units.append(Unit(collapsed, start, remap(changes, text, collapsed)))
    return units


_STOPWORD_TEXT = """
a about after all also an and any are as at be because been before but by can could did do
does for from had has have he her his how i if in into is it its just more most no not of on
one or our out over she so some such than that the their them then there these they this
those to under up was we were what when where which while who will with would you
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CLAUSE_END = re.compile(r"[.,;:…]['\"”’)\]]*$")
SENTENCE_END = re.compile(r"[.…。]['\"”’)\]]*$")
_TERMINAL = re.compile(r"[.!?…。！？]['\"”’)\]]*$")


STRIP = "\"'“”‘’()[]{}.,;:!?—–…«»"


def is_prose(text: str) -> bool:
    """A sentence-bearing paragraph, as opposed to a label, link or heading."""
    tokens = text.split()
    if len(tokens) < 8 and len(_CJK.findall(text)) < 15:
        return False
    if _TERMINAL.search(text):
        return True
    if not tokens:
        return False
    share = sum(token.strip(STRIP).lower() in _STOPWORDS for token in tokens) / len(tokens)
    return share >= 0.25 and len(tokens) >= 15


def is_heading_like(text: str) -> bool:
    """Short, capitalised and not ended like a sentence."""
    words = text.split()
    if not 1 <= len(words) <= 14 or len(text) > 120:
        return False
    if _CLAUSE_END.search(text) or _CJK.search(text[-1]):
        return False
    return text[0].isupper() or text[0].isdigit()


def pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_KICKER = re.compile(
    r"^(?:an?|the)\s+(?:blog|publication|project|program|programme|podcast|newsletter|series"
    r"|initiative|service|magazine|journal|website|column)\s+(?:of|from|by)\s+(?:the\s+)?"
    r"(?P<source>[^\s].{1,80}?)\.?$",
    re.IGNORECASE,
)
# "By", and the same word in French, German, Spanish/Portuguese, Italian, Russian, Dutch,
# Swedish/Norwegian and Polish, before one or more capitalised names.
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w.'’-]*"
_BYLINE = re.compile(
    r"^(?:[Bb]y|[Pp]ar|[Vv]on|[Pp]or|[Dd]i|[Пп]о|[Dd]oor|[Aa]v|[Pp]rzez)\s+"
    rf"(?P<author>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
    rf"(?:\s*(?:,|and|&|et|und|y|e|и|en|och|i)\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})*)$"
)
_MONTH_TEXT = """jan january feb february mar march apr april may jun june jul july aug august
sep sept september oct october nov november dec december"""
_DATE_WORD_TEXT = """mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday
sat saturday sun sunday am pm a m p gmt utc bst cet cest est edt et pt pst pdt ct cst cdt msk ist
jst at on published updated posted last modified first"""
_MONTH_WORDS = frozenset(_MONTH_TEXT.split())
_DATE_WORDS = _MONTH_WORDS | frozenset(_DATE_WORD_TEXT.split())
_DATE_TOKEN = re.compile(r"[A-Za-z]+|\d+|\S")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=8192)  # asked again each time the layout is judged
def is_date_line(text: str) -> bool:
    """A line that is only a date (and time, weekday, zone, "Published", "Updated")."""
    if len(text) > 70:
        return False
    tokens = _DATE_TOKEN.findall(text)
    words = [token.lower() for token in tokens if token.isalpha()]
    if any(word not in _DATE_WORDS for word in words):
        return False
    if any(not (t.isalnum() or t in ",.:/-|–—()") for t in tokens):
        return False
    has_month = any(word in _MONTH_WORDS for word in words)
    has_year = any(len(t) == 4 and t.isdigit() and t[:2] in ("19", "20") for t in tokens)
    return bool(_ISO_DATE.search(text)) or (has_month and has_year)


_NAME = re.compile(r"^[A-Z][\w'’.-]+(?: (?:[A-Z][\w'’.-]+|de|van|von|der|al|bin)){1,3}$")
# Lines that are furniture wherever they stand.
_FURNITURE = pattern(
    r"^advertisement$",
    r"^(?:sponsored(?:\s+content)?|paid\s+content|promoted)$",
    r"^(?:share|share\s+this(?:\s+(?:article|story|page|post))?|tweet|email|print|copy\s+link)"
    r"(?:\s*(?:on\s+)?(?:facebook|twitter|x|linkedin|whatsapp|email))*:?$",
    r"^(?:photo|image|picture|video|illustration|graphic|map)s?(?:\s+credits?)?\s*[:|]\s*\S",
    # a caption that ends with its credit: "... Photo: Jane Doe/Reuters"
    r"\b(?:photo(?:graph)?|image|picture)s?(?:\s+credits?)?\s*:\s*[^.!?:]{2,80}$",
    r"\((?:photo|image|picture)s?\s*:\s*[^()]{2,80}\)$",
    # cookie banners
    r"^we\s+(?:and\s+our\s+partners\s+)?use\s+cookies\b",
    r"^(?:accept|reject|allow|decline)(?:\s+all)?(?:\s+cookies)?$",
    r"^(?:manage|cookie|privacy)\s+(?:preferences|settings|options|choices|policy)$",
    # live-blog labels and time stamps
    r"^(?:live|live\s+(?:updates|blog|coverage)|breaking(?:\s+news)?|key\s+events"
    r"|show\s+key\s+events\s+only|pinned\s+post|latest\s+updates?|as\s+it\s+happened"
    r"|refresh|load\s+(?:more|new)\s+(?:posts|updates))$",
    r"^(?:updated\s+)?\d+\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?)\s+ago$",
    r"^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?$",
    r"^(?:credit|source\s+image)s?:\s*\S",
    r"^(?:©|\(c\)\s*\d{4}|copyright\s+(?:©\s*)?\d{4})",
    r"\ball\s+rights\s+reserved\.?$",
    r"\b(?:все\s+права\s+защищены|tous\s+droits\s+réservés|alle\s+rechte\s+vorbehalten"
    r"|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati)\.?$",
    # Chinese and Japanese copyright lines ("版权所有 © 2024", "無断転載を禁じます"), not
    # prose about copyright owners (版权所有者)
    r"^[^。！？]{0,40}(?:版[权權]所有(?![者人权權])|保留所有权利|無断転載)[^。！？]{0,40}$",
    r"^(?:sign\s+up|subscribe)\b.{0,80}\b(?:newsletters?|e-?mails?|updates|alerts|free|today"
    r"|now|here|inbox)\b[^.]{0,40}\.?$",
    r"^(?:follow\s+(?:us|@?\w+)\s+on)\b.{0,80}$",
    r"^click\s+here\b.{0,120}$",
    r"^skip\s+to\s+(?:main\s+)?content$",
    r"^(?:read|see)\s+(?:more|also)\s*:.{0,200}$",
    r"^(?:listen|watch)(?:\s+to)?\s+(?:this|the)\s+(?:article|story|podcast|video)\b.{0,60}$",
    r"^\d+\s+comments?$",
    r"^(?:tags|topics|filed\s+under|categories|keywords)\s*:",
    r"^this\s+(?:article|story|page)\s+is\s+more\s+than\s+\d+\s+\w+\s+old$",
    r"^reuse\s+this\s+content$",
    r"^(?:continue\s+reading|story\s+continues\s+below|scroll\s+to\s+continue)\b.{0,40}$",
    r"^our\s+standards\s*:",
    r"^\(?(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{0,200}$",
)


FURNITURE_MAX = 300  # page furniture is a short line; longer lines are only checked at the end


@lru_cache(maxsize=8192)  # asked again each time the layout is judged
def _is_furniture(text: str) -> bool:
    return len(text) <= FURNITURE_MAX and bool(_FURNITURE.search(text))


def classify(units: list[Unit], metadata: Metadata) -> None:
    """Mark the furniture above the body (section label, kicker, byline, date) and inside it.

    Only units still taken for paragraphs count, so running it again after other stages
    removed text judges the page as cleaning the clean text would.
    """
    live = [unit for unit in units if unit.role == "paragraph"]
    first_prose = next(
        (i for i, unit in enumerate(live) if unit.prose and not _is_furniture(unit.text)),
        len(live),
    )
    above = 0  # paragraphs above the one judged (kept count: the page may be long)
    for index in range(first_prose):
        _classify_head(live[index], above, metadata, has_body=first_prose < len(live))
        above += live[index].role == "paragraph"
    paragraphs_above: list[Unit] = []
    for index, unit in enumerate(live):
        if unit.role != "paragraph":
            continue
        if is_date_line(unit.text):
            metadata.extra.setdefault("date", unit.text)
            mark(unit, "furniture", "date line")
            if paragraphs_above and _NAME.match(paragraphs_above[-1].text):
                name = paragraphs_above.pop()
                metadata.author = metadata.author or name.text
                mark(name, "byline", f"name above the date; author: {name.text}")
        elif index >= first_prose and _is_furniture(unit.text):
            mark(unit, "furniture", "web furniture")
        else:
            paragraphs_above.append(unit)


def _classify_head(unit: Unit, above: int, metadata: Metadata, has_body: bool) -> None:
    """`above`: how many paragraphs are left above this unit."""
    text = unit.text
    if above < 3 and metadata.source is None and (match := _KICKER.match(text)):
        metadata.source = match["source"].strip()
        mark(unit, "kicker", f"kicker; source: {metadata.source}")
    elif match := _BYLINE.match(text):
        metadata.author = metadata.author or match["author"].strip()
        mark(unit, "byline", f"byline; author: {match['author'].strip()}")
    elif _is_furniture(text):
        mark(unit, "furniture", "web furniture")
    elif has_body and above == 0 and _is_section_label(text):
        metadata.extra.setdefault("section", text)
        mark(unit, "furniture", "section label")


def _is_section_label(text: str) -> bool:
    """One or two words above the headline ("World", "Russia", "Opinion")."""
    return len(text.split()) <= 2 and is_heading_like(text) and not any(c.isdigit() for c in text)


def mark(unit: Unit, role: str, why: str) -> None:
    unit.role = role
    unit.why = why


_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(?=[^\W_]|[\"“‘(])")


def take_marked_headings(units: list[Unit]) -> None:
    """`## Heading` lines (Markdown, and `marginalia clean`'s own output) are headings.

    The marker goes; the rest is kept as a heading whatever follows it.
    """
    for unit in units:
        marker = _MARKDOWN_HEADING.match(unit.text)
        if marker is None or len(unit.text) - marker.end() > 120:
            continue
        text = unit.text[marker.end() :]
        unit.changes = shift(unit.changes, -marker.end())
        unit.changes.append(
            Change(
                stage=STAGE,
                kind="heading-marker",
                before=marker.group(),
                after="",
                confidence=1.0,
                detail=f"heading marked with # (line {unit.line})",
            )
        )
        unit.text, unit.role, unit._prose = text, "heading", None


_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"  # capitals (Latin Extended-A: both cases, as no rule can tell)
_AGENCY = r"\((?:AP|Reuters|AFP|dpa|UPI|Bloomberg|TASS|Xinhua|Yonhap|CNN|BBC|PTI|ANSA|EFE)\)"
_DATELINE = re.compile(
    rf"^(?P<dateline>[{_CAPITAL}][{_CAPITAL}.'’-]+(?: [{_CAPITAL}][{_CAPITAL}.'’-]+){{0,3}}"  # KYIV
    r"(?:, [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2})?"  # , Ukraine
    rf"(?: {_AGENCY})?)"  # (AP)
    r" ?(?:—|–|--?) ?(?=[A-ZÀ-Þ0-9“\"‘'])"  # a sentence starts after it
)


def take_dateline(units: list[Unit], metadata: Metadata) -> None:
    """A wire dateline ("KYIV, Ukraine (AP) —") opening the body is metadata, not text."""
    first = next((unit for unit in units if unit.role == "paragraph" and unit.prose), None)
    if first is None:
        return
    match = _DATELINE.match(first.text)
    if match is None or len(match["dateline"].split(",")[0].replace(" ", "")) < 3:
        return
    dateline = match["dateline"]
    metadata.extra.setdefault("dateline", dateline)
    first.changes = shift(first.changes, -match.end())
    first.changes.append(
        Change(
            stage=STAGE,
            kind="dateline",
            before=match.group(),
            after=f"dateline: {dateline}",
            confidence=0.85,
            detail=f"wire dateline taken as metadata (line {first.line})",
        )
    )
    first.text = first.text[match.end() :]
    first._prose = None


def mark_headings(units: list[Unit]) -> None:
    """A short capitalised line that introduces prose is a section heading."""
    kept = [unit for unit in units if unit.role in ("paragraph", "heading")]
    for index, unit in enumerate(kept):
        if unit.role != "paragraph" or unit.prose or not is_heading_like(unit.text):
            continue
        following = kept[index + 1] if index + 1 < len(kept) else None
        if following is not None and following.prose:
            unit.role = "heading"


def removal_change(unit: Unit, metadata: Metadata) -> Change:
    after = ""
    if unit.role == "kicker":
        after = f"source: {metadata.source}"
    elif unit.role in ("author", "byline"):
        after = f"author: {unit.text if unit.role == 'author' else metadata.author}"
    kind = {"author": "author-line"}.get(unit.role, unit.role)
    return Change(
        stage=STAGE,
        kind=kind,
        before=unit.text,
        after=after,
        confidence=0.9 if unit.role != "furniture" else 0.8,
        detail=f"{unit.why} (line {unit.line})",
    )
