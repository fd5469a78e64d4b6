"""The analysis views' figures against counts worked out by hand (see analysis_fixture)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_analysis_support import A_ID, B_ID, Coded, build, span_length

from tui.analysis.cooccurrence import cooccurrence, cooccurring_passages
from tui.analysis.counting import codes_counted, covered_characters
from tui.analysis.filters import AnalysisFilter, parse_attribute, resolve_names
from tui.analysis.frequencies import frequencies
from tui.analysis.matrix import code_matrix
from tui.analysis.passages import Selection, passages_for
from tui.errors import UserError
from tui.store.hierarchy import passages_under
from tui.store.model import ArticleMeta


@pytest.fixture
def coded(tmp_path: Path) -> Coded:
    return build(tmp_path)


def test_a_parent_and_its_child_on_one_passage_count_once() -> None:
    assert codes_counted(("Russia/war aims", "Russia")) == ("Russia", "Russia/war aims")
    assert codes_counted(("A/b/c", "A/d")) == ("A", "A/b", "A/b/c", "A/d")


def test_the_rule_gives_the_codebook_tree_counts(coded: Coded) -> None:
    counts: dict[str, int] = {}
    for annotation in coded.annotations:
        for code in codes_counted(annotation.tags):
            counts[code] = counts.get(code, 0) + 1
    assert counts == coded.store.tag_totals()
    assert counts == passages_under(a.tags for a in coded.annotations)


def test_covered_characters_counts_overlaps_once() -> None:
    assert covered_characters([(0, 10), (5, 15), (20, 25), (21, 22)]) == 20
    assert covered_characters([]) == 0


def test_matrix_passages_by_hand(coded: Coded) -> None:
    matrix = code_matrix(coded.annotations, coded.articles, coded.metas)
    passages = {
        (code, column.key): matrix.cell(code, column.key).passages
        for code in matrix.codes
        for column in matrix.columns
    }
    assert matrix.codes == ("economy", "Russia", "Russia/war aims", "sanctions")
    assert passages == {
        ("economy", A_ID): 0,
        ("economy", B_ID): 1,  # B4
        ("Russia", A_ID): 2,  # A1 (via war aims), A2
        ("Russia", B_ID): 1,  # B2 once, though it carries the parent and the child
        ("Russia/war aims", A_ID): 1,
        ("Russia/war aims", B_ID): 1,
        ("sanctions", A_ID): 3,  # A2, A3, B1
        ("sanctions", B_ID): 1,
    }
    assert {code: matrix.row_totals[code].passages for code in matrix.codes} == {
        "economy": 1,
        "Russia": 3,
        "Russia/war aims": 2,
        "sanctions": 4,
    }
    # Column totals: distinct coded passages (the note-only one is not coded).
    assert matrix.column_totals[A_ID].passages == 4
    assert matrix.column_totals[B_ID].passages == 3
    assert matrix.total.passages == 7


def test_matrix_coverage_by_hand(coded: Coded) -> None:
    a, b = coded.articles[A_ID], coded.articles[B_ID]
    s1, s4 = a.sentences[1], a.sentences[4]
    t1 = b.sentences[1]
    matrix = code_matrix(coded.annotations, coded.articles, coded.metas)
    # Russia in A: A1 is s1, A2 lies inside s1: s1 once.
    russia_a = matrix.cell("Russia", A_ID)
    assert (russia_a.covered, russia_a.length) == (span_length(s1), len(a.text))
    assert russia_a.coverage == round(100 * span_length(s1) / len(a.text), 1)
    # sanctions in A: A2 (in s1), B1 (s1), A3 (s4).
    assert matrix.cell("sanctions", A_ID).covered == span_length(s1) + span_length(s4)
    assert matrix.column_totals[A_ID].covered == span_length(s1) + span_length(s4)
    row = matrix.row_totals["Russia"]
    assert (row.covered, row.length) == (
        span_length(s1) + span_length(t1),
        len(a.text) + len(b.text),
    )


def test_matrix_filters(coded: Coded) -> None:
    alice = code_matrix(
        coded.annotations, coded.articles, coded.metas, AnalysisFilter(coders=("alice",))
    )
    assert alice.cell("Russia", A_ID).passages == 2
    assert alice.cell("sanctions", A_ID).passages == 2  # A2, A3
    # A code or coder filter never narrows the columns: alice coded nothing in B (a note
    # only), yet B stays, so a code's total coverage is over the same characters.
    everything = code_matrix(coded.annotations, coded.articles, coded.metas)
    assert [c.key for c in alice.columns] == [A_ID, B_ID]
    assert alice.cell("sanctions", B_ID).passages == 0
    assert alice.total.length == everything.total.length
    russia = code_matrix(
        coded.annotations, coded.articles, coded.metas, AnalysisFilter(tags=("Russia",))
    )
    assert russia.codes == ("Russia", "Russia/war aims")
    assert russia.column_totals[A_ID].passages == 2  # A1, A2 (B1 carries no Russia)
    assert russia.row_totals["Russia"] == everything.row_totals["Russia"]
    assert russia.row_totals["Russia"].length == len(coded.articles[A_ID].text) + len(
        coded.articles[B_ID].text
    )
    times = code_matrix(
        coded.annotations,
        coded.articles,
        coded.metas,
        AnalysisFilter(attributes=(("outlet", "Times"),)),
    )
    assert [c.key for c in times.columns] == [B_ID]
    assert times.total.passages == 3


def test_matrix_grouped_by_attribute(coded: Coded) -> None:
    a, b = coded.articles[A_ID], coded.articles[B_ID]
    grouped = code_matrix(coded.annotations, coded.articles, coded.metas, group_by="outlet")
    assert [c.key for c in grouped.columns] == ["Guardian", "Times"]
    assert grouped.cell("sanctions", "Guardian").passages == 3
    both = code_matrix(coded.annotations, coded.articles, coded.metas, group_by="country")
    assert [c.key for c in both.columns] == ["UK"]
    cell = both.cell("Russia", "UK")
    s1, t1 = a.sentences[1], b.sentences[1]
    assert (cell.passages, cell.covered) == (3, span_length(s1) + span_length(t1))
    assert cell.length == len(a.text) + len(b.text)


def test_matrix_sorting(coded: Coded) -> None:
    matrix = code_matrix(coded.annotations, coded.articles, coded.metas)
    assert matrix.sort_rows("total").codes == ("sanctions", "Russia", "Russia/war aims", "economy")
    by_b = matrix.sort_rows(B_ID)
    assert [by_b.cell(c, B_ID).passages for c in by_b.codes] == [1, 1, 1, 1]
    by_a = matrix.sort_rows(A_ID)
    assert [by_a.cell(c, A_ID).passages for c in by_a.codes] == [3, 2, 1, 0]
    assert matrix.sort_columns("total").columns[0].key == A_ID
    with pytest.raises(KeyError):
        matrix.sort_rows("no such column")


def test_cooccurrence_by_passage(coded: Coded) -> None:
    found = cooccurrence(coded.annotations, coded.articles, coded.metas)
    # A: A2 alone (Russia+sanctions); A1-A2 overlap (alice's). A1-B1 and A2-B1 overlap too,
    # but B1 is bob's: two coders' codes on the same words are agreement, not co-occurrence.
    # B: B2-B4, B3-B4 (all bob's).
    assert dict(found.counts) == {
        ("Russia", "sanctions"): 2,
        ("Russia/war aims", "sanctions"): 1,
        ("economy", "Russia"): 1,
        ("economy", "Russia/war aims"): 1,
        ("economy", "sanctions"): 1,
    }
    assert found.count("sanctions", "Russia") == 2
    bobs = cooccurrence(coded.annotations, coded.articles, coded.metas, AnalysisFilter(("bob",)))
    alices = cooccurrence(
        coded.annotations, coded.articles, coded.metas, AnalysisFilter(("alice",))
    )
    everyone = Counter(bobs.counts) + Counter(alices.counts)
    assert dict(found.counts) == dict(everyone)  # the coders' counts, added up


def test_cooccurrence_as_tagged_has_no_row_restating_a_parent(coded: Coded) -> None:
    """As tagged, A1 (Russia/war aims) meeting A2 (Russia, sanctions) is war aims x sanctions
    only: rolled up it also made Russia x sanctions, the same meeting one level up."""
    found = cooccurrence(coded.annotations, coded.articles, coded.metas, roll_up=False)
    assert dict(found.counts) == {
        ("Russia", "sanctions"): 1,  # A2 alone
        ("Russia/war aims", "sanctions"): 1,  # A1-A2
        ("economy", "Russia"): 1,  # B2 (tagged Russia too) with B4
        ("economy", "Russia/war aims"): 1,
        ("economy", "sanctions"): 1,  # B3-B4
    }
    behind = cooccurring_passages(
        coded.annotations, coded.articles, coded.metas, "Russia", "sanctions", roll_up=False
    )
    assert {a.id for a in behind} == coded.ids("A2")


def test_cooccurrence_by_sentence_and_paragraph(coded: Coded) -> None:
    sentence = cooccurrence(coded.annotations, coded.articles, coded.metas, unit="sentence")
    assert dict(sentence.counts) == {
        ("Russia", "sanctions"): 1,  # A s1
        ("Russia/war aims", "sanctions"): 1,
        ("economy", "Russia"): 1,  # B t1
        ("economy", "Russia/war aims"): 1,
        ("economy", "sanctions"): 1,  # B t2
    }
    paragraph = cooccurrence(coded.annotations, coded.articles, coded.metas, unit="paragraph")
    assert dict(paragraph.counts) == {
        ("Russia", "sanctions"): 2,  # A's paragraph 2, B's only paragraph
        ("Russia/war aims", "sanctions"): 2,
        ("economy", "Russia"): 1,
        ("economy", "Russia/war aims"): 1,
        ("economy", "sanctions"): 1,
    }


def test_cooccurrence_for_one_coder(coded: Coded) -> None:
    found = cooccurrence(
        coded.annotations, coded.articles, coded.metas, AnalysisFilter(coders=("alice",))
    )
    # A2 alone, and A1-A2: (Russia, sanctions) twice; (war aims, sanctions) once.
    assert dict(found.counts) == {("Russia", "sanctions"): 2, ("Russia/war aims", "sanctions"): 1}


def test_frequencies_by_hand(coded: Coded) -> None:
    def bars(by: str) -> dict[str, int]:
        found = frequencies(coded.annotations, coded.articles, coded.metas, by=by)
        return {bar.key: bar.count for bar in found.bars}

    assert bars("code") == {"Russia": 3, "Russia/war aims": 2, "sanctions": 4, "economy": 1}
    assert bars("article") == {A_ID: 4, B_ID: 3}
    assert bars("coder") == {"alice": 3, "bob": 4}
    assert bars("outlet") == {"Guardian": 4, "Times": 3}
    assert bars("stance") == {"(none)": 7}
    found = frequencies(coded.annotations, coded.articles, coded.metas)
    assert found.bars[0].key == "sanctions"  # largest first
    assert found.passages == 7


def test_drilling_down_lists_the_passages_counted(coded: Coded) -> None:
    everything = AnalysisFilter()

    def ids(chosen: Selection, selection: AnalysisFilter = everything) -> set[str]:
        return {a.id for a in passages_for(coded.annotations, coded.metas, selection, chosen)}

    assert ids(Selection("Russia", "article", A_ID)) == coded.ids("A1", "A2")
    assert ids(Selection("Russia")) == coded.ids("A1", "A2", "B2")
    assert ids(Selection(None, "article", B_ID)) == coded.ids("B2", "B3", "B4")
    assert ids(Selection(None, "outlet", "Guardian")) == coded.ids("A1", "A2", "A3", "B1")
    assert ids(Selection("sanctions", "coder", "alice")) == coded.ids("A2", "A3")
    pair = cooccurring_passages(coded.annotations, coded.articles, coded.metas, "Russia", "economy")
    assert {a.id for a in pair} == coded.ids("B2", "B4")
    in_sentence = cooccurring_passages(
        coded.annotations, coded.articles, coded.metas, "economy", "sanctions", unit="sentence"
    )
    assert {a.id for a in in_sentence} == coded.ids("B3", "B4")


def test_a_passage_whose_article_is_unknown_counts_without_coverage(coded: Coded) -> None:
    matrix = code_matrix(coded.annotations, {A_ID: coded.articles[A_ID]}, coded.metas)
    cell = matrix.cell("sanctions", B_ID)
    assert (cell.passages, cell.coverage) == (1, None)


def test_parse_attribute() -> None:
    assert parse_attribute("outlet = The Guardian") == ("outlet", "The Guardian")
    assert parse_attribute("stance=") == ("stance", "")
    with pytest.raises(UserError):
        parse_attribute("outlet")


def test_the_screens_filter_line() -> None:
    from tui.analysis.filters import parse_filter_words

    parsed = parse_filter_words(
        '@alice coder:bob #"Russia/war aims" tag:China article:000 outlet=Guardian'
    )
    assert parsed.coders == ("alice", "bob")
    assert parsed.tags == ("Russia/war aims", "China")
    assert parsed.articles == ("000",)
    assert parsed.attributes == (("outlet", "Guardian"),)
    assert parse_filter_words('"outlet=Le Monde"').attributes == (("outlet", "Le Monde"),)
    assert parse_filter_words("").is_empty
    for bad in ("outlet=Le Monde", "#", '"unclosed'):  # unquoted, "Monde" is a word alone
        with pytest.raises(UserError):
            parse_filter_words(bad)


def test_the_collector_pause_restores_what_it_found() -> None:
    import gc

    from tui.analysis.counting import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a view failed")
    assert gc.isenabled()  # back on after an error
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()


def test_filter_names_resolve_to_the_codes_and_coders_there_are() -> None:
    codes = {"Russia/war aims", "Russia/economy", "sanctions", "China/war aims", "EU/trade"}
    coders = {"alice", "bob"}

    def resolved(**wanted: tuple[str, ...]) -> AnalysisFilter:
        return resolve_names(AnalysisFilter(**wanted), coders=coders, codes=codes)

    assert resolved(tags=("SANCTIONS", "russia/")).tags == ("sanctions", "Russia")
    assert resolved(tags=("economy",)).tags == ("Russia/economy",)  # the end of one path
    assert resolved(tags=("trade",), coders=("Alice",)) == AnalysisFilter(
        coders=("alice",), tags=("EU/trade",)
    )
    with pytest.raises(UserError, match="could be China/war aims, Russia/war aims"):
        resolved(tags=("war aims",))  # the end of two: which one is not guessed
    with pytest.raises(UserError, match="did you mean sanctions"):
        resolved(tags=("sanctons",))
    with pytest.raises(UserError, match=r"no coder 'nobdy' .*known: alice, bob"):
        resolved(coders=("nobdy",))
    metas = {
        "a": ArticleMeta("a", attributes={"outlet": "TASS", "stance": "pro"}),
        "b": ArticleMeta("b", attributes={"outlet": "Guardian"}),
    }
    taken = resolve_names(
        AnalysisFilter(attributes=(("Outlet", "tass"), ("stance", "pro"))),
        coders=coders,
        codes=codes,
        metas=metas,
    )
    assert taken.attributes == (("outlet", "TASS"), ("stance", "pro"))
    for wrong, said in (("outlt", "did you mean outlet"), ("country", "known: outlet, stance")):
        with pytest.raises(UserError, match=said):
            resolve_names(
                AnalysisFilter(attributes=((wrong, "TASS"),)), coders=(), codes=(), metas=metas
            )
    with pytest.raises(UserError, match=r"no outlet value 'Times' .*known: Guardian, TASS"):
        resolve_names(
            AnalysisFilter(attributes=(("outlet", "Times"),)), coders=(), codes=(), metas=metas
        )
