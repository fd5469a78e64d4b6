"""The end of the page: where the article stops and the page below it starts.

Below an article, scraped pages carry disclaimers, author blurbs, related links, teasers,
comments and copyright lines, many of them written as prose. A tail marker ("The views
expressed...", "Related", "... Read more", "©") after most of the body starts the tail, where
everything is furniture; title-like lines closing the page are links. What is the article's
own (a short closing sentence) stays.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.corpus.layout import (
    FURNITURE_MAX,
    SENTENCE_END,
    STRIP,
    Metadata,
    Unit,
    is_heading_like,
    mark,
    pattern,
)

_AUTHOR_MARKER = pattern(r"^(?:about\s+the\s+)?authors?:?$", r"^written\s+by:?$")

# Furniture that, once the body has been read, ends the article: what follows is the page's.
_END = pattern(
    r"^the\s+(?:views|opinions)\s+expressed\b",
    r"\b(?:views|opinions)\s+expressed\b.*\b(?:authors?|writers?|contributors?)\b",
    r"^(?:disclaimer|editor['’]?s\s+note)\s*:",
    r"^(?:about\s+the\s+)?authors?:?$",
    r"^\(?(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{0,200}$",
    r"^comments?$",
    r"^(?:tags|topics|filed\s+under|categories)\s*:",
    r"^(?:©|copyright\s+(?:©\s*)?\d{4})",
)
# Furniture that opens a box of links or teasers: the tail of the page, unless the article
# resumes below the box (sites set "Related" boxes and promotions inside the body too).
_BOX = pattern(
    r"^(?:related(?:\s+(?:articles?|stories|content|posts|reading|coverage|links))?|see\s+also"
    r"|recommended(?:\s+for\s+you)?|most\s+(?:read|popular|viewed)|trending(?:\s+now)?"
    r"|further\s+reading|more\s+(?:stories|articles|news))\s*:?$",
    r"^(?:explore|browse|discover)\b[^.!?]{0,80}$",
    r"^more\s+(?:from|in|on|about)\s+[^.!?]{1,80}$",
    r"^you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested)",
    r"\bread\s+more\s*(?:»|›|>|→)?$",
    r"^(?:next|previous)\s+(?:article|story|post)\b",
    r"^read\s+next$",
)
_READ_MORE = re.compile(r"\bread\s+more\s*(?:»|›|>|→)?$", re.IGNORECASE)
# The article resumes below a box when what follows it, up to the next marker, is body text:
# two paragraphs or more, a body paragraph's length in all, and few title lines among them
# (a list of teasers alternates titles and one-sentence summaries).
_RESUMED_PARAGRAPHS = 2
_RESUMED_TEXT = 200
_TITLES_PER_PARAGRAPH = 1 / 3


@lru_cache(maxsize=8192)  # asked again each time the layout is judged
def _marker_kind(text: str) -> str | None:
    """Whether the line starts the tail: surely ("end"), unless the article resumes ("box")."""
    if len(text) > FURNITURE_MAX:
        return "box" if _READ_MORE.search(text[-40:]) else None
    if _END.search(text):
        return "end"
    return "box" if _BOX.search(text) else None


def classify_tail(units: list[Unit], metadata: Metadata) -> None:
    """Mark the page below the article: after a tail marker, or trailing links.

    Run after repeated paragraphs are gone, so a copy at the end does not hide the tail.
    """
    rest = [unit for unit in units if unit.role == "paragraph"]
    prose = [unit.prose for unit in rest]
    if True not in prose:
        return
    tail = _tail_start(rest, prose, prose.index(True))
    if tail is not None:
        _mark_tail(units[units.index(rest[tail]) :], metadata)
        prose = prose[:tail]
        rest = rest[:tail]
    _mark_trailing_links(rest, prose)


def _tail_start(units: list[Unit], prose: list[bool], first_prose: int) -> int | None:
    """The first tail marker after the body with less body text after it than before.

    A box marker (related links, a teaser ending "Read more") with the article resuming
    below it is not the tail: the box alone is marked, and the search goes on below it.
    """
    sizes = [len(unit.text) if is_body else 0 for unit, is_body in zip(units, prose, strict=True)]
    total = sum(sizes)
    before = 0
    index = first_prose
    while index < len(units):
        kind = _marker_kind(units[index].text) if index > first_prose else None
        if kind is not None and before > 2 * (total - before):
            resumes = _resumes_at(units, prose, index) if kind == "box" else None
            if resumes is None:
                return index
            for unit in units[index:resumes]:
                mark(unit, "furniture", "related links or a promotion inside the article")
            before += sum(sizes[index:resumes])
            index = resumes
            continue
        before += sizes[index]
        index += 1
    return None


def _resumes_at(units: list[Unit], prose: list[bool], box: int) -> int | None:
    """Where the article's text resumes below the box at `box`, if it does."""
    start = box + 1
    while start < len(units) and _in_box(units[start].text, prose[start]):
        start += 1
    stop = start
    while stop < len(units) and _marker_kind(units[stop].text) is None:
        stop += 1
    paragraphs = [
        unit.text
        for unit, is_body in zip(units[start:stop], prose[start:stop], strict=True)
        if is_body or _ends_sentence(unit.text)  # a short closing paragraph is one too
    ]
    titles = stop - start - len(paragraphs)
    if (
        len(paragraphs) >= _RESUMED_PARAGRAPHS
        and sum(map(len, paragraphs)) >= _RESUMED_TEXT
        and titles <= _TITLES_PER_PARAGRAPH * len(paragraphs)
    ):
        return start
    return None


