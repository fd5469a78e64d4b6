"""Another tool's id is kept verbatim beside ours (W3C `via`), and importing its file again
adds nothing (issue 13, item 4's "keeping theirs").

Our id for a foreign annotation is minted from theirs; theirs now travels with the record, so
a researcher can trace each passage back to the tool and the annotation it came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_export_hypothesis import URL, _corpus, _hypothesis_file, _import

from tui.errors import UserError
from tui.export.excerpts import store_excerpts
from tui.export.hypothesis_format import mint_id, to_hypothesis
from tui.export.w3c_format import VIA_URN, to_w3c
from tui.export.yaml_format import to_yaml

EXPORTED = "2026-11-21T12:00:00Z"
THEIR_IRI = "https://annotations.example.org/anno/17"
HYPOTHESIS_ID = "Jx2vAqXyEe-8Xz1kY7b0Ig"


def _their_w3c(tmp_path: Path) -> Path:
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": THEIR_IRI,
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Russia/war aims"}],
        "target": {
            "source": URL,
            "selector": {
                "type": "TextQuoteSelector",
                "exact": "recognition of the annexed regions",
                "prefix": "The Kremlin wants ",
                "suffix": ".\nKyiv",
            },
        },
        "created": "2026-11-20T09:00:00Z",
    }
    path = tmp_path / "theirs.jsonld"
    path.write_text(json.dumps(item), encoding="utf-8")
    return path


def _stored_records(store_path: Path) -> list[dict]:
    snapshot = json.loads(store_path.read_text(encoding="utf-8")) if store_path.exists() else {}
    records = list(snapshot.get("annotations", {}).values())
    journal = store_path.with_name(store_path.name + ".journal")
    for line in journal.read_text(encoding="utf-8").splitlines()[1:]:
        records += [doc for table, _id, doc in json.loads(line)["ops"] if table == "annotations"]
    return [doc for doc in records if doc]


def test_a_w3c_import_keeps_their_id_and_exports_it_as_via(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    path = _their_w3c(tmp_path)
    _import(path, store, articles)
    imported = store.get(mint_id(THEIR_IRI))
    assert imported is not None and imported.via == THEIR_IRI
    assert any(doc.get("via") == THEIR_IRI for doc in _stored_records(store.path))
    (item,) = json.loads(to_w3c(store_excerpts(store, articles.get), exported=EXPORTED))["first"][
        "items"
    ]
    assert item["via"] == THEIR_IRI and item["id"] != THEIR_IRI
    again = _import(path, store, articles)
    assert (len(again.plan.added), len(again.plan.unchanged), len(again.plan.conflicts)) == (
        0,
        1,
        0,
    )
    assert len(store.annotations()) == 1


def test_a_hypothesis_id_survives_a_w3c_round_trip_verbatim(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(_hypothesis_file()), encoding="utf-8")
    _import(path, store, articles)
    assert store.get(mint_id(HYPOTHESIS_ID)).via == HYPOTHESIS_ID
    ours = tmp_path / "ours.jsonld"
    ours.write_text(to_w3c(store_excerpts(store, articles.get), exported=EXPORTED), "utf-8")
    (item,) = json.loads(ours.read_text(encoding="utf-8"))["first"]["items"]
    assert item["via"] == VIA_URN + HYPOTHESIS_ID  # the model wants an IRI there
    other, _ = _corpus(tmp_path / "other")
    _import(ours, other, articles)
    assert other.get(mint_id(HYPOTHESIS_ID)).via == HYPOTHESIS_ID
    again = _import(path, other, articles)  # their file after our export: still one
    assert (len(again.plan.added), len(again.plan.conflicts)) == (0, 0)
    assert len(other.annotations()) == 1


def test_a_format_without_via_neither_conflicts_nor_drops_it(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    _import(_their_w3c(tmp_path), store, articles)
    excerpts = store_excerpts(store, articles.get)
    yaml_file = tmp_path / "ours.yaml"
    yaml_file.write_text(to_yaml(excerpts, store.tags(), exported=EXPORTED), encoding="utf-8")
    report = _import(yaml_file, store, articles)
    assert (len(report.plan.unchanged), len(report.plan.conflicts)) == (1, 0)
    assert store.get(mint_id(THEIR_IRI)).via == THEIR_IRI


def test_our_own_annotations_store_no_via(tmp_path: Path) -> None:
    store, _ = _corpus(tmp_path)
    text = "Talks resumed"
    store.add("talks", 0, 5, text + " in Riyadh", ["talks"])
    assert all("via" not in doc for doc in _stored_records(store.path))


def _w3c_items(text: str) -> list[dict]:
    return json.loads(text)["first"]["items"]


def test_via_survives_w3c_to_yaml_to_a_fresh_store_and_back_to_w3c(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    _import(_their_w3c(tmp_path), store, articles)
    yaml_text = to_yaml(store_excerpts(store, articles.get), store.tags(), exported=EXPORTED)
    assert f"via: {THEIR_IRI}" in yaml_text.replace("'", "")
    yaml_file = tmp_path / "ours.yaml"
    yaml_file.write_text(yaml_text, encoding="utf-8")
    fresh, _ = _corpus(tmp_path / "fresh")
    first = _import(yaml_file, fresh, articles)
    assert len(first.plan.added) == 1
    assert fresh.get(mint_id(THEIR_IRI)).via == THEIR_IRI
    (item,) = _w3c_items(to_w3c(store_excerpts(fresh, articles.get), exported=EXPORTED))
    assert item["via"] == THEIR_IRI
    again = _import(yaml_file, fresh, articles)
    assert (len(again.plan.added), len(again.plan.conflicts)) == (0, 0)
    theirs_again = _import(_their_w3c(tmp_path), fresh, articles)  # deduplicated by via
    assert (len(theirs_again.plan.added), len(theirs_again.plan.conflicts)) == (0, 0)
    assert len(fresh.annotations()) == 1


def test_yaml_writes_no_via_for_our_own_annotations(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    store.add("talks", 0, 5, "Talks", ["talks"])
    text = to_yaml(store_excerpts(store, articles.get), store.tags(), exported=EXPORTED)
    assert "via" not in text


def test_the_hypothesis_export_carries_via_and_reads_it_back(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(_hypothesis_file()), encoding="utf-8")
    _import(path, store, articles)
    ours = tmp_path / "ours-hypothesis.json"
    ours.write_text(to_hypothesis(store_excerpts(store, articles.get), exported=EXPORTED), "utf-8")
    (item,) = json.loads(ours.read_text(encoding="utf-8"))["annotations"]
    assert (item["id"], item["via"]) == (mint_id(HYPOTHESIS_ID), HYPOTHESIS_ID)
    fresh, _ = _corpus(tmp_path / "fresh")
    _import(ours, fresh, articles)
    assert fresh.get(mint_id(HYPOTHESIS_ID)).via == HYPOTHESIS_ID
    again = _import(path, fresh, articles)  # their own file after ours: still one
    assert (len(again.plan.added), len(again.plan.conflicts)) == (0, 0)
    assert len(fresh.annotations()) == 1


def test_our_own_annotation_through_hypothesis_gets_no_via(tmp_path: Path) -> None:
    """Our id in a Hypothesis file is ours: it is not another tool's id to keep."""
    store, articles = _corpus(tmp_path)
    text = articles["talks"].text
    start = text.index("Kyiv asked")
    made = store.add("talks", start, start + len("Kyiv asked"), text, ["Ukraine"])
    path = tmp_path / "ours-hypothesis.json"
    path.write_text(to_hypothesis(store_excerpts(store, articles.get), exported=EXPORTED), "utf-8")
    assert "via" not in json.loads(path.read_text(encoding="utf-8"))["annotations"][0]
    report = _import(path, store, articles)
    assert (len(report.plan.unchanged), len(report.plan.conflicts)) == (1, 0)
    assert store.get(made.id).via == ""


