"""Finding an annotation again in an article's current clean text (W3C-style selectors).

The order follows the Web Annotation model and what Hypothesis learned: the position, checked
against the quote; then every exact copy of the quote, the one whose surrounding text best
matches the stored prefix and suffix winning (nearest the old position on a tie), taken only
if its surroundings agree with the stored ones as much as a fuzzy match's must (a short quote
has copies all over an article: one in other surroundings is other text, not the passage
moved); then a fuzzy match that must clear a minimum score; else the annotation is orphaned:
kept, with its old offsets, for the user to see and fix. Nothing here drops or silently
misplaces one.

Offsets are code points (Python str indices), like W3C TextPositionSelector.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tui.store.model import CONTEXT_CHARS, AnchorStatus, Annotation

# Below this a "match" is as likely to be other text as the passage (Hypothesis' lesson).
MIN_FUZZY_SCORE = 80.0
# A fuzzy match must also sit in similar surroundings (prefix and suffix, averaged).
MIN_CONTEXT_SCORE = 50.0
# How far a fuzzy match's ends may be moved to fit a passage that grew or shrank.
FUZZY_STRETCH = 0.25


NEEDS_CHECKING: frozenset[AnchorStatus] = frozenset({"fuzzy", "orphaned"})
"""Statuses of annotations not placed exactly: the reader lists them under "Needs checking"
(a fuzzy match may be other text; an orphan has no place), until placed again by hand."""


def needs_checking(annotation: Annotation) -> bool:
    return annotation.anchor in NEEDS_CHECKING


@dataclass(frozen=True, slots=True)
class Reanchored:
    """An article's annotations placed in its current text, and which need checking.

    Every annotation is here, placed or not: re-anchoring never drops one (QualCoder's
    lesson), it only says how sure the placing is.
    """

    article: str
    annotations: tuple[Annotation, ...]

    @property
    def needs_checking(self) -> list[Annotation]:
        """Those placed by a fuzzy match, or not at all, in reading order."""
        return [a for a in self.annotations if needs_checking(a)]

    def counts(self) -> dict[AnchorStatus, int]:
        """How many of each status (statuses with none left out)."""
        found: dict[AnchorStatus, int] = {}
        for annotation in self.annotations:
            found[annotation.anchor] = found.get(annotation.anchor, 0) + 1
        return found


def reanchor_all(article: str, annotations: Iterable[Annotation], text: str) -> Reanchored:
    """Each of an article's annotations placed in `text` (its new clean text)."""
    digest = text_digest(text)
    return Reanchored(article, tuple(anchor(a, text, digest=digest) for a in annotations))


def text_digest(text: str) -> str:
    """The hash an annotation records of the clean text it was made on."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    """Prefix and suffix: up to CONTEXT_CHARS code points each side of the passage."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def anchor(annotation: Annotation, text: str, *, digest: str | None = None) -> Annotation:
    """A copy of `annotation` placed in `text`, with `.anchor` saying how sure we are."""
    quote = annotation.quote
    at_old_place = text[annotation.start : annotation.end] == quote and bool(quote)
    if at_old_place and annotation.text_hash == (digest or text_digest(text)):
        # Most annotations: no copy (20,000 copies took 0.3 s each time the list opened).
        return annotation if annotation.anchor == "exact" else replace(annotation, anchor="exact")
    if quote:
        copies = _occurrences(text, quote)
        if copies:
            best = max(copies, key=lambda start: _context_fit(annotation, text, start))
            # With no stored context (old imports) there is nothing to check a copy against.
            contextless = not annotation.prefix and not annotation.suffix
            if contextless or _context_score(annotation, text, best, best + len(quote)) >= (
                MIN_CONTEXT_SCORE
            ):
                if best == annotation.start:
                    return replace(annotation, anchor="exact")
                return _moved(annotation, text, best, best + len(quote), "moved")
        found = _fuzzy_find(annotation, text)
        if found is not None:
            return _moved(annotation, text, found[0], found[1], "fuzzy")
    return replace(annotation, anchor="orphaned")


def _moved(annotation: Annotation, text: str, start: int, end: int, how: str) -> Annotation:
    prefix, suffix = context_around(text, start, end)
    return replace(
        annotation,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=prefix,
        suffix=suffix,
        anchor=how,  # type: ignore[arg-type]
    )


def _occurrences(text: str, quote: str) -> list[int]:
    found = []
    start = text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _context_fit(annotation: Annotation, text: str, start: int) -> tuple[int, int]:
    """How much of the stored context surrounds this copy; then closeness to the old place."""
    end = start + len(annotation.quote)
    before = text[max(0, start - len(annotation.prefix)) : start]
    after = text[end : end + len(annotation.suffix)]
    agreement = _common_prefix(before[::-1], annotation.prefix[::-1]) + _common_prefix(
        after, annotation.suffix
    )
    return agreement, -abs(start - annotation.start)


def _fuzzy_find(annotation: Annotation, text: str) -> tuple[int, int] | None:
    """Best approximate place of the quote, if it scores at least MIN_FUZZY_SCORE."""
    from rapidfuzz import fuzz  # needed only when the text changed under an annotation

    quote = annotation.quote
    alignment = fuzz.partial_ratio_alignment(quote, text, score_cutoff=MIN_FUZZY_SCORE)
    if alignment is None:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    # partial_ratio compares windows as long as the quote; fit the ends to an edited passage.
    stretch = max(1, int(len(quote) * FUZZY_STRETCH))

    def score(s: int, e: int) -> float:
        return fuzz.ratio(quote, text[s:e]) if s < e else 0.0

    end = max(
        range(max(start + 1, end - stretch), min(len(text), end + stretch) + 1),
        key=lambda e: (score(start, e), -abs(e - alignment.dest_end)),
    )
    start = max(
        range(max(0, start - stretch), min(end - 1, start + stretch) + 1),
        key=lambda s: (score(s, end), -abs(s - alignment.dest_start)),
    )
    if score(start, end) < MIN_FUZZY_SCORE:
        return None
    if _context_score(annotation, text, start, end) < MIN_CONTEXT_SCORE:
        return None  # similar words in another place: Hypothesis' wrong-text lesson
    return start, end


def _context_score(annotation: Annotation, text: str, start: int, end: int) -> float:
    """How alike (0-100) the text around start:end is to the stored prefix and suffix."""
    prefix, suffix = context_around(text, start, end)
    return (
        _similarity(annotation.prefix[-len(prefix) :] if prefix else "", prefix)
        + _similarity(annotation.suffix[: len(suffix)], suffix)
    ) / 2


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 100.0
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)
