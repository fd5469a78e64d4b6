"""Inter-coder agreement (issue 16): alpha against the `krippendorff` package and the worked
examples of Krippendorff (2011), kappa against a case counted by hand, and the units (sentence,
character, missing coders, children, uncoded text) against a plain unit-by-unit enumeration."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest

from tui.analysis.agreement import Figures, count_units, measure_agreement, reliability_rows
from tui.analysis.agreement_stats import cohen_kappa, matrix_alpha, percent_agreement
from tui.analysis.agreement_stats import patterns_of_matrix as patterns
from tui.corpus.model import Article, Block
from tui.store.hierarchy import is_within
from tui.store.model import Annotation

NAN = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal data,
# 4 observers, 12 units, missing data ("." in the paper). Alpha = 0.743.
PAPER_NOMINAL = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
# Section A: binary data, two observers, no missing data. Alpha = 0.095.
PAPER_BINARY = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def package_alpha(rows: list[list[int | None]]) -> float:
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_the_papers_nominal_example_with_four_coders_and_missing_data() -> None:
    ours = matrix_alpha(PAPER_NOMINAL)
    assert ours is not None and round(ours, 3) == 0.743
    assert ours == pytest.approx(package_alpha(PAPER_NOMINAL), abs=1e-12)


def test_the_papers_binary_example_with_two_coders() -> None:
    ours = matrix_alpha(PAPER_BINARY)
    assert ours is not None and round(ours, 3) == 0.095
    assert ours == pytest.approx(package_alpha(PAPER_BINARY), abs=1e-12)


@pytest.mark.parametrize("seed", range(25))
def test_alpha_equals_the_package_on_generated_data_with_missing_values(seed: int) -> None:
    rng = random.Random(seed)
    coders, units, values = rng.randint(2, 6), rng.randint(5, 80), rng.randint(2, 5)
    missing = rng.choice([0.0, 0.2, 0.5])
    rows = [
        [None if rng.random() < missing else rng.randrange(values) for _ in range(units)]
        for _ in range(coders)
    ]
    pairable = [col for col in zip(*rows, strict=True) if sum(v is not None for v in col) >= 2]
    if len({v for col in pairable for v in col if v is not None}) < 2:
        assert matrix_alpha(rows) is None  # no variation: alpha is undefined, not 1 or 0
        return
    assert matrix_alpha(rows) == pytest.approx(package_alpha(rows), abs=1e-9)


def test_alpha_is_undefined_when_everyone_gave_one_value() -> None:
    assert matrix_alpha([[1, 1, 1], [1, 1, 1]]) is None
    assert matrix_alpha([[1, None], [None, 2]]) is None  # no unit has two values to pair


def test_kappa_against_a_table_counted_by_hand() -> None:
    # 50 units: both yes 20, A only 5, B only 10, both no 15.
    # observed = (20 + 15) / 50 = 0.7; A says yes 25/50, B 30/50;
    # chance = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    table = {(1, 1): 20, (1, 0): 5, (0, 1): 10, (0, 0): 15}
    kappa = cohen_kappa(table)
    assert kappa == pytest.approx(0.4)
    assert cohen_kappa({(1, 1): 3}) is None  # chance agreement already total
    assert cohen_kappa({}) is None


def test_percent_agreement_counts_units_where_every_coder_agrees() -> None:
    rows = [[1, 1, 0, None], [1, 0, 0, 1], [1, None, 0, None]]
    # Pairable units: 1 (all 1), 2 (1 vs 0), 3 (all 0); unit 4 has one coder.
    assert percent_agreement(patterns(rows)) == pytest.approx(200 / 3)


# -- units from annotations ---------------------------------------------------------------------

SENTENCES = [
    "Putin still seeks to strip Ukraine of its sovereignty.",
    "The Kremlin has not changed its war aims since 2022.",
    "Sanctions have not forced a change of course in Moscow.",
    "Beijing buys oil and sells machine tools to Russia.",
    "Europe debates how long it can keep paying for the war.",
    "Washington wants a ceasefire before the winter.",
]


def make_article(article_id: str, sentences: list[str]) -> Article:
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences:
        spans.append((position, position + len(sentence)))
        position += len(sentence) + 1
    text = " ".join(sentences)
    return Article(
        id=article_id,
        title=article_id,
        text=text,
        blocks=(Block("paragraph", 0, len(text)),),
        sentences=tuple(spans),
        words=(),
        report=(),
    )


def note(article: Article, author: str, start: int, end: int, *tags: str) -> Annotation:
    return Annotation(
        id=f"{author}-{article.id}-{start}-{end}-{'+'.join(tags)}",
        article=article.id,
        start=start,
        end=end,
        quote=article.text[start:end],
        tags=tags,
        author=author,
    )


def naive_rows(
    articles: list[Article],
    annotations: list[Annotation],
    coders: list[str],
    tags: list[str],
    unit: str,
    *,
    coded_only: bool = False,
) -> list[list[int | None]]:
    """The reliability matrix built unit by unit, the slow obvious way."""
    rows: list[list[int | None]] = [[] for _ in coders]
    for article in articles:
        mine = [a for a in annotations if a.article == article.id and a.anchor != "orphaned"]
        present = {a.author for a in mine} & set(coders)
        if len(present) < 2:
            continue
        spans = (
            list(article.sentences)
            if unit == "sentence"
            else [(i, i + 1) for i in range(len(article.text))]
        )
        for tag in tags:
            for start, end in spans:
                column = []
                for coder in coders:
                    if coder not in present:
                        column.append(None)
                        continue
                    yes = any(
                        a.author == coder
                        and a.start < end
                        and start < a.end
                        and any(is_within(name, tag) for name in a.tags)
                        for a in mine
                    )
                    column.append(int(yes))
                if coded_only and not any(column):
                    continue
                for row, value in zip(rows, column, strict=True):
                    row.append(value)
    return rows


def random_coding(seed: int) -> tuple[list[Article], list[Annotation], list[str]]:
    rng = random.Random(seed)
    coders = ["alice", "bob", "carol"]
    tags = ["Russia", "Russia/war aims", "China", "Economy"]
    articles = [
        make_article(f"{n:03d}_art", rng.sample(SENTENCES, rng.randint(3, 6))) for n in range(4)
    ]
    annotations = []
    for article in articles:
        for coder in rng.sample(coders, rng.randint(1, 3)):
            for _ in range(rng.randint(1, 4)):
                start = rng.randrange(len(article.text) - 10)
                end = min(len(article.text), start + rng.randint(5, 120))
                names = tuple(rng.sample(tags, rng.randint(1, 2)))
                annotations.append(note(article, coder, start, end, *names))
    return articles, annotations, coders


@pytest.mark.parametrize("unit", ["sentence", "char"])
@pytest.mark.parametrize("seed", range(8))
def test_counted_units_match_a_unit_by_unit_enumeration(unit: str, seed: int) -> None:
    articles, annotations, coders = random_coding(seed)
    tags = ["Russia", "China", "Economy"]
    report = measure_agreement(articles, annotations, coders, tags, unit)  # type: ignore[arg-type]
    for coded_only in (False, True):
        rows = naive_rows(articles, annotations, coders, tags, unit, coded_only=coded_only)
        figures = report.overall.coded_units if coded_only else report.overall.all_units
        assert_figures_of(rows, figures)


def assert_figures_of(rows: list[list[int | None]], figures: Figures) -> None:
    """`figures` are those of the reliability matrix `rows`: units, percent and alpha (ours
    on the matrix, and the package's)."""
    expected = matrix_alpha(rows)
    if expected is None:
        assert figures.alpha is None
    else:
        assert figures.alpha == pytest.approx(expected, abs=1e-9)
        assert figures.alpha == pytest.approx(package_alpha(rows), abs=1e-9)
    assert figures.percent == pytest.approx(percent_agreement(patterns(rows)))
    pairable = sum(1 for col in zip(*rows, strict=True) if sum(v is not None for v in col) >= 2)
    assert figures.units == pairable


def test_two_coders_get_kappa_over_the_units_both_coded() -> None:
    articles, annotations, _ = random_coding(3)
    coders = ["alice", "bob"]
    report = measure_agreement(articles, annotations, coders, ["Russia"], "sentence")
    rows = naive_rows(articles, annotations, coders, ["Russia"], "sentence")
    table: dict[tuple[int, int], int] = {}
    for a, b in zip(*rows, strict=True):
        if a is not None and b is not None:
            table[a, b] = table.get((a, b), 0) + 1
    expected = cohen_kappa(table)
    assert report.tags[0].all_units.kappa == (
        pytest.approx(expected) if expected is not None else None
    )
    three = measure_agreement(articles, annotations, [*coders, "carol"], ["Russia"])
    assert three.tags[0].all_units.kappa is None  # kappa is for two coders


def test_a_tag_includes_its_children_and_uncoded_sentences_are_reported_apart() -> None:
    article = make_article("000_a", SENTENCES)
    first, second = article.sentences[0], article.sentences[1]
    annotations = [
        note(article, "alice", first[0], first[1], "Russia/war aims"),
        note(article, "bob", first[0] + 6, first[0] + 20, "Russia"),
        note(article, "bob", second[0], second[1], "Russia"),
    ]
    report = measure_agreement([article], annotations, ["alice", "bob"], ["Russia"])
    figures = report.tags[0]
    # Six sentences: both coded the first, bob alone the second, nobody the other four.
    assert (figures.all_units.units, figures.coded_units.units) == (6, 2)
    assert figures.all_units.percent == pytest.approx(500 / 6)
    assert figures.coded_units.percent == pytest.approx(50.0)
    assert figures.all_units.kappa is not None and figures.coded_units.kappa is not None
    assert figures.all_units.kappa > figures.coded_units.kappa  # uncoded text inflates it


def test_a_coder_with_nothing_in_an_article_is_missing_there_not_saying_no() -> None:
    coded = make_article("000_a", SENTENCES)
    alone = make_article("001_b", SENTENCES[:3])
    annotations = [
        note(coded, "alice", 0, 10, "Russia"),
        note(coded, "bob", 0, 10, "Russia"),
        note(alone, "alice", 0, 10, "Russia"),  # bob never coded this article
    ]
    report = measure_agreement([coded, alone], annotations, ["alice", "bob"], ["Russia"])
    assert report.counts.articles == ("000_a",) and report.counts.unpaired == ("001_b",)
    assert report.tags[0].all_units.units == len(SENTENCES)
    assert report.tags[0].all_units.percent == 100.0


def test_orphaned_annotations_and_other_coders_are_left_out() -> None:
    from dataclasses import replace

    article = make_article("000_a", SENTENCES)
    annotations = [
        note(article, "alice", 0, 10, "Russia"),
        note(article, "bob", 0, 10, "Russia"),
        replace(note(article, "bob", 60, 90, "Russia"), anchor="orphaned"),
        note(article, "mallory", 60, 90, "Russia"),
    ]
    counts = count_units([article], annotations, ["alice", "bob"], ["Russia"])
    rows = reliability_rows(counts.overall, 2)
    assert sorted(zip(*rows, strict=True)) == sorted([(1, 1)] + [(0, 0)] * 5)


def test_characters_are_units_of_their_own() -> None:
    article = make_article("000_a", SENTENCES[:2])
    annotations = [
        note(article, "alice", 0, 20, "Russia"),
        note(article, "alice", 10, 30, "Russia"),  # overlaps her own: each character once
        note(article, "bob", 15, 40, "Russia"),
    ]
    report = measure_agreement([article], annotations, ["alice", "bob"], ["Russia"], "char")
    figures = report.tags[0]
    assert figures.all_units.units == len(article.text)
    assert figures.coded_units.units == 40  # characters 0-40: someone coded each
    assert figures.coded_units.percent == pytest.approx(100 * 15 / 40)  # 15-30 both


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        measure_agreement([], [], ["a", "b"], ["t"], "word")  # type: ignore[arg-type]


def test_figures_are_finite_numbers_or_none() -> None:
    articles, annotations, coders = random_coding(5)
    report = measure_agreement(articles, annotations, coders, ["Russia", "China"])
    for row in (*report.tags, report.overall):
        for figures in (row.all_units, row.coded_units):
            for value in (figures.percent, figures.alpha):
                assert value is None or math.isfinite(value)
