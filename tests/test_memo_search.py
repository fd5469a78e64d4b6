"""`tui.store.memo_search`: the one rule the CLI and the reader's corpus search use to find a
query in memos (issue 17)."""

from __future__ import annotations

from tui.corpus.search import compile_query
from tui.store.memo_search import MemoHit, MemoSkipped, search_memos
from tui.store.model import Memo

ON_ARTICLE = Memo("m1", "001", "Why does Zelensky echo Trump? ZELENSKY\u2019s \u201cdeal\u201d.")
ON_PROJECT = Memo("m2", "", "Codebook v2: Zelensky-framing split in two.", "bob")
ELSEWHERE = Memo("m3", "002", "Nothing to see here.", "ana")
MEMOS = [ON_ARTICLE, ON_PROJECT, ELSEWHERE]


def spans(found: list[MemoHit | MemoSkipped]) -> list[tuple[str, int, int]]:
    return [(h.memo.id, h.start, h.end) for h in found if isinstance(h, MemoHit)]


def test_words_fold_case_and_quotes_in_every_memo_in_turn() -> None:
    found = list(search_memos(MEMOS, compile_query("zelensky")))
    text = ON_ARTICLE.text
    first, second = text.index("Zelensky"), text.index("ZELENSKY")
    project = ON_PROJECT.text.index("Zelensky")
    assert spans(found) == [("m1", first, first + 8), ("m1", second, second + 8),
                            ("m2", project, project + 8)]  # fmt: skip
    quoted = list(search_memos(MEMOS, compile_query('"deal"')))  # straight quotes find curly
    assert [h.match for h in quoted if isinstance(h, MemoHit)] == ["\u201cdeal\u201d"]


def test_a_hit_carries_its_memo_and_the_text_around_it() -> None:
    [hit] = search_memos([ON_PROJECT], compile_query("split"), context=10)
    assert isinstance(hit, MemoHit)
    assert hit.memo is ON_PROJECT
    start = ON_PROJECT.text.index("split")
    assert (hit.start, hit.end, hit.match) == (start, start + 5, "split")
    assert hit.before == ON_PROJECT.text[start - 10 : start] == "y-framing "
    assert hit.after == ON_PROJECT.text[start + 5 : start + 15] == " in two."


def test_articles_limit_the_memos_and_leave_the_project_out() -> None:
    query = compile_query("e")
    assert {h[0] for h in spans(list(search_memos(MEMOS, query)))} == {"m1", "m2", "m3"}
    only = list(search_memos(MEMOS, query, articles=["001"]))
    assert {h[0] for h in spans(only)} == {"m1"}
    assert list(search_memos(MEMOS, query, articles=[])) == []


def test_a_regex_over_its_budget_skips_the_whole_memo() -> None:
    slow = Memo("slow", "", "x" * 3000 + " y" + " end.", "ana")
    query = compile_query(r"(x+x+)+z|y", is_regex=True)
    found = list(search_memos([slow, ON_ARTICLE], query, budget=0.05))
    assert found[0] == MemoSkipped(slow, "pattern took too long; skipped")
    assert not any(isinstance(h, MemoHit) and h.memo is slow for h in found)  # not even " y"
    assert len(found) > 1 and all(isinstance(h, MemoHit) for h in found[1:])  # the next memo
