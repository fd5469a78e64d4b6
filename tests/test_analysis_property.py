"""The fast views against the rules written out plainly, on generated coding.

`cooccurrence` and `code_matrix` count in one sweep over passages in reading order (see their
modules); here every figure is recomputed the slow, obvious way, pair by pair and unit by
unit, on passages given in any order, with nested codes, empty and orphaned passages, and
filters, so a shortcut in the sweeps cannot change what they count.
"""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.analysis.cooccurrence import UNITS, Unit, cooccurrence, cooccurring_passages, pair_of
from tui.analysis.counting import codes_counted, covered_characters
from tui.analysis.filters import AnalysisFilter
from tui.analysis.matrix import code_matrix
from tui.corpus import clean_bytes
from tui.store.hierarchy import is_within
from tui.store.model import Annotation, ArticleMeta

PROSE = [
    "Moscow wants Kyiv to give up the east. The Kremlin said so on Tuesday. "
    "Europe answered with new sanctions.\n\nOil prices rose by four percent. "
    "Traders blamed the war.",
    "Russia lost its oil buyers in Europe. Prices fell again in March. Banks froze assets."
    "\n\nThe summit ended without a statement. Diplomats said talks would go on.",
]
ARTICLES = {f"art{n}": clean_bytes(text.encode(), f"art{n}") for n, text in enumerate(PROSE)}
METAS = {"art0": ArticleMeta("art0", attributes={"outlet": "Guardian"})}
CODES = ["Russia", "Russia/war aims", "Russia/war aims/east", "sanctions", "economy", "russia"]
CODERS = ["alice", "bob"]


@st.composite
def coding(draw: st.DrawFn) -> list[Annotation]:
    """Passages on two known articles and one unknown, in the order drawn."""
    count = draw(st.integers(0, 24))
    made = []
    for n in range(count):
        article = draw(st.sampled_from([*ARTICLES, "gone"]))
        length = len(ARTICLES[article].text) if article in ARTICLES else 200
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, min(length + 5, start + 90)))
        made.append(
            Annotation(
                id=f"p{n}",
                article=article,
                start=start,
                end=end,
                quote="",
                tags=tuple(draw(st.lists(st.sampled_from(CODES), max_size=3))),
                author=draw(st.sampled_from(CODERS)),
                anchor=draw(st.sampled_from(["exact", "exact", "fuzzy", "orphaned"])),
            )
        )
    return made


FILTERS = [
    AnalysisFilter(),
    AnalysisFilter(coders=("alice",)),
    AnalysisFilter(tags=("Russia/war aims",)),
    AnalysisFilter(attributes=(("outlet", "Guardian"),)),
]


def counted(passage: Annotation, selection: AnalysisFilter, roll_up: bool = True) -> list[str]:
    """The codes a passage counts for: with its tags' parents (rolled up), or as tagged."""
    codes = codes_counted(passage.tags) if roll_up else list(dict.fromkeys(passage.tags))
    return [c for c in codes if selection.wants_code(c)]


def pairs_between(first: list[str], second: list[str]) -> set[tuple[str, str]]:
    return {
        pair_of(a, b) for a in first for b in second if not (is_within(a, b) or is_within(b, a))
    }


def overlap(a: Annotation, b: Annotation) -> bool:
    """Two passages overlap when both still anchor, both have text and their ranges cross."""
    if "orphaned" in (a.anchor, b.anchor) or a.start >= a.end or b.start >= b.end:
        return False
    return a.start < b.end and b.start < a.end


