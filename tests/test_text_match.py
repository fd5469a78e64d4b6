"""Typed text finds printed text: straight for curly quotes and dashes, any case."""

from __future__ import annotations

import pytest

from tui.text_match import fold, search_pattern

PRINTED = "Putin’s “special operation” of 2022–23 — ‘limited’, he said. STRASSE"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("putin's", ["Putin’s"]),
        ('"special operation"', ["“special operation”"]),
        ("2022-23", ["2022–23"]),
        ("'limited'", ["‘limited’"]),
        ("strasse", ["STRASSE"]),
        ("[a-z]", []),  # typed text, never a regular expression
    ],
)
def test_a_search_finds_the_printed_form_at_its_own_offsets(typed: str, found: list[str]) -> None:
    assert [PRINTED[m.start() : m.end()] for m in search_pattern(typed).finditer(PRINTED)] == found


def test_fold_compares_typed_and_printed_alike() -> None:
    assert fold("Putin’s “War” 2022–23 −5") == fold('putin\'s "war" 2022-23 -5')


@pytest.mark.parametrize("typed", ["putin's", "2022-23", "strasse", "STRASSE", "-", "’"])
def test_the_list_filter_and_the_reader_search_find_the_same(typed: str) -> None:
    """`list --text` and the annotations filter compare folded text; `/` uses the pattern."""
    assert (fold(typed) in fold(PRINTED)) == bool(search_pattern(typed).search(PRINTED))
