"""The overall ("all tags") agreement row with nested tags: each unit once per code, a coded
passage under its most specific chosen tag only, never under its parent as well. Checked on a
case worked by hand, against the `krippendorff` package on the same reliability matrix, and
against a unit-by-unit enumeration on generated coding."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_agreement import (
    SENTENCES,
    assert_figures_of,
    make_article,
    naive_rows,
    note,
    package_alpha,
    random_coding,
)

from tui.analysis.agreement import Unit, count_units, measure_agreement, reliability_rows
from tui.corpus.model import Article
from tui.store.hierarchy import is_within
from tui.store.model import Annotation

NESTED = ["Russia", "Russia/war aims"]


def hand_worked() -> tuple[list[Article], list[Annotation]]:
    article = make_article("000_a", SENTENCES[:4])
    s = article.sentences
    annotations = [
        note(article, "alice", *s[0], "Russia"),
        note(article, "bob", *s[0], "Russia"),
        note(article, "alice", *s[1], "Russia/war aims"),
        note(article, "bob", *s[1], "Russia/war aims"),
        note(article, "alice", *s[2], "Russia/war aims"),
        note(article, "bob", *s[2], "Russia"),
    ]
    return [article], annotations


def test_the_overall_row_counts_a_child_once_worked_by_hand() -> None:
    """Four sentences s0-s3, alice and bob, tags Russia and Russia/war aims (W):
    s0 both Russia; s1 both W; s2 alice W, bob Russia; s3 nobody.

    Overall codes: "Russia" (itself) and W, 4 sentences each = 8 units:
      Russia: s0 yes/yes, s1 no/no, s2 no/yes, s3 no/no
      W:      s0 no/no,   s1 yes/yes, s2 yes/no, s3 no/no
    Both yes 2, both no 4, split 2: agreement 6/8 = 75%.
    alpha: n = 16 values; o(yes,yes) = 2*2 = 4, o(no,no) = 4*2 = 8, o(yes,no) = o(no,yes) = 2;
      n_yes = 6, n_no = 10; expected = 16^2 - 6^2 - 10^2 = 120; observed disagreement = 4;
      alpha = 1 - (16 - 1) * 4 / 120 = 0.5.
    kappa: 8 units, alice yes 3, bob yes 3; p_o = 6/8; p_e = (3*3 + 5*5) / 64 = 34/64;
      kappa = (48/64 - 34/64) / (30/64) = 14/30 = 7/15.
    Coded units only (drop the 4 both-no): 4 units, 2 agree: 50%; n = 8, o(yes,yes) = 4,
      o(yes,no) = o(no,yes) = 2, n_yes = 6, n_no = 2, expected = 64 - 36 - 4 = 24;
      alpha = 1 - 7 * 4 / 24 = -1/6; kappa: p_o = 1/2, p_e = (3*3 + 1*1) / 16 = 10/16,
      kappa = (8/16 - 10/16) / (6/16) = -1/3.
    (Counting s0-s2 under Russia as well, as the row once did, gives 7/8 agreement.)
    """
    articles, annotations = hand_worked()
    report = measure_agreement(articles, annotations, ["alice", "bob"], NESTED)
    overall = report.overall
    assert overall.all_units.units == 8
    assert overall.all_units.percent == pytest.approx(75.0)
    assert overall.all_units.alpha == pytest.approx(0.5)
    assert overall.all_units.kappa == pytest.approx(7 / 15)
    assert overall.coded_units.units == 4
    assert overall.coded_units.percent == pytest.approx(50.0)
    assert overall.coded_units.alpha == pytest.approx(-1 / 6)
    assert overall.coded_units.kappa == pytest.approx(-1 / 3)
    # The per-tag rows still include children: on Russia (with W) the two always agree.
    russia, war_aims = report.tags
    assert (russia.tag, russia.all_units.percent, russia.all_units.alpha) == ("Russia", 100.0, 1.0)
    assert war_aims.all_units.percent == pytest.approx(75.0)


def test_the_overall_matrix_is_the_one_the_package_gets_the_same_alpha_from() -> None:
    articles, annotations = hand_worked()
    # The matrix written by hand from the docstring above: Russia's four units, then W's.
    by_hand: list[list[int | None]] = [[1, 0, 0, 0, 0, 1, 1, 0], [1, 0, 1, 0, 0, 1, 0, 0]]
    counts = count_units(articles, annotations, ["alice", "bob"], NESTED)
    ours = sorted(zip(*reliability_rows(counts.overall, 2), strict=True))
    assert ours == sorted(zip(*by_hand, strict=True))
    assert package_alpha(by_hand) == pytest.approx(0.5)
    report = measure_agreement(articles, annotations, ["alice", "bob"], NESTED)
    assert report.overall.all_units.alpha == pytest.approx(package_alpha(by_hand), abs=1e-12)


def test_only_top_level_tags_measure_agreement_on_top_level_codes() -> None:
    articles, annotations = hand_worked()
    top = measure_agreement(articles, annotations, ["alice", "bob"], ["Russia"])
    # s0-s2 are Russia for both (W is below Russia), s3 for neither: perfect agreement.
    assert (top.overall.all_units.units, top.overall.all_units.percent) == (4, 100.0)
    twice = measure_agreement(articles, annotations, ["alice", "bob"], ["Russia", "Russia"])
    assert twice.overall == top.overall and len(twice.tags) == 1  # a tag named twice counts once


def finest_rows(
    articles: list[Article],
    annotations: list[Annotation],
    coders: list[str],
    tags: list[str],
    unit: Unit,
    *,
    coded_only: bool = False,
) -> list[list[int | None]]:
    """The overall matrix unit by unit: each tag's own units, where a name counts under the
    longest chosen tag that holds it (the slow obvious way)."""
    rows: list[list[int | None]] = [[] for _ in coders]
    for tag in tags:
        below = [other for other in tags if other != tag and is_within(other, tag)]

        def own(name: str, tag: str = tag, below: list[str] = below) -> bool:
            return is_within(name, tag) and not any(is_within(name, b) for b in below)

        renamed = [
            replace(a, tags=tuple(f"{tag}#own" for name in a.tags if own(name)))
            for a in annotations
        ]
        for row, extra in zip(
            rows,
            naive_rows(articles, renamed, coders, [f"{tag}#own"], unit, coded_only=coded_only),
            strict=True,
        ):
            row.extend(extra)
    return rows


@pytest.mark.parametrize("unit", ["sentence", "char"])
@pytest.mark.parametrize("seed", range(8))
def test_the_overall_row_matches_an_enumeration_with_nested_tags(unit: Unit, seed: int) -> None:
    articles, annotations, coders = random_coding(seed)
    tags = ["Russia", "Russia/war aims", "China", "Economy"]
    report = measure_agreement(articles, annotations, coders, tags, unit)
    for coded_only, figures in (
        (False, report.overall.all_units),
        (True, report.overall.coded_units),
    ):
        rows = finest_rows(articles, annotations, coders, tags, unit, coded_only=coded_only)
        assert_figures_of(rows, figures)