# Another tool's id is data: escapes, line breaks, a YAML tag spelled out, bidi, a YAML word.
HOSTILE_IDS = (
    "anno\x1b[31m17\x07",
    "line one\nline two",
    "!!python/object/apply:os.system ['echo owned']",
    "anno\u202eevil",
    "yes",
    " padded\t",
)


def test_a_hostile_via_is_kept_verbatim_through_yaml_and_w3c(tmp_path: Path) -> None:
    for number, their_id in enumerate(HOSTILE_IDS):
        where = tmp_path / str(number)
        store, articles = _corpus(where)
        path = _their_w3c(where)
        item = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(item | {"id": their_id}), encoding="utf-8")
        _import(path, store, articles)
        assert store.get(mint_id(their_id)).via == their_id
        yaml_text = to_yaml(store_excerpts(store, articles.get), store.tags(), exported=EXPORTED)
        assert not any(ch in yaml_text for ch in "\x1b\x07\u202e")  # escaped, inert
        yaml_file = where / "ours.yaml"
        yaml_file.write_text(yaml_text, encoding="utf-8")
        fresh, _ = _corpus(where / "fresh")
        _import(yaml_file, fresh, articles)
        assert fresh.get(mint_id(their_id)).via == their_id
        w3c_file = where / "ours.jsonld"
        w3c_file.write_text(to_w3c(store_excerpts(fresh, articles.get), exported=EXPORTED))
        again, _ = _corpus(where / "again")
        _import(w3c_file, again, articles)
        assert again.get(mint_id(their_id)).via == their_id


def test_a_10_kb_via_is_refused_by_yaml_as_by_w3c(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    _import(_their_w3c(tmp_path), store, articles)
    huge = "x" * 10_000
    yaml_text = to_yaml(store_excerpts(store, articles.get), store.tags(), exported=EXPORTED)
    yaml_file = tmp_path / "huge.yaml"
    yaml_file.write_text(yaml_text.replace(THEIR_IRI, huge), encoding="utf-8")
    w3c_text = to_w3c(store_excerpts(store, articles.get), exported=EXPORTED)
    w3c_file = tmp_path / "huge.jsonld"
    w3c_file.write_text(w3c_text.replace(THEIR_IRI, huge), encoding="utf-8")
    messages = []
    for path in (yaml_file, w3c_file):
        fresh, _ = _corpus(tmp_path / path.suffix[1:])
        with pytest.raises(UserError) as refused:
            _import(path, fresh, articles)
        messages.append(str(refused.value).split(": ", 2)[-1])
        assert fresh.annotations() == []
    assert messages[0] == messages[1]
    assert "`via` is 10,000 characters long" in messages[0]


def test_a_yaml_tag_on_via_is_refused_not_obeyed(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    _import(_their_w3c(tmp_path), store, articles)
    yaml_text = to_yaml(store_excerpts(store, articles.get), store.tags(), exported=EXPORTED)
    tagged = yaml_text.replace(f"via: '{THEIR_IRI}'", "via: !!python/object/apply:os.system [id]")
    assert tagged != yaml_text
    path = tmp_path / "tagged.yaml"
    path.write_text(tagged, encoding="utf-8")
    fresh, _ = _corpus(tmp_path / "fresh")
    with pytest.raises(UserError, match="python/object"):
        _import(path, fresh, articles)
    assert fresh.annotations() == []