def _in_box(text: str, is_body: bool) -> bool:
    """A box's link (a title) or teaser (ending "Read more"), not a paragraph of the article."""
    return bool(_READ_MORE.search(text)) or not (is_body or _ends_sentence(text))


def _mark_tail(units: list[Unit], metadata: Metadata) -> None:
    expecting_author = False
    for unit in units:
        if unit.role not in ("paragraph", "heading"):
            continue
        if expecting_author and metadata.author is None and not unit.prose:
            metadata.author = unit.text
            mark(unit, "author", "author line")
            expecting_author = False
            continue
        expecting_author = bool(_AUTHOR_MARKER.match(unit.text))
        mark(unit, "furniture", "page furniture after the article")


def _mark_trailing_links(units: list[Unit], prose: list[bool]) -> None:
    """Title-like lines closing the page: related links, or a heading with nothing under it.

    Short lines that end like a sentence ("“Maybe.”", "And then…") are the article's own, and
    so is the first line after the body when it reads as a closing sentence, not a title.
    """
    last = len(prose) - 1 - prose[::-1].index(True)
    links = []
    for unit in reversed(units[last + 1 :]):
        if not is_heading_like(unit.text) or SENTENCE_END.search(unit.text):
            break
        links.append(unit)
    links.reverse()
    if links and links[0] is units[last + 1] and _closes_article(links[0].text, len(links) == 1):
        links = links[1:]
    for unit in links:
        mark(unit, "furniture", "links after the article")


_CLOSING_END = re.compile(r"[!?！？]['\"”’)\]»]*$")
_MINOR_TEXT = (
    "a an and as at but by for from in into nor of off on or out over per the to via vs with"
)
_MINOR_WORDS = frozenset(_MINOR_TEXT.split())
# Lines that ask the reader to act on the site, however they are punctuated.
_CALL_TO_ACTION = pattern(
    r"\b(?:subscribe|subscription|newsletters?|sign\s+up|log\s+in|donate|download)\b",
    r"\b(?:follow|support|join|email|contact|message)\s+us\b",
    r"\bshare\s+(?:this|on)\b",
    r"\bsupport\s+(?:our|independent)\s+(?:journalism|work|reporting)\b",
)


def _closes_article(text: str, alone: bool) -> bool:
    """A short line right after the body that is the article's last sentence, not a link.

    Headlines are Title Case or unpunctuated; a closing sentence ("Still, the otters are
    back!", "Will anyone take the shop on?") ends with ! or ? in sentence case. With no
    punctuation, only a lone line of three words or more in sentence case ("Thanks for
    reading") is taken as the article's: a list of lines after the body is links.
    """
    if _CALL_TO_ACTION.search(text) or _title_case(text):
        return False
    return bool(_CLOSING_END.search(text)) or (alone and len(text.split()) >= 3)


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text) or _CLOSING_END.search(text))


def _title_case(text: str) -> bool:
    """Most words after the first capitalised, minor words aside ("A World Ready for War")."""
    words = (word.strip(STRIP) for word in text.split()[1:])
    content = [word for word in words if word[:1].isalpha() and word.lower() not in _MINOR_WORDS]
    return bool(content) and 2 * sum(word[0].isupper() for word in content) >= len(content)
