"""Where two coders differ on one article, and what settling a difference writes (issue 16).

A difference is about one tag: one coder applied it where the other did not, or both applied
it with different extents. Each tag's passages from both coders are grouped into runs of
overlapping passages; a run where the two coders' extents are not the same is one difference,
shown with its whole span and both sides' annotations. Differences come in text order.

Settling one (keep A, keep B, both, neither) gives the codings to write for the consensus
coder (default `consensus`), and which of the consensus coder's earlier codings of that tag in
that span it replaces. The coders' originals are never changed: only the consensus layer is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from tui.store.anchoring import context_around, text_digest
from tui.store.model import Annotation, utc_now

CONSENSUS = "consensus"
"""The author of the adjudicated layer, unless the team chooses another name."""

DifferenceKind = Literal["only A", "only B", "extent"]
Choice = Literal["A", "B", "both", "neither"]
CHOICES: tuple[Choice, ...] = ("A", "B", "both", "neither")
KEPT: dict[Choice, str] = {
    "A": "A's coding",
    "B": "B's coding",
    "both": "both codings",
    "neither": "neither coding",
}
"""What each choice keeps, in words (a decision's description in the undo history)."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One tag, one stretch of text, coded differently by the two coders."""

    tag: str
    start: int
    end: int
    a: tuple[Annotation, ...]
    """Coder A's annotations carrying the tag in this stretch (none: only B coded it)."""
    b: tuple[Annotation, ...]

    @property
    def kind(self) -> DifferenceKind:
        if not self.b:
            return "only A"
        if not self.a:
            return "only B"
        return "extent"

    @property
    def order(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.tag)


@dataclass(frozen=True, slots=True)
class Coding:
    """A consensus annotation to write: a passage, one tag, and the note it came with."""

    start: int
    end: int
    tag: str
    note: str = ""


def compare(annotations: Iterable[Annotation], coder_a: str, coder_b: str) -> list[Difference]:
    """The differences between `coder_a` and `coder_b` in one article's annotations (anchored
    to its current text; orphaned ones have no place to compare and are left out)."""
    placed = [a for a in annotations if a.anchor != "orphaned" and a.start < a.end]
    return differences(
        [a for a in placed if a.author == coder_a], [a for a in placed if a.author == coder_b]
    )


def differences(a_side: Sequence[Annotation], b_side: Sequence[Annotation]) -> list[Difference]:
    """The differences between two coders' annotations on one article, in text order."""
    found = [
        Difference(tag, start, end, mine, theirs)
        for tag, start, end, mine, theirs in _runs(a_side, b_side)
        if _extents(mine) != _extents(theirs)
    ]
    return sorted(found, key=lambda difference: difference.order)


def agreements(a_side: Sequence[Annotation], b_side: Sequence[Annotation]) -> list[Coding]:
    """What both coders coded alike (same tag, same extents): the consensus needs no decision
    there, so it can be written at once."""
    agreed = [
        coding
        for tag, _, _, mine, theirs in _runs(a_side, b_side)
        if _extents(mine) == _extents(theirs)
        for coding in _codings(tag, mine)
    ]
    return sorted(agreed, key=lambda c: (c.start, c.end, c.tag))


def resolution(difference: Difference, choice: Choice) -> list[Coding]:
    """The consensus codings of this difference's tag in its span: A's extents, B's, both
    (each distinct extent once), or none."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {CHOICES}, not {choice!r}")
    kept = {
        "A": difference.a,
        "B": difference.b,
        "both": (*difference.a, *difference.b),
        "neither": (),
    }[choice]
    return _codings(difference.tag, kept)


def superseded(difference: Difference, consensus: Iterable[Annotation]) -> list[Annotation]:
    """The consensus coder's annotations with this difference's tag overlapping its span: an
    earlier decision about the same place, which a new one replaces."""
    return [
        annotation
        for annotation in consensus
        if difference.tag in annotation.tags
        and annotation.start < difference.end
        and difference.start < annotation.end
    ]


@dataclass(frozen=True, slots=True)
class Decision:
    """What settling one difference changes in the consensus layer, and nothing else."""

    untag: tuple[Annotation, ...]
    """Earlier consensus annotations in the span that lose the difference's tag (one left
    with no tag and no note goes)."""
    put: tuple[Annotation, ...]
    """Consensus annotations to write: new ones, or an existing one on exactly a kept extent
    with the tag added."""


def decide(
    difference: Difference,
    choice: Choice,
    text: str,
    consensus: Sequence[Annotation],
    author: str = CONSENSUS,
) -> Decision:
    """The consensus records for settling `difference` with `choice`, on an article whose
    clean text is `text`; `consensus` is that article's consensus annotations as they are."""
    kept = resolution(difference, choice)
    by_extent = {(a.start, a.end): a for a in consensus}
    extents = {(c.start, c.end) for c in kept}
    untag = tuple(a for a in superseded(difference, consensus) if (a.start, a.end) not in extents)
    put: list[Annotation] = []
    now = utc_now()
    digest = text_digest(text)
    article = (difference.a or difference.b)[0].article
    for coding in kept:
        there = by_extent.get((coding.start, coding.end))
        if there is not None:
            if coding.tag not in there.tags:
                put.append(replace(there, tags=(*there.tags, coding.tag), updated=now))
            continue
        prefix, suffix = context_around(text, coding.start, coding.end)
        put.append(
            Annotation(
                id=uuid.uuid4().hex,
                article=article,
                start=coding.start,
                end=coding.end,
                quote=text[coding.start : coding.end],
                prefix=prefix,
                suffix=suffix,
                tags=(coding.tag,),
                note=coding.note,
                author=author,
                created=now,
                updated=now,
                text_hash=digest,
            )
        )
    return Decision(untag, tuple(put))


Run = tuple[str, int, int, tuple[Annotation, ...], tuple[Annotation, ...]]


def _runs(a_side: Sequence[Annotation], b_side: Sequence[Annotation]) -> list[Run]:
    """For each tag, its passages from both coders grouped where they overlap (directly or
    through another): (tag, start, end, A's annotations, B's annotations)."""
    runs: list[Run] = []
    for tag in sorted({name for a in (*a_side, *b_side) for name in a.tags}):
        passages = sorted(
            [(a.start, a.end, 0, a) for a in a_side if tag in a.tags]
            + [(b.start, b.end, 1, b) for b in b_side if tag in b.tags],
            key=lambda item: (item[0], item[1], item[2], item[3].id),
        )
        group: list[tuple[int, int, int, Annotation]] = []
        reach = -1
        for item in [*passages, None]:
            if item is not None and group and item[0] < reach:
                group.append(item)
                reach = max(reach, item[1])
                continue
            if group:
                runs.append(
                    (
                        tag,
                        group[0][0],
                        reach,
                        tuple(g[3] for g in group if g[2] == 0),
                        tuple(g[3] for g in group if g[2] == 1),
                    )
                )
            if item is not None:
                group, reach = [item], item[1]
    return runs


def _extents(annotations: Iterable[Annotation]) -> set[tuple[int, int]]:
    return {(a.start, a.end) for a in annotations}


def _codings(tag: str, annotations: Iterable[Annotation]) -> list[Coding]:
    seen: dict[tuple[int, int], Coding] = {}
    for annotation in sorted(annotations, key=lambda a: (a.start, a.end, a.id)):
        seen.setdefault(
            (annotation.start, annotation.end),
            Coding(annotation.start, annotation.end, tag, annotation.note),
        )
    return list(seen.values())
