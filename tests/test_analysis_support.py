"""A small coded corpus for the analysis tests: two articles, two coders, nested tags,
overlapping passages, and the figures they give, worked out by hand in the docstrings.

Article A (Guardian): heading, paragraph 2 = sentences s1 s2 s3, paragraph 3 = s4 s5.
Article B (Times): heading, one paragraph = sentences t1 t2 t3.

  alice  A1  A s1                         Russia/war aims
  alice  A2  A "give up the east" (in s1) Russia, sanctions
  alice  A3  A s4                         sanctions
  bob    B1  A s1 (same range as A1)      sanctions
  bob    B2  B t1                         Russia/war aims, Russia (parent and child: once)
  bob    B3  B t2                         sanctions
  bob    B4  B middle of t1 .. middle t2  economy
  alice  N   B t3                         no tag, a note only (counted nowhere)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.corpus import clean_bytes
from tui.corpus.model import Article
from tui.store import AnnotationStore
from tui.store.model import Annotation, ArticleMeta

A_TEXT = (
    "Talks on Ukraine\n\n"
    "Moscow wants Kyiv to give up the east. The Kremlin said so on Tuesday. "
    "Europe answered with new sanctions.\n\n"
    "Oil prices rose by four percent. Traders blamed the war.\n"
)
B_TEXT = (
    "Sanctions hit Moscow\n\n"
    "Russia lost its oil buyers in Europe. Prices fell again in March. Banks froze assets.\n"
)
A_ID, B_ID = "a_guardian", "b_times"


@dataclass
class Coded:
    store: AnnotationStore
    articles: dict[str, Article]
    metas: dict[str, ArticleMeta]
    by_name: dict[str, Annotation]

    @property
    def annotations(self) -> list[Annotation]:
        return self.store.annotations()

    def ids(self, *names: str) -> set[str]:
        return {self.by_name[name].id for name in names}


def build(tmp_path: Path) -> Coded:
    a = clean_bytes(A_TEXT.encode(), A_ID)
    b = clean_bytes(B_TEXT.encode(), B_ID)
    db = tmp_path / "store.json"
    alice = AnnotationStore(db, "alice")
    s1, s4 = a.sentences[1], a.sentences[4]
    t1, t2, t3 = b.sentences[1], b.sentences[2], b.sentences[3]
    phrase = a.text.index("give up the east")
    made = {
        "A1": alice.add(A_ID, *s1, a.text, ["Russia/war aims"]),
        "A2": alice.add(A_ID, phrase, phrase + 16, a.text, ["Russia", "sanctions"]),
        "A3": alice.add(A_ID, *s4, a.text, ["sanctions"]),
        "N": alice.add(B_ID, *t3, b.text, [], note="check the date"),
    }
    bob = AnnotationStore(db, "bob")
    middle_t1, middle_t2 = (t1[0] + t1[1]) // 2, (t2[0] + t2[1]) // 2
    made |= {
        "B1": bob.add(A_ID, *s1, a.text, ["sanctions"]),
        "B2": bob.add(B_ID, *t1, b.text, ["Russia/war aims", "Russia"]),
        "B3": bob.add(B_ID, *t2, b.text, ["sanctions"]),
        "B4": bob.add(B_ID, middle_t1, middle_t2, b.text, ["economy"]),
    }
    store = AnnotationStore(db, "alice")
    metas = {
        A_ID: ArticleMeta(A_ID, attributes={"outlet": "Guardian", "country": "UK"}),
        B_ID: ArticleMeta(B_ID, attributes={"outlet": "Times", "country": "UK"}),
    }
    return Coded(store, {A_ID: a, B_ID: b}, metas, made)


def span_length(span: tuple[int, int]) -> int:
    return span[1] - span[0]


def store_attributes(store: AnnotationStore, metas: dict[str, ArticleMeta]) -> None:
    """Write article attributes into the store as its `articles` table keeps them. Through
    the records layer: this branch has no command that sets attributes yet (the "data"
    work adds one)."""
    from tui.store.schema import ARTICLES_TABLE

    records = store._records

    def body() -> None:
        for article_id, meta in metas.items():
            records.set(ARTICLES_TABLE, article_id, meta.to_record())

    records.transact(body)


def write_workspace(tmp_path: Path) -> tuple[Coded, list[str]]:
    """The fixture as a workspace on disk (corpus folder, store with attributes) and the
    flags that point `marginalia` at it."""
    coded = build(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{A_ID}.txt").write_text(A_TEXT, encoding="utf-8")
    (corpus / f"{B_ID}.txt").write_text(B_TEXT, encoding="utf-8")
    store_attributes(coded.store, coded.metas)
    flags = ["--corpus", str(corpus), "--db", str(coded.store.path), "--user", "alice"]
    return coded, flags
