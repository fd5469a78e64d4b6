"""Our exports read back with the receiving tools' own rules (issue 13): ruamel.yaml (YAML 1.2),
the W3C test suite's collection and page schemas, REFI-QDA with unique code names, Hypothesis."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_export_support import annotated_store

from tui.errors import UserError
from tui.export.excerpts import store_excerpts, used_tags
from tui.export.parse import read_import
from tui.export.yaml_format import to_yaml

ruamel_yaml = pytest.importorskip("ruamel.yaml")  # the `test` extra; a consumer, not a runtime dep
EXPORTED = "2026-11-21T12:00:00Z"


# -- YAML 1.2 (ruamel.yaml) -------------------------------------------------------------------


def test_yaml_loaded_and_dumped_by_ruamel_imports_the_same_work(tmp_path: Path) -> None:
    """Issue 13.5: ruamel writes `yes` and `off` plain (strings in YAML 1.2); we read 1.2."""
    store, articles = annotated_store(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    ours = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED)
    rt = ruamel_yaml.YAML()  # round-trip mode, YAML 1.2, as a researcher's script would use it
    document = rt.load(ours)
    document["articles"][0]["excerpts"][0]["tags"].append("off")
    buffer = io.StringIO()
    rt.dump(document, buffer)
    theirs = buffer.getvalue()
    assert "yes]" in theirs or "yes," in theirs or "- yes" in theirs  # written plain by ruamel
    path = tmp_path / "ruamel.yaml"
    path.write_text(theirs, encoding="utf-8")
    back = {a.id: a for a in read_import(path).annotations}
    changed = document["articles"][0]["excerpts"][0]["id"]
    for annotation in store.annotations():
        expected = annotation.tags + (("off",) if annotation.id == changed else ())
        assert back[annotation.id].tags == expected
        assert back[annotation.id].note == annotation.note
    assert any("yes" in a.tags for a in back.values())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", "yes"), ("off", "off"), ("NO", "NO"), ("on", "on"), ("1:30", "1:30")],
)
def test_yaml_1_1_only_words_and_numbers_are_text(
    tmp_path: Path, value: str, expected: str
) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
        f"  - id: abc\n    quote: Hello\n    start: 0\n    end: 5\n    tags: [{value}]\n"
        f"    note: {value}\n",
        encoding="utf-8",
    )
    annotation = read_import(path).annotations[0]
    assert annotation.tags == (expected,)
    assert annotation.note == expected


def test_yaml_1_2_booleans_and_octal_still_mean_what_they_say(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    head = "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
    path.write_text(
        head + "  - id: abc\n    quote: Hello\n    start: 0o0\n    end: 0x5\n    tags: true\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"line 9: .*boolean"):
        read_import(path)
    path.write_text(head + "  - id: abc\n    quote: Hello\n    start: 0o0\n    end: 0x5\n")
    assert (read_import(path).annotations[0].start, read_import(path).annotations[0].end) == (0, 5)
