"""Issue 11 item 4: one rule for names, and whatever the store holds comes back from an export.

A tag with a zero-width joiner, an article id with a zero-width non-joiner (Persian), an
author an older store took with a control character in it: each goes store -> YAML and
W3C export -> a fresh store, and comes back the same.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from test_export_support import article_from_text

from tui.cli import main
from tui.config import resolve_user
from tui.errors import UserError
from tui.export.excerpts import store_excerpts, used_tags
from tui.export.importer import import_file
from tui.export.w3c_format import to_w3c
from tui.export.yaml_format import to_yaml
from tui.store import Annotation, AnnotationStore, StoreError
from tui.store.names import check_author, check_tag_name

EXPORTED = "2026-11-21T12:00:00Z"
PERSIAN_ID = "نامه\u200cهای سفیر"  # "the ambassador's letters": ZWNJ inside a word
PERSIAN_TEXT = (
    "سفیر در نامه\u200cهای خود از گفت\u200cوگو نوشت.\n"
    "The ambassador wrote of talks in his letters, and of the winter that was coming.\n"
)
EMOJI_TAG = "\U0001f469\u200d\U0001f4bb dev"  # woman technologist: a ZWJ sequence
HEART_TAG = "\u2764\ufe0f care"  # a variation selector asks for the emoji form
EMOJI_USER = "\U0001f469\u200d\U0001f4bb alice"
LEGACY_AUTHOR = "bob\x1b[31m"  # a store written before the rule took this as --user
LEGACY_TAG = "line\u2028break"  # and this as a tag name


def _store_holding_every_name_class(folder: Path) -> tuple[AnnotationStore, dict]:
    article = article_from_text(PERSIAN_ID, PERSIAN_TEXT)
    store = AnnotationStore(folder / "store.json", EMOJI_USER)
    start = PERSIAN_TEXT.index("نامه")
    store.add(PERSIAN_ID, start, start + 12, PERSIAN_TEXT, [EMOJI_TAG, HEART_TAG])
    english = PERSIAN_TEXT.index("the winter")
    legacy = Annotation(
        id="0" * 31 + "1",
        article=PERSIAN_ID,
        start=english,
        end=english + 10,
        quote="the winter",
        tags=(LEGACY_TAG,),
        author=LEGACY_AUTHOR,
        created="2025-01-02T03:04:05.000000Z",
        updated="2025-01-02T03:04:05.000000Z",
    )
    # What an older store could hold, put there the way a load would find it.
    store.import_records([legacy])
    return store, {PERSIAN_ID: article}


def _values(annotations: list[Annotation]) -> set[tuple]:
    return {(a.id, a.article, a.tags, a.author, a.quote, a.start, a.end) for a in annotations}


@pytest.mark.parametrize("kind", ["yaml", "w3c"])
def test_every_name_class_the_store_holds_round_trips(tmp_path: Path, kind: str) -> None:
    store, articles = _store_holding_every_name_class(tmp_path)
    excerpts = store_excerpts(store, articles.get)
    assert len(excerpts) == 2
    if kind == "yaml":
        path = tmp_path / "export.yaml"
        text = to_yaml(excerpts, used_tags(excerpts, store.tags()), exported=EXPORTED)
    else:
        path = tmp_path / "export.jsonld"
        text = to_w3c(excerpts, exported=EXPORTED)
    path.write_text(text, encoding="utf-8")
    fresh = AnnotationStore(tmp_path / "fresh.json", "carol")
    import_file(path, fresh, lambda a: articles[a].text)
    assert _values(fresh.annotations()) == _values(store.annotations())
    held = {t for a in fresh.annotations() for t in a.tags}
    assert held == {EMOJI_TAG, HEART_TAG, LEGACY_TAG}


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\x1bb", "U+001B"),
        ("right\u202eleft", "U+202E"),
        ("isolate\u2066x", "U+2066"),
        ("soft\u00adhyphen", "U+00AD"),
        ("two\u2028lines", "U+2028"),
    ],
)
def test_new_names_are_refused_naming_character_and_position(name: str, shown: str) -> None:
    position = next(i for i, ch in enumerate(name, 1) if f"U+{ord(ch):04X}" == shown)
    for check in (check_tag_name, check_author):
        with pytest.raises(StoreError, match=re.escape(shown) + f" .*at position {position}"):
            check(name)


def test_new_names_keep_joiners_and_variation_selectors() -> None:
    assert check_tag_name(EMOJI_TAG) == EMOJI_TAG
    assert check_tag_name(HEART_TAG) == HEART_TAG
    assert check_author(EMOJI_USER) == EMOJI_USER
    for bad in ("", "   ", " alice", "alice ", "x" * 201):
        with pytest.raises(StoreError):
            check_author(bad)


def test_the_store_refuses_a_new_tag_or_user_the_rule_refuses(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=re.escape("U+001B")):
        AnnotationStore(tmp_path / "store.json", "eve\x1b]0;pwned\x07")
    store = AnnotationStore(tmp_path / "store.json", "alice")
    with pytest.raises(StoreError, match=re.escape("U+202E")):
        store.create_tag("a\u202eb")
    with pytest.raises(StoreError, match=re.escape("U+2028")):
        store.create_tag(LEGACY_TAG)
    assert store.create_tag(EMOJI_TAG).name == EMOJI_TAG


def test_a_tag_an_older_store_took_can_be_renamed_to_a_good_one(tmp_path: Path) -> None:
    store, _ = _store_holding_every_name_class(tmp_path)
    assert store.rename_tag(LEGACY_TAG, "line break") == 1
    assert {t for a in store.annotations() for t in a.tags} == {
        EMOJI_TAG,
        HEART_TAG,
        "line break",
    }


@pytest.mark.parametrize("bad", ["eve\x1b[2J", " alice", "a\u202eb"])
def test_user_flag_and_environment_are_checked_as_an_author(
    bad: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="--user: user name"):
        resolve_user(bad)
    monkeypatch.setenv("MARGINALIA_USER", bad)
    with pytest.raises(UserError, match=r"\$MARGINALIA_USER: user name"):
        resolve_user(None)
    code = main(["--db", str(tmp_path / "s.json"), "--user", bad, "tags"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "user name" in err
    assert "\x1b" not in err


def test_an_old_store_annotation_kept_its_author_through_replace() -> None:
    # The record type itself never checks: loading a store must not refuse what it holds.
    a = Annotation("x", PERSIAN_ID, 0, 1, "a", author=LEGACY_AUTHOR)
    assert replace(a, note="n").author == LEGACY_AUTHOR
