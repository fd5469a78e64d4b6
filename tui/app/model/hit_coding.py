"""Coding a corpus search's hits: which passages ctrl+t writes, and what its confirm says.

A hit codes its words, or the sentence or paragraph it sits in (`tui.corpus.units`); hits
in one sentence make one passage. A passage this coder has already coded with every chosen
code (the same range: what `t` on that sentence in the reader makes) is left as it is, so
coding the same hits twice adds nothing and touches nothing; the confirm says how many.
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
    passages were left because they already carry every name (`already`)."""

    unit: CodingUnit
    names: tuple[str, ...]
    hits: int
    passages: list[Passage]
    already: int

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
        return text


def plan_coding(
    hits: Sequence[Hit],
    unit: CodingUnit,
    names: Sequence[str],
    mine: Iterable[Annotation],
) -> HitCoding:
    """The passages `hits` make as `unit`s, less those already coded with every one of
    `names` (as the store keeps them) among `mine`, this coder's annotations."""
    passages = merged(hit.passage(unit) for hit in hits)
    wanted = set(names)
    done = {(a.article, a.start, a.end) for a in mine if wanted <= set(a.tags)}
    to_tag = [passage for passage in passages if passage not in done]
    return HitCoding(unit, tuple(names), len(hits), to_tag, len(passages) - len(to_tag))
