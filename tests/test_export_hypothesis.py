"""Other tools' annotations in, ours out: a plain W3C annotation (http id and source, only a
quote) and Hypothesis's export JSON, whose offsets count UTF-16 units (issue 13.4)."""

from __future__ import annotations

import json
from pathlib import Path

from test_export_support import article_from_text

from tui.corpus.model import Article
from tui.export.excerpts import select_excerpts, store_excerpts
from tui.export.hypothesis_format import codepoint_offset, mint_id, to_hypothesis, utf16_offset
from tui.export.importer import ImportReport, import_file
from tui.store import AnnotationStore

EXPORTED = "2026-11-21T12:00:00Z"
URL = "https://www.wilsoncenter.org/blog-post/ukraine-talks"
# Astral characters (emoji, U+1F1FA U+1F1E6 the Ukrainian flag) before the passages: each is
# one code point here and two UTF-16 units in a browser.
TALKS = (
    "Talks 🇺🇦 resumed in Riyadh 🤝 on Tuesday.\n"
    "The Kremlin wants recognition of the annexed regions.\n"
    "Kyiv asked for security guarantees first 🛡️ and a ceasefire."
)
OTHER = "Markets rose.\nThe Kremlin wants recognition, said an analyst, but not today.\n"


def _corpus(tmp_path: Path) -> tuple[AnnotationStore, dict[str, Article]]:
    store = AnnotationStore(tmp_path / "store.json", "alice")
    articles = {
        "talks": article_from_text("talks", TALKS, title="Talks resume"),
        "markets": article_from_text("markets", OTHER, title="Markets"),
    }
    store.set_article_meta("talks", url=URL)
    return store, articles


def _import(path: Path, store: AnnotationStore, articles: dict[str, Article]) -> ImportReport:
    return import_file(
        path, store, lambda a: articles[a].text if a in articles else None, articles.get,
        lambda: list(articles),
    )  # fmt: skip


def test_utf16_offsets_convert_both_ways_across_astral_characters() -> None:
    for offset in range(len(TALKS) + 1):
        units = utf16_offset(TALKS, offset)
        assert units == len(TALKS[:offset].encode("utf-16-le")) // 2
        assert codepoint_offset(TALKS, units) == offset


def test_a_plain_w3c_annotation_from_another_tool_is_placed_by_url_and_by_quote(
    tmp_path: Path,
) -> None:
    store, articles = _corpus(tmp_path)
    theirs = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {  # by URL: the article the reader gave that URL
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "id": "https://annotations.example.org/anno/17",
                "type": "Annotation",
                "body": [
                    {"type": "TextualBody", "purpose": "tagging", "value": "Russia/war aims"},
                    {"type": "TextualBody", "value": "their note"},
                ],
                "target": {
                    "source": URL,
                    "selector": {
                        "type": "TextQuoteSelector",
                        "exact": "recognition of the annexed regions",
                        "prefix": "The Kremlin wants ",
                        "suffix": ".\nKyiv",
                    },
                },
                "created": "2026-11-20T09:00:00+00:00",
            },
            {  # an unknown page: found by its quote and context across the corpus
                "id": "https://annotations.example.org/anno/18",
                "type": "Annotation",
                "body": {"type": "TextualBody", "purpose": "tagging", "value": "markets"},
                "target": {
                    "source": "https://news.example.com/markets-today",
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": "The Kremlin wants",
                            "prefix": "Markets rose.\n",
                            "suffix": " recognition, said",
                        }
                    ],
                },
            },
            {  # nowhere in the corpus: reported, not imported
                "id": "https://annotations.example.org/anno/19",
                "type": "Annotation",
                "target": {
                    "source": "https://elsewhere.example.com/",
                    "selector": {"type": "TextQuoteSelector", "exact": "not in any article"},
                },
            },
        ],
    }
    path = tmp_path / "theirs.jsonld"
    path.write_text(json.dumps(theirs), encoding="utf-8")
    report = _import(path, store, articles)
    assert len(report.plan.added) == 2
    assert report.unmatched == ("https://annotations.example.org/anno/19",)
    assert "anno/19" in "\n".join(report.summary())
    first = store.get(mint_id("https://annotations.example.org/anno/17"))
    assert first is not None and first.article == "talks"
    assert TALKS[first.start : first.end] == "recognition of the annexed regions"
    assert (first.tags, first.note) == (("Russia/war aims",), "their note")
    second = store.get(mint_id("https://annotations.example.org/anno/18"))
    assert second is not None and second.article == "markets"
    assert OTHER[second.start : second.end] == "The Kremlin wants"
    again = _import(path, store, articles)  # minted ids are stable: nothing changes
    assert (len(again.plan.added), len(again.plan.unchanged)) == (0, 2)


