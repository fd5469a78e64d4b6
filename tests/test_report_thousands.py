"""Counts of a thousand or more are grouped alike in every view's table and Markdown
(`1,203`, as frequencies and co-occurrence wrote them; the matrix wrote `1203`), and never
in CSV or JSON, which stay plain numbers for programs."""

from __future__ import annotations

import csv
import io
import json

from tui.analysis import tables, view_tables
from tui.analysis.cooccurrence import cooccurrence
from tui.analysis.filters import EVERYTHING
from tui.analysis.frequencies import frequencies
from tui.analysis.matrix import code_matrix
from tui.corpus import clean_bytes
from tui.corpus.model import Article
from tui.store.model import Annotation

# One article of many short sentences, each coded twice over (two codes on one passage).
SENTENCE = "Prices rose again. "
COUNT = 1203


def _coded() -> tuple[list[Annotation], dict[str, Article]]:
    article = clean_bytes(("Markets\n\n" + SENTENCE * COUNT).encode(), "a")
    start = article.text.index(SENTENCE.strip())
    annotations = []
    for number in range(COUNT):
        at = start + number * len(SENTENCE)
        end = at + len(SENTENCE.strip())
        quote = article.text[at:end]
        assert quote == SENTENCE.strip()
        annotations.append(
            Annotation(f"id{number}", "a", at, end, quote, tags=("prices", "economy"), author="al")
        )
    return annotations, {"a": article}


def test_every_view_groups_thousands_in_tables_never_in_data() -> None:
    annotations, articles = _coded()
    matrix = code_matrix(annotations, articles, {}, EVERYTHING)
    bars = frequencies(annotations, articles, {}, EVERYTHING)
    pairs = cooccurrence(annotations, articles, {}, EVERYTHING)
    grouped = f"{COUNT:,}"
    views = {
        "matrix": view_tables.matrix_table(matrix, EVERYTHING),
        "frequencies": view_tables.frequencies_table(bars, EVERYTHING),
        "cooccurrence": view_tables.cooccurrence_table(pairs, EVERYTHING, by="count"),
    }
    for name, table in views.items():
        for text in (tables.as_text(table), tables.as_markdown(table)):
            assert grouped in text, name
            assert str(COUNT) not in text.replace(grouped, ""), name
    rows = list(csv.DictReader(io.StringIO(tables.as_csv(matrix.records()))))
    assert {row["passages"] for row in rows if row["code"] == "prices"} == {str(COUNT)}
    document = json.loads(tables.as_json(view_tables.frequencies_document(bars, EVERYTHING)))
    assert document["passages"] == COUNT
    assert {bar["passages"] for bar in document["bars"]} == {COUNT}
