"""Another tool's id is kept verbatim beside ours (W3C `via`), and importing its file again
adds nothing (issue 13, item 4's "keeping theirs").

Our id for a foreign annotation is minted from theirs; theirs now travels with the record, so
a researcher can trace each passage back to the tool and the annotation it came from.
"""

from __future__ import annotations

import json
from pathlib import Path

from test_export_hypothesis import URL, _corpus, _hypothesis_file, _import

from tui.export.excerpts import store_excerpts
from tui.export.hypothesis_format import mint_id
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
