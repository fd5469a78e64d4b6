"""Coding a corpus search's hits: which passages ctrl+t writes, and what its confirm says.

A hit codes its words, or the sentence or paragraph it sits in (`tui.corpus.units`); hits
in one sentence make one passage. A passage that lies within one this coder has already
coded with every chosen code (the same range, or a longer one around it: the reader's `t`
refuses that nesting too) is left as it is, so coding the same hits twice adds nothing and
touches nothing; the confirm says how many. A passage holding one already coded so is coded
(a paragraph over a coded sentence), and the confirm says it will count as one more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.corpus.search import Hit
from tui.corpus.units import CodingUnit, Passage, merged
from tui.store.model import Annotation
from tui.wording import counted


@dataclass(frozen=True, slots=True)
class HitCoding:
    """What coding `hits` hits by `unit` with `names` does: `passages` to tag, and how many
    passages were left because they already carry every name, or lie within one that does
    (`already`)."""

    unit: CodingUnit
    names: tuple[str, ...]
    hits: int
    passages: list[Passage]
    already: int
    holding: int = 0
    """Of `passages`, how many hold a shorter passage already coded with every name."""

    @property
    def noun(self) -> str:
        """What one passage is called: a passage (the words), a sentence, a paragraph."""
        return "passage" if self.unit == "words" else self.unit

    def question(self, undo_key: str) -> str:
        """The confirm's text: what is tagged, where, and what is left."""
        names = ", ".join(self.names)
        if not self.passages:
            return f"Nothing to tag: every {self.noun} already carries {names}."
        articles = len({article_id for article_id, _start, _end in self.passages})
        text = (
            f"Tag {counted(len(self.passages), self.noun)} in "
            f"{counted(articles, 'article')} with {names}?\n"
            f"One {undo_key} in the reader takes them all back."
        )
        if len(self.passages) + self.already < self.hits:
            text += (
                f"\n{counted(self.hits, 'hit')} in all: a {self.noun} with several is coded once."
            )
        if self.already:
            verb, stays = ("carries", "it is") if self.already == 1 else ("carry", "they are")
            text += f"\n{counted(self.already, self.noun)} already {verb} {names}: left as {stays}."
        if self.holding:
            verb = "holds" if self.holding == 1 else "hold"
            text += (
                f"\n{counted(self.holding, self.noun)} {verb} a passage you already coded "
                f"{names}: both will count."
            )
        return text


def plan_coding(
    hits: Sequence[Hit],
    unit: CodingUnit,
    names: Sequence[str],
    mine: Iterable[Annotation],
) -> HitCoding:
    """The passages `hits` make as `unit`s, less those within one already coded with every
    one of `names` (as the store keeps them) among `mine`, this coder's annotations."""
    passages = merged(hit.passage(unit) for hit in hits)
    wanted = set(names)
    coded: dict[str, list[tuple[int, int]]] = {}
    for annotation in mine:
        if wanted <= set(annotation.tags):
            coded.setdefault(annotation.article, []).append((annotation.start, annotation.end))
    to_tag: list[Passage] = []
    holding = 0
    for passage in passages:
        article_id, start, end = passage
        spans = coded.get(article_id, ())
        if any(s <= start and end <= e for s, e in spans):
            continue  # within a passage that already carries every name
        to_tag.append(passage)
        holding += any(start <= s and e <= end for s, e in spans)
    left = len(passages) - len(to_tag)
    return HitCoding(unit, tuple(names), len(hits), to_tag, left, holding)