def _hypothesis_file() -> dict:
    quote = "security guarantees first"
    start = TALKS.index(quote)
    return {
        "export_date": "2026-11-21T10:00:00.000Z",
        "export_userid": "acct:dana@hypothes.is",
        "client_version": "1.1500.0",
        "annotations": [
            {
                "id": "Jx2vAqXyEe-8Xz1kY7b0Ig",
                "created": "2026-11-20T08:00:00.123456+00:00",
                "updated": "2026-11-20T08:30:00.000000+00:00",
                "user": "acct:dana@hypothes.is",
                "uri": URL,
                "text": "check **this**",
                "tags": ["security", "Kyiv"],
                "group": "__world__",
                "target": [
                    {
                        "source": URL,
                        "selector": [
                            {
                                "type": "RangeSelector",
                                "startContainer": "/p[3]",
                                "endContainer": "/p[3]",
                                "startOffset": 18,
                                "endOffset": 43,
                            },
                            {
                                "type": "TextPositionSelector",
                                "start": utf16_offset(TALKS, start),
                                "end": utf16_offset(TALKS, start + len(quote)),
                            },
                            {
                                "type": "TextQuoteSelector",
                                "exact": quote,
                                "prefix": "Kyiv asked for ",
                                "suffix": " 🛡️ and",
                            },
                        ],
                    }
                ],
                "document": {"title": ["Talks resume"]},
            }
        ],
    }


def test_a_hypothesis_export_imports_with_its_utf16_offsets(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(_hypothesis_file()), encoding="utf-8")
    report = _import(path, store, articles)
    assert report.kind == "hypothesis" and len(report.plan.added) == 1
    imported = store.get(mint_id("Jx2vAqXyEe-8Xz1kY7b0Ig"))
    assert imported is not None and imported.article == "talks"
    assert TALKS[imported.start : imported.end] == "security guarantees first"
    assert (imported.tags, imported.note, imported.author) == (
        ("security", "Kyiv"), "check **this**", "dana",
    )  # fmt: skip


def test_our_hypothesis_export_has_its_shape_and_utf16_positions(tmp_path: Path) -> None:
    store, articles = _corpus(tmp_path)
    quote = "Kyiv asked for security guarantees first 🛡️"
    start = TALKS.index(quote)
    store.add("talks", start, start + len(quote), TALKS, ["security"], note="flag 🇺🇦 note")
    excerpts = store_excerpts(store, articles.get)
    document = json.loads(to_hypothesis(excerpts, exported=EXPORTED))
    assert set(document) == {"export_date", "export_userid", "client_version", "annotations"}
    assert document["export_userid"].startswith("acct:alice@")
    (item,) = document["annotations"]
    assert item["uri"] == item["target"][0]["source"] == URL
    assert (item["tags"], item["text"]) == (["security"], "flag 🇺🇦 note")
    assert item["user"].startswith("acct:alice@") and item["document"]["title"] == ["Talks resume"]
    selectors = {s["type"]: s for s in item["target"][0]["selector"]}
    units = TALKS.encode("utf-16-le")
    position = selectors["TextPositionSelector"]
    # what a browser's JavaScript would slice
    assert units[position["start"] * 2 : position["end"] * 2].decode("utf-16-le") == quote
    assert position["end"] - position["start"] > len(quote)  # the emoji counted twice
    assert selectors["TextQuoteSelector"]["exact"] == quote
    # and it comes back into another store as the same work
    path = tmp_path / "ours.json"
    path.write_text(to_hypothesis(excerpts, exported=EXPORTED), encoding="utf-8")
    other, _ = _corpus(tmp_path / "other")
    report = _import(path, other, articles)
    (annotation,) = store.annotations()
    back = other.get(annotation.id)
    assert report.plan.added and back is not None
    assert (back.article, back.start, back.end, back.tags, back.note) == (
        "talks", annotation.start, annotation.end, ("security",), "flag 🇺🇦 note",
    )  # fmt: skip


def test_an_excerpt_whose_article_is_gone_exports_without_a_position() -> None:
    from tui.store import Annotation

    orphan = Annotation(id="a" * 32, article="gone", start=3, end=8, quote="hello")
    (item,) = json.loads(to_hypothesis(select_excerpts([orphan], {}), exported=EXPORTED))[
        "annotations"
    ]
    assert [s["type"] for s in item["target"][0]["selector"]] == ["TextQuoteSelector"]
    assert item["uri"] == "urn:marginalia:article:gone"
