"""Our annotations out through Hypothesis's API and back (r6): the API gives each one a new id
and keeps the keys it does not know (`original_id`, `via`) in `extra`; the importer reads them
there, so a file fetched back names our records and re-importing it adds nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_export_hypothesis import TALKS, _corpus, _hypothesis_file, _import

from tui.errors import UserError
from tui.export.excerpts import store_excerpts
from tui.export.hypothesis_format import mint_id, to_hypothesis
from tui.store import AnnotationStore

EXPORTED = "2026-11-21T12:00:00Z"
# When the API stamped them: after every edit in the store.
UPLOADED = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
THEIRS = "Jx2vAqXyEe-8Xz1kY7b0Ig"  # the id of `_hypothesis_file`'s annotation


def _work(tmp_path: Path) -> tuple[AnnotationStore, dict, Path]:
    """A store holding one annotation from Hypothesis (with `via`) and one of our own."""
    store, articles = _corpus(tmp_path)
    theirs = tmp_path / "theirs.json"
    theirs.write_text(json.dumps(_hypothesis_file()), encoding="utf-8")
    _import(theirs, store, articles)
    start = TALKS.index("Kremlin wants")
    store.add("talks", start, start + len("Kremlin wants"), TALKS, ["Russia"], note="aims")
    return store, articles, theirs


def _through_the_api(store: AnnotationStore, articles: dict, *, nested: bool = True) -> dict:
    """Our export as Hypothesis's API returns it: new ids, the uploader as `user`, the upload
    time as `created`/`updated`, our extra keys under `extra` (or beside the others)."""
    document = json.loads(to_hypothesis(store_excerpts(store, articles.get), exported=EXPORTED))
    for number, item in enumerate(document["annotations"]):
        extra = {key: item.pop(key) for key in ("original_id", "via") if key in item}
        if nested:
            item["extra"] = extra
        else:
            item.update(extra)
        item |= {"id": f"hYp{number}AbCdEfGhIjKlMnOp", "user": "acct:erin@hypothes.is"}
        item |= {"created": UPLOADED, "updated": UPLOADED}
    return document


def _write(tmp_path: Path, document: dict[str, Any], name: str = "back.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _records(store: AnnotationStore) -> list[tuple[str, str, str, str, str]]:
    return sorted((a.id, a.author, a.created, a.note, a.via) for a in store.annotations())


@pytest.mark.parametrize("nested", [True, False])
def test_a_round_trip_through_the_api_adds_nothing(tmp_path: Path, nested: bool) -> None:
    store, articles, _ = _work(tmp_path)
    before = _records(store)
    back = _write(tmp_path, _through_the_api(store, articles, nested=nested))
    report = _import(back, store, articles)
    assert (len(report.plan.added), len(report.plan.conflicts)) == (0, 0)
    assert len(report.plan.unchanged) == len(before)
    assert _records(store) == before  # authors, times and via as they were


def test_an_older_export_without_original_id_comes_back_by_via(tmp_path: Path) -> None:
    store, articles, _ = _work(tmp_path)
    document = _through_the_api(store, articles)
    for item in document["annotations"]:
        item["extra"].pop("original_id")
    report = _import(_write(tmp_path, document), store, articles)
    # Hypothesis's own annotation is found by its `via`; ours had nothing to be found by.
    assert mint_id(THEIRS) in report.plan.unchanged
    assert store.get(mint_id(THEIRS)).via == THEIRS


def test_an_edit_made_there_comes_in_keeping_the_author(tmp_path: Path) -> None:
    store, articles, _ = _work(tmp_path)
    document = _through_the_api(store, articles)
    ours = next(i for i in document["annotations"] if "via" not in i["extra"])
    ours["text"] = "aims, edited in Hypothesis"
    report = _import(_write(tmp_path, document), store, articles)
    (changed,) = report.plan.updated
    assert len(report.plan.added) == 0
    kept = store.get(changed.id)
    assert kept.note == "aims, edited in Hypothesis"
    assert (kept.author, kept.updated) == ("alice", UPLOADED)
    assert kept.created != UPLOADED


def test_an_original_id_of_another_tool_is_who_the_annotation_is(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    first = _hypothesis_file()
    first["annotations"][0]["extra"] = {"original_id": "urn:tool:anno/7"}
    _import(_write(tmp_path, first, "one.json"), store, articles)
    (made,) = store.annotations()
    assert (made.id, made.via) == (mint_id("urn:tool:anno/7"), "urn:tool:anno/7")
    second = _hypothesis_file()  # the same annotation uploaded again: another Hypothesis id
    second["annotations"][0] |= {"id": "zZ9", "extra": {"original_id": "urn:tool:anno/7"}}
    report = _import(_write(tmp_path, second, "two.json"), store, articles)
    assert len(report.plan.added) == 0 and len(store.annotations()) == 1


def test_our_export_names_our_id_as_original_id(tmp_path: Path) -> None:
    store, articles, _ = _work(tmp_path)
    document = json.loads(to_hypothesis(store_excerpts(store, articles.get), exported=EXPORTED))
    assert all(item["original_id"] == item["id"] for item in document["annotations"])


@pytest.mark.parametrize("extra", [["original_id"], "x", 3])
def test_an_extra_that_is_not_an_object_is_refused(tmp_path: Path, extra: object) -> None:
    store, articles = _corpus(tmp_path)
    document = _hypothesis_file()
    document["annotations"][0]["extra"] = extra
    with pytest.raises(UserError, match="`extra` must be an object"):
        _import(_write(tmp_path, document), store, articles)
    assert store.annotations() == []
