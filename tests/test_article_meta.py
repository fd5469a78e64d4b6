"""The reader's article metadata: stored, undoable, shared, preferred over cleaning's, and
carried into exports."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tui.cli import main
from tui.config import BUNDLED_SEEDS
from tui.corpus import load_article
from tui.corpus.model import Article
from tui.errors import UserError
from tui.export.excerpts import store_excerpts
from tui.export.parse import read_import
from tui.store import AnnotationStore
from tui.store.model import ArticleMeta, effective_article

SEED = "001_5b2a99fe7e84453b"
URL = "https://www.wilsoncenter.org/blog-post/trump-putin-and-xi"


@pytest.fixture
def env(workspace: Path) -> Path:
    return workspace / "s.json"


@pytest.fixture
def article(env: Path) -> Article:
    return load_article(BUNDLED_SEEDS / f"{SEED}.txt", cache=env.parent / "cache")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def test_set_get_clear_and_leave_alone(env: Path) -> None:
    store = AnnotationStore(env, "alice")
    assert store.article_meta(SEED) == ArticleMeta(SEED)
    meta = store.set_article_meta(SEED, title="  Trump, Putin and Xi  ", url=URL)
    assert (meta.title, meta.url, meta.source, meta.by) == (
        "Trump, Putin and Xi",
        URL,
        None,
        "alice",
    )
    meta = store.set_article_meta(SEED, source="Wilson Center", title=None)
    assert meta.overrides == {"title": "Trump, Putin and Xi", "source": "Wilson Center", "url": URL}
    meta = store.set_article_meta(SEED, title="", url="")
    assert meta.overrides == {"source": "Wilson Center"}
    store.set_article_meta(SEED, source="")
    assert store.article_metas() == {}
    assert AnnotationStore(env, "bob").article_meta(SEED) == ArticleMeta(SEED)


def test_setting_the_same_values_again_writes_nothing(env: Path) -> None:
    store = AnnotationStore(env, "alice")
    store.set_article_meta(SEED, date="2025-01-24")
    files = env.read_bytes(), env.with_name(env.name + ".journal").read_bytes()
    store.set_article_meta(SEED, date="2025-01-24")
    assert (env.read_bytes(), env.with_name(env.name + ".journal").read_bytes()) == files


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"headline": "x"}, "unknown article field(s) headline"),
        ({"title": "two\nlines"}, "line breaks or control characters"),
        ({"author": "evil\x1b[31m"}, "line breaks or control characters"),
        ({"url": "ftp://example.org/x"}, "not an http:// or https:// address"),
        ({"url": "javascript:alert(1)"}, "not an http:// or https:// address"),
        ({"source": "x" * 2_001}, "at most 2,000"),
        ({"date": "not a date"}, "has no year"),
        ({"date": "March 99"}, "has no year"),
        ({"date": "12/03/20221"}, "has no year"),
    ],
)
def test_bad_values_are_refused_before_writing(
    env: Path, fields: dict[str, str], expected: str
) -> None:
    store = AnnotationStore(env, "alice")
    with pytest.raises(UserError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        store.set_article_meta(SEED, **fields)
    assert not env.exists()


@pytest.mark.parametrize(
    ("article_id", "expected"),
    [
        ("", "article id is empty"),
        (f"{SEED}\x1b[2J", "U+001B"),
        (f"{SEED}\u202e", "U+202E"),
        (f"{SEED}\ud800", "lone surrogate"),  # not a control character: the names rule's
        ("x" * 501, "over 500 characters"),
    ],
)
def test_article_ids_follow_the_one_naming_rule(env: Path, article_id: str, expected: str) -> None:
    store = AnnotationStore(env, "alice")
    with pytest.raises(UserError, match=re.escape(expected)):
        store.set_article_meta(article_id, title="A title")
    assert not env.exists()


def test_an_article_id_a_file_stem_may_have_is_accepted(env: Path) -> None:
    store = AnnotationStore(env, "alice")
    meta = store.set_article_meta(" leading space\u200dx", title="Kept")
    assert store.article_meta(" leading space\u200dx") == meta and meta.title == "Kept"


@pytest.mark.parametrize("date", ["2022-03-12", "12 March 2022", "März 2022", "1999"])
def test_a_date_is_free_text_with_a_year(env: Path, date: str) -> None:
    assert AnnotationStore(env, "alice").set_article_meta(SEED, date=date).date == date


def test_an_edit_is_undoable_and_another_session_sees_it(env: Path) -> None:
    alice, bob = AnnotationStore(env, "alice"), AnnotationStore(env, "bob")
    alice.set_article_meta(SEED, title="First")
    assert bob.article_meta(SEED).title == "First"
    alice.set_article_meta(SEED, title="Second")
    assert bob.refresh() and bob.article_meta(SEED).title == "Second"  # read from the journal
    assert alice.undo() == f"undid: edit the details of {SEED!r}"
    assert bob.article_meta(SEED).title == "First"
    alice.undo()
    assert bob.article_metas() == {} and alice.redo() is not None
    assert AnnotationStore(env, "carol").article_meta(SEED).title == "First"


def test_effective_article_prefers_the_readers_values(article: Article) -> None:
    assert effective_article(article, None) is article
    assert effective_article(article, ArticleMeta(SEED)) is article
    meta = ArticleMeta(SEED, title="T", author="A. Writer", date="2025-01-24", url=URL)
    shown = effective_article(article, meta)
    assert (shown.title, shown.author, shown.source) == ("T", "A. Writer", article.source)
    assert shown.metadata["date"] == "2025-01-24" and shown.metadata["url"] == URL
    assert shown.text == article.text and shown.blocks == article.blocks
    assert "url" not in article.metadata  # the cleaned article itself is not changed
    assert replace(shown, title=article.title, author=article.author, metadata={}) == replace(
        article, metadata={}
    )


def test_cli_prints_sets_and_clears(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, env, "article", SEED[:3])  # a unique start is enough
    assert code == 0
    assert out.splitlines()[0] == f"id      {SEED}"
    assert out.splitlines()[2] == "source  Kennan Institute  (from cleaning)"
    assert out.splitlines()[5] == "url     -"
    code, out, _ = run(capsys, env, "article", SEED, "--title", "Trump, Putin and Xi", "--url", URL)
    assert code == 0
    assert "title   Trump, Putin and Xi  (set by alice)" in out.splitlines()
    assert f"url     {URL}  (set by alice)" in out.splitlines()
    code, out, _ = run(capsys, env, "article", SEED, "--title", "", "--json")
    record = json.loads(out)
    assert record["set_by_reader"] == ["url"] and record["url"] == URL
    assert (
        record["title"]
        == load_article(BUNDLED_SEEDS / f"{SEED}.txt", cache=env.parent / "cache").title
    )


def test_cli_refusals(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, env, "article", "no_such_article", "--title", "x")
    assert (code, out) == (2, "") and "no article 'no_such_article'" in err
    code, out, err = run(capsys, env, "article", SEED[:2], "--title", "x")
    assert (code, out) == (2, "") and "'00' starts 2 article ids" in err
    code, out, err = run(capsys, env, "article", SEED, "--url", "www.example.org")
    assert (code, out) == (2, "") and "not an http:// or https:// address" in err
    assert not env.exists()


def test_exports_carry_the_readers_metadata(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tag", SEED, "--quote", "Putin", "--tag", "Russia", "--db", str(env)]) == 0
    run(capsys, env, "article", SEED, "--title", "Trump, Putin and Xi", "--source",
        "Wilson Center", "--date", "2025-01-24", "--url", URL)  # fmt: skip
    code, out, _ = run(capsys, env, "export")
    group = yaml.safe_load(out)["articles"][0]
    assert code == 0
    assert (group["title"], group["source"]) == ("Trump, Putin and Xi", "Wilson Center")
    assert (group["date"], group["url"]) == ("2025-01-24", URL)
    exported = tmp_path / "work.yaml"
    exported.write_text(out, encoding="utf-8")
    assert len(read_import(exported).annotations) == 1  # the new fields import cleanly
    code, out, _ = run(capsys, env, "export", "--format", "markdown")
    assert "— *Trump, Putin and Xi*, paragraph 2 (Wilson Center), coded by alice" in out
    qdpx = tmp_path / "work.qdpx"
    run(capsys, env, "export", "--format", "refi", "-o", str(qdpx))
    with zipfile.ZipFile(qdpx) as archive:
        project = archive.read("project.qde").decode()
    assert "<TextValue>Trump, Putin and Xi</TextValue>" in project  # a variable (issue 13.2)
    assert f"url: {URL}" in project and "source: Wilson Center" in project


def test_store_excerpts_applies_the_stores_overrides(env: Path, article: Article) -> None:
    store = AnnotationStore(env, "alice")
    start = article.text.index("Putin")
    store.add(SEED, start, start + 5, article.text, ["Russia"])
    store.set_article_meta(SEED, title="Mine")
    [excerpt] = store_excerpts(store, {SEED: article}.get)
    assert excerpt.title == "Mine" and excerpt.article.title == "Mine"

    class Snapshot:  # what the export dialog passes: no article metadata of its own
        def annotations(self) -> list:
            return store.annotations()

        def tags(self) -> list:
            return store.tags()

    [plain] = store_excerpts(Snapshot(), {SEED: article}.get)
    assert plain.title == article.title


def test_a_yaml_export_with_a_bad_url_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "format: marginalia-excerpts/1\narticles:\n- id: a\n  url: [not, text]\n  excerpts: []\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="line 4: `url` must be text"):
        read_import(path)
