"""`marginalia import`: merge by id, newer edit wins, idempotent, and hostile files refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_export_support import SEED_000, SEED_001, annotated_store, article_from_text

from tui.errors import UserError
from tui.export.excerpts import store_excerpts, used_tags
from tui.export.importer import import_file, plan_merge, plan_tags
from tui.export.parse import MAX_IMPORT_BYTES, read_import
from tui.export.w3c_format import to_w3c
from tui.export.yaml_format import to_yaml
from tui.store import Annotation, AnnotationStore, Tag

EXPORTED = "2026-11-21T12:00:00Z"


def _record(**changes: object) -> Annotation:
    base = Annotation(
        id="a" * 32, article="art", start=0, end=5, quote="Hello", tags=("t",), note="n",
        author="alice", created="2026-11-21T10:00:00Z", updated="2026-11-21T10:00:00Z",
        text_hash="h",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


# -- the merge plan, as data ------------------------------------------------------------------


def test_plan_sorts_records_and_newer_update_wins() -> None:
    stored = {
        "1": _record(id="1"),
        "2": _record(id="2"),
        "3": _record(id="3", note="store edit", updated="2026-11-21T12:00:00Z"),
    }
    incoming = [
        _record(id="1"),  # the same: unchanged
        _record(id="2", note="file edit", updated="2026-11-21T11:00:00Z"),  # newer: taken
        _record(id="3", note="older file edit", updated="2026-11-21T11:00:00Z"),  # older: kept
        _record(id="4"),  # new
    ]
    plan = plan_merge(incoming, stored)
    assert [a.id for a in plan.added] == ["4"]
    assert [a.id for a in plan.updated] == ["2"]
    assert plan.unchanged == ("1",)
    assert [(c.id, c.kept) for c in plan.conflicts] == [("2", "file"), ("3", "store")]
    assert [a.id for a in plan.writes] == ["4", "2"]


def test_plan_same_time_different_content_keeps_store_and_reports() -> None:
    plan = plan_merge([_record(note="other")], {"a" * 32: _record()})
    assert plan.writes == ()
    assert [(c.kept, c.file_updated, c.store_updated) for c in plan.conflicts] == [
        ("store", "2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z")
    ]


def test_plan_without_text_hash_and_with_moved_anchor_is_unchanged() -> None:
    stored = _record()
    assert plan_merge([_record(text_hash="")], {stored.id: stored}).unchanged == (stored.id,)
    moved = replace(stored, start=10, end=15, prefix="new text ", anchor="moved")
    plan = plan_merge(
        [replace(moved, anchor="exact")], {stored.id: stored}, anchored={stored.id: moved}
    )
    assert plan.unchanged == (stored.id,)


def test_tag_plan_keeps_store_definitions_and_free_keys() -> None:
    known = {"old": Tag("old", "ansi_red", 1, "store's")}
    file_tags = [Tag("old", "ansi_blue", 2, "file's"), Tag("new", "#00ff00", 1, "d")]
    tags = plan_tags([_record(tags=("old", "new", "bare"))], file_tags, known)
    by_name = {tag.name: tag for tag in tags}
    assert "old" not in by_name
    assert by_name["new"] == Tag("new", "#00ff00", None, "d")  # key 1 is taken in the store
    assert by_name["bare"].color and by_name["bare"].key is None


# -- importing into a store -------------------------------------------------------------------


def _yaml_export(store: AnnotationStore, articles: dict, path: Path) -> Path:
    excerpts = store_excerpts(store, articles.get)
    path.write_text(
        to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED), encoding="utf-8"
    )
    return path


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    path = _yaml_export(store, articles, tmp_path / "export.yaml")
    other = AnnotationStore(tmp_path / "other.json", "bob")
    first = import_file(path, other, lambda a: articles[a].text)
    assert first.summary()[0] == f"{path}: 4 added, 0 updated, 0 unchanged, 0 conflicts"
    assert first.anchors.counts == {"exact": 4}
    journal = other.journal_path.read_bytes() if other.journal_path.exists() else b""
    snapshot = other.path.read_bytes()
    second = import_file(path, AnnotationStore(other.path, "bob"), lambda a: articles[a].text)
    assert second.summary()[0] == f"{path}: 0 added, 0 updated, 4 unchanged, 0 conflicts"
    assert other.path.read_bytes() == snapshot
    assert (other.journal_path.read_bytes() if other.journal_path.exists() else b"") == journal
    # And back into the store it came from: nothing to do either.
    assert import_file(path, store, lambda a: articles[a].text).plan.unchanged.__len__() == 4


def _within_clock_skew() -> str:
    """Later than any stamp the store just made, but not so far ahead the import refuses it."""
    return (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_conflicts_are_resolved_by_updated_and_reported(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    path = _yaml_export(store, articles, tmp_path / "export.yaml")
    target = store.annotations(article=SEED_001)[0]
    store.update(target.id, note="edited after the export")
    report = import_file(path, store, lambda a: articles[a].text)
    assert report.plan.conflicts[0].kept == "store"
    assert store.get(target.id).note == "edited after the export"
    assert "kept the store's version" in "\n".join(report.summary())
    # The file's copy edited later than the store's wins.
    newer = (
        path.read_text(encoding="utf-8")
        .replace("note: 'null'", "note: from the file")
        .replace(target.updated, _within_clock_skew())
    )
    path.write_text(newer, encoding="utf-8")
    report = import_file(path, store, lambda a: articles[a].text)
    assert [c.kept for c in report.plan.conflicts] == ["file"]
    assert store.get(target.id).note == "from the file"


def test_an_edit_made_by_another_session_during_the_import_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, articles = annotated_store(tmp_path)
    path = _yaml_export(store, articles, tmp_path / "export.yaml")
    target = store.annotations(article=SEED_001)[0]
    newer = path.read_text(encoding="utf-8").replace(target.updated, _within_clock_skew())
    path.write_text(newer, encoding="utf-8")
    real_import = AnnotationStore.import_records

    def colleague_edits_first(self: AnnotationStore, *args: object, **kwargs: object) -> int:
        # Between the plan (made without the lock) and the locked write, bob edits the record.
        AnnotationStore(store.path, "bob").update(target.id, note="bob's edit")
        return real_import(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(AnnotationStore, "import_records", colleague_edits_first)
    report = import_file(path, store, lambda a: articles[a].text)
    assert [c.kept for c in report.plan.conflicts] == ["file"]  # what the plan decided
    assert report.raced == (target.id,)
    assert AnnotationStore(store.path, "carol").get(target.id).note == "bob's edit"
    assert "changed by another session during the import" in "\n".join(report.summary())


def test_anchors_are_checked_against_the_current_text(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    path = _yaml_export(store, articles, tmp_path / "export.yaml")
    text = articles[SEED_001].text.replace("strengthening their relationship", "drifting apart")
    text = "A new line.\n" + text
    current = {SEED_001: article_from_text(SEED_001, text).text}
    report = import_file(path, AnnotationStore(tmp_path / "x.json", "bob"), current.get)
    assert report.anchors.counts == {"orphaned": 3, "moved": 1}
    assert report.anchors.missing_articles == (SEED_000,)
    assert len(report.anchors.orphaned) == 1
    summary = "\n".join(report.summary())
    assert "1 moved, 2 orphaned" not in summary and "1 moved, 3 orphaned" in summary
    assert SEED_000 in summary


def test_w3c_round_trip(tmp_path: Path) -> None:
    store, articles = annotated_store(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    path = tmp_path / "export.jsonld"
    path.write_text(to_w3c(excerpts, exported=EXPORTED), encoding="utf-8")
    back = read_import(path)
    assert back.kind == "w3c"
    assert {replace(a, text_hash="") for a in store.annotations()} == set(back.annotations)
    other = AnnotationStore(tmp_path / "other.json", "bob")
    assert len(import_file(path, other, lambda a: articles[a].text).plan.added) == 4
    again = import_file(path, other, lambda a: articles[a].text)
    assert len(again.plan.unchanged) == 4
    # ... and the original store sees its own work as unchanged (text hashes filled in).
    assert len(import_file(path, store, lambda a: articles[a].text).plan.unchanged) == 4


# -- malformed and hostile files: refused, naming file and line, store untouched --------------

GOOD_HEAD = "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
GOOD_EXCERPT = "  - id: abc\n    quote: Hello\n    start: 0\n    end: 5\n"
GOOD = GOOD_HEAD + GOOD_EXCERPT


def _sub(old: str, new: str) -> str:
    """The good file with one line changed."""
    return GOOD.replace(old, new)


def _refused(tmp_path: Path, content: str | bytes, name: str = "bad.yaml") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    store = AnnotationStore(tmp_path / "store.json", "alice")
    with pytest.raises(UserError) as caught:
        import_file(path, store, lambda a: "Hello world")
    assert not store.path.exists()  # nothing was written
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("articles: [\n", "line 2: not valid YAML"),
        ("format: x\n", "line 1: not a marginalia export"),
        ("- 1\n- 2\n", "the file must be a mapping"),
        ("", "the file is empty"),
        (_sub("start: 0", "start: zero"), "line 7: `start` must be a whole"),
        (_sub("start: 0", "start: -3"), "line 7: `start`"),
        (_sub("start: 0", "start: true"), "not a boolean"),
        (_sub("end: 5", "end: 5.5"), "line 8: `end` must be a whole"),
        (_sub("start: 0", "start: 9"), "`end` (5) is before `start` (9)"),
        (_sub("quote: Hello", "quote: [a, b]"), "line 6: `quote` must be text"),
        (GOOD + "    tags: Russia\n", "line 9: `tags` must be a list"),
        (GOOD + "    tags: [a//b]\n", "empty part"),
        (GOOD + "    created: yesterday\n", "line 9: `created` 'yesterday'"),
        (GOOD + "    colour: red\n", "line 9: unknown field `colour`"),
        (_sub("  - id: abc\n", "  - id: 12\n"), "line 5: `id` must be text"),
        (_sub("    quote: Hello\n", ""), "has no `quote`"),
        (GOOD + GOOD_EXCERPT.replace("Hello", "Hi"), "also appears at line 5"),
        (GOOD + "    note: a\n    note: b\n", "line 10: the key 'note'"),
        ("format: marginalia-excerpts/1\n---\nformat: x\n", "more than one YAML document"),
    ],
)  # fmt: skip
def test_malformed_yaml_is_refused_with_line_and_reason(
    tmp_path: Path, content: str, expected: str
) -> None:
    message = _refused(tmp_path, content)
    assert expected in message
    assert message.endswith("nothing was imported")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("!!python/object/apply:os.system ['echo owned']\n", "line 1: the YAML tag"),
        (GOOD_HEAD + "  - !!python/object:tui.store.model.Annotation {}\n", "line 5: the YAML tag"),
        (GOOD + "    note: !!binary aGVsbG8=\n", "!!binary"),
        (GOOD + "    note: !custom x\n", "'!custom' is not allowed"),
        ("format: marginalia-excerpts/1\nx: &a [1]\ny: *a\n", "anchors (&a) are not allowed"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "not allowed"),
        ("format: marginalia-excerpts/1\n<<: {articles: []}\n", "tag"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels"),
        ("- " * 1000 + "x\n", "nested deeper than 32 levels"),
        (GOOD + "    note: '" + "x" * 300_000 + "'\n", "`note` is 300,000 characters"),
        (_sub("start: 0", "start: " + "9" * 5000), "not a usable int"),
        (GOOD + '    note: "\\ud800"\n', "line 9: not valid YAML"),  # a lone surrogate
    ],
)  # fmt: skip
def test_hostile_yaml_is_refused_cleanly(tmp_path: Path, content: str, expected: str) -> None:
    assert expected in _refused(tmp_path, content)


def test_a_100_megabyte_string_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write((GOOD + "    note: '").encode())
        handle.truncate(100 * 1024 * 1024)  # sparse: the disk is not filled to test this
    store = AnnotationStore(tmp_path / "store.json", "alice")
    with pytest.raises(UserError, match=f"too large for an export \\({MAX_IMPORT_BYTES:,}"):
        import_file(path, store, lambda a: None)
    assert not store.path.exists()


def test_not_utf8_is_refused_with_line(tmp_path: Path) -> None:
    content = (GOOD_HEAD + GOOD_EXCERPT).encode() + b"    note: caf\xe9\n"
    assert "line 9: not UTF-8" in _refused(tmp_path, content)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"type": "AnnotationCollection",\n "first": [}', "line 2: not valid JSON"),
        # Another tool's annotations are read now (issue 13.4); what they lack is still named.
        ('{"type": "Annotation"}', "`target` must be an object"),
        ('[{"type": "Annotation", "id": "urn:uuid:6f1c2b9e-1d8a-4c0e-9a57-1c1f2f6d7e80",'
         ' "target": {"source": "https://example.org/x"}}]', "no TextQuoteSelector"),
        ('[{"type": "Annotation", "id": "urn:uuid:6f1c2b9e-1d8a-4c0e-9a57-1c1f2f6d7e80",'
         ' "target": {"source": "urn:marginalia:article:art", "selector": []}}]',
         "no TextQuoteSelector"),
        ('[{"type": "Annotation", "id": "urn:uuid:6f1c2b9e-1d8a-4c0e-9a57-1c1f2f6d7e80",'
         ' "target": {"source": "urn:marginalia:article:art", "selector":'
         ' [{"type": "TextQuoteSelector", "exact": "Hello"},'
         ' {"type": "TextPositionSelector", "start": "0", "end": 5}]}}]',
         "line 1: `start` must be a whole number"),
        ('[{"type": "Annotation", "id": "urn:uuid:6f1c2b9e-1d8a-4c0e-9a57-1c1f2f6d7e80",'
         ' "target": {"source": "urn:marginalia:article:art", "selector":'
         ' [{"type": "TextQuoteSelector", "exact": "\\ud800"}]}}]', "lone surrogate"),
        ('{"a": 1, "a": 2}', "appears twice"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"start": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
)  # fmt: skip
def test_malformed_w3c_is_refused(tmp_path: Path, content: str, expected: str) -> None:
    assert expected in _refused(tmp_path, content, name="bad.jsonld")


def test_w3c_without_position_is_found_by_its_quote(tmp_path: Path) -> None:
    path = tmp_path / "hand.jsonld"
    annotation = {
        "type": "Annotation",
        "id": "urn:uuid:6f1c2b9e-1d8a-4c0e-9a57-1c1f2f6d7e80",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "greeting"},
        "target": {
            "source": "urn:marginalia:article:art",
            "selector": {"type": "TextQuoteSelector", "exact": "world"},
        },
        "creator": "dana",
    }
    path.write_text(json.dumps(annotation), encoding="utf-8")
    store = AnnotationStore(tmp_path / "store.json", "alice")
    report = import_file(path, store, {"art": "Hello world"}.get)
    assert report.anchors.counts == {"moved": 1}
    imported = store.get("6f1c2b9e1d8a4c0e9a571c1f2f6d7e80")
    assert imported is not None
    assert (imported.tags, imported.author, imported.quote) == (("greeting",), "dana", "world")
    assert store.tag("greeting") is not None


def test_hand_edited_yaml_with_empty_fields_and_plain_times_imports(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        GOOD + "    note:\n    tags: [greeting]\n    updated: 2026-11-21T11:58:02Z\n",
        encoding="utf-8",
    )
    (annotation,) = read_import(path).annotations
    assert (annotation.note, annotation.tags) == ("", ("greeting",))
    assert annotation.updated == "2026-11-21T11:58:02Z"
    assert "line 6: `quote` must be text" in _refused(tmp_path, _sub("quote: Hello", "quote:"))


@pytest.mark.parametrize(("name", "kind"), [("work.csv", "CSV"), ("work.md", "Markdown")])
def test_a_one_way_export_is_refused_by_its_format(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text("article,start,end\n", encoding="utf-8")
    with pytest.raises(UserError, match=f"a {kind} export cannot be imported back"):
        read_import(path)


def test_yaml_over_the_same_w3c_import_is_unchanged_not_a_conflict(tmp_path: Path) -> None:
    """Issue 13.15: a W3C import stores no text hash; the YAML of the same work carries one.
    Same edit, same `updated`: unchanged, and no "conflict ... (updated X; the file's is X)"."""
    store, articles = annotated_store(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    w3c = tmp_path / "work.jsonld"
    w3c.write_text(to_w3c(excerpts, exported=EXPORTED), encoding="utf-8")
    yaml_path = _yaml_export(store, articles, tmp_path / "work.yaml")
    other = AnnotationStore(tmp_path / "other.json", "bob")
    import_file(w3c, other, lambda a: articles[a].text)
    report = import_file(yaml_path, other, lambda a: articles[a].text)
    assert report.plan.conflicts == ()
    assert len(report.plan.unchanged) == len(excerpts)
    assert report.summary()[0].endswith("0 conflicts")


def test_import_restores_article_details_newer_wins(tmp_path: Path) -> None:
    """Issue 13.8: a new store showed the cleaner's title and no source after an import."""
    store, articles = annotated_store(tmp_path)
    url = "https://www.wilsoncenter.org/blog-post/ukraine-talks"
    store.set_article_meta(SEED_000, title="Ukraine's Talks", source="Wilson Center", url=url)
    path = _yaml_export(store, articles, tmp_path / "export.yaml")
    other = AnnotationStore(tmp_path / "other.json", "bob")
    report = import_file(path, other, lambda a: articles[a].text, articles.get)
    meta = other.article_meta(SEED_000)
    assert (meta.title, meta.source, meta.url) == ("Ukraine's Talks", "Wilson Center", url)
    assert set(report.details[SEED_000]) == {"title", "source", "url"}
    # what cleaning already shows (the other article's title, the fixture's source) is not
    # written again as an override
    assert other.article_meta(SEED_001).overrides == {}
    # the store's own later edit wins over an older file
    other.set_article_meta(SEED_000, title="Bob's title")
    again = import_file(path, other, lambda a: articles[a].text, articles.get)
    assert other.article_meta(SEED_000).title == "Bob's title"
    assert SEED_000 not in again.details