def slow_cooccurrence(
    passages: list[Annotation], selection: AnalysisFilter, unit: Unit, roll_up: bool = True
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], set[str]]]:
    """Each pair's count, and the passages behind it."""
    chosen = [p for p in selection.select(passages, METAS) if counted(p, selection, roll_up)]
    counts: dict[tuple[str, str], int] = {}
    behind: dict[tuple[str, str], set[str]] = {}

    def meet(pairs: set[tuple[str, str]], involved: list[Annotation]) -> None:
        for pair in pairs:
            counts[pair] = counts.get(pair, 0) + 1
            behind.setdefault(pair, set()).update(
                p.id for p in involved if set(pair) & set(counted(p, selection, roll_up))
            )

    if unit == "passage":
        for i, a in enumerate(chosen):
            for b in chosen[i:]:
                same_coder = a.article == b.article and a.author == b.author
                if a is b or (same_coder and overlap(a, b)):
                    meet(
                        pairs_between(
                            counted(a, selection, roll_up), counted(b, selection, roll_up)
                        ),
                        [a, b],
                    )
        return counts, behind
    for article_id, article in ARTICLES.items():
        spans = (
            article.sentences
            if unit == "sentence"
            else [(block.start, block.end) for block in article.blocks]
        )
        for unit_start, unit_end in spans:
            for coder in CODERS:
                inside = [
                    p
                    for p in chosen
                    if p.article == article_id
                    and p.author == coder
                    and p.anchor != "orphaned"
                    and p.start < unit_end
                    and max(p.end, p.start + 1) > unit_start
                ]
                present = sorted({code for p in inside for code in counted(p, selection, roll_up)})
                meet(pairs_between(present, present), inside)
    return counts, behind


@settings(max_examples=150, deadline=None)
@given(coding(), st.sampled_from(FILTERS), st.sampled_from(UNITS), st.booleans(), st.randoms())
def test_cooccurrence_counts_what_the_plain_rule_counts(
    passages: list[Annotation],
    selection: AnalysisFilter,
    unit: Unit,
    roll_up: bool,
    rng: random.Random,
) -> None:
    expected, behind = slow_cooccurrence(passages, selection, unit, roll_up)
    in_order = sorted(passages, key=lambda p: (p.article, p.start, p.end))
    shuffled = passages[:]
    rng.shuffle(shuffled)
    for given_order in (in_order, shuffled):
        found = cooccurrence(given_order, ARTICLES, METAS, selection, unit=unit, roll_up=roll_up)
        assert dict(found.counts) == expected
    for (first, second), ids in behind.items():
        listed = cooccurring_passages(
            shuffled, ARTICLES, METAS, second, first, selection, unit=unit, roll_up=roll_up
        )
        assert {p.id for p in listed} == ids, (first, second)


def slow_cells(
    passages: list[Annotation], selection: AnalysisFilter
) -> dict[tuple[str, str], tuple[int, int]]:
    """(code, article) -> (passages, characters covered)."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    numbers: dict[tuple[str, str], int] = {}
    for p in selection.select(passages, METAS):
        article = ARTICLES.get(p.article)
        for code in counted(p, selection):
            key = (code, p.article)
            numbers[key] = numbers.get(key, 0) + 1
            spans.setdefault(key, [])
            if article is not None and p.anchor != "orphaned":
                length = len(article.text)
                spans[key].append((min(p.start, length), min(p.end, length)))
    return {key: (n, covered_characters(spans[key])) for key, n in numbers.items()}


@settings(max_examples=150, deadline=None)
@given(coding(), st.sampled_from(FILTERS), st.randoms())
def test_matrix_counts_what_the_plain_rule_counts(
    passages: list[Annotation], selection: AnalysisFilter, rng: random.Random
) -> None:
    expected = slow_cells(passages, selection)
    shuffled = [replace(p) for p in passages]
    rng.shuffle(shuffled)
    for given_order in (passages, shuffled):
        matrix = code_matrix(given_order, ARTICLES, METAS, selection)
        found = {
            (code, column.key): (cell.passages, cell.covered)
            for code in matrix.codes
            for column in matrix.columns
            if (cell := matrix.cell(code, column.key)).passages
        }
        assert found == expected
        if not (selection.articles or selection.attributes):  # code and coder filters
            whole = code_matrix(given_order, ARTICLES, METAS)
            assert matrix.total.length == whole.total.length  # never narrow the columns
