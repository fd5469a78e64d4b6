"""Many articles' attributes set in one locked store write (a spreadsheet, an import).

`article --set` is one write per article: fine for one, 20 minutes for a thousand. A batch is
planned as data first (`plan_batch`: what changes, what is refused and why), so a command can
show it before writing; `AttributeBook.set_many` plans again under the lock, on the latest
state, and writes every change as one journal line and one undo step.

The rules are those of `article_edits.edit_attributes`: names and values checked by
`rules.checked_attributes`, "" removes, setting what is there writes nothing, and a name that
differs only in case from one in use is refused (one variable, one column). A refusal concerns
one name of one article; the rest still goes in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from tui.store.article_edits import current_meta, put_meta
from tui.store.errors import StoreError
from tui.store.memos import Act
from tui.store.model import ArticleMeta, utc_now
from tui.store.records import Records
from tui.store.rules import attribute_case_twin, checked_article_id, checked_attributes

AttributeChanges = Mapping[str, Mapping[str, str]]
"""Article id -> attribute name -> value ("" removes it)."""


@dataclass(frozen=True, slots=True)
class AttributeBatch:
    """What a batch does: the new attributes of each article it changes, the articles it
    leaves as they are (nothing differs), and the ones it refuses, with the reason."""

    changed: dict[str, dict[str, str]] = field(default_factory=dict)
    unchanged: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)

    def changed_names(self, metas: Mapping[str, ArticleMeta]) -> dict[str, int]:
        """How many articles each attribute name is set, changed or removed on."""
        counts: dict[str, int] = {}
        for article, attributes in self.changed.items():
            before = metas[article].attributes if article in metas else {}
            for name in sorted({*attributes, *before}, key=lambda n: (n.casefold(), n)):
                if attributes.get(name) != before.get(name):
                    counts[name] = counts.get(name, 0) + 1
        return counts


def plan_batch(metas: Mapping[str, ArticleMeta], changes: AttributeChanges) -> AttributeBatch:
    """The batch against `metas` (every article's record), without writing anything.

    A name or value the rules refuse is left out with the reason, and the article's other
    attributes still go in. Case twins are checked against the names that stay in use on the
    articles the batch does not touch, the names each touched article keeps, and the
    spelling the batch used first.
    """
    checked: dict[str, dict[str, str]] = {}
    refused: dict[str, list[str]] = {}
    for article, wanted in changes.items():
        try:
            article_id = checked_article_id(article)
        except StoreError as error:
            refused.setdefault(article, []).append(str(error))
            continue
        checked[article_id] = {}
        for name, value in wanted.items():
            try:
                checked[article_id].update(checked_attributes({name: value}))
            except StoreError as error:
                refused.setdefault(article_id, []).append(str(error))
    in_use = {
        name
        for article, meta in metas.items()
        for name in meta.attributes
        if article not in checked or name not in checked[article]
    }
    changed: dict[str, dict[str, str]] = {}
    unchanged: list[str] = []
    for article, wanted in checked.items():
        current = metas[article].attributes if article in metas else {}
        attributes = dict(current)
        for name, value in wanted.items():
            if not value:
                attributes.pop(name, None)
                continue
            try:
                attribute_case_twin(name, in_use)
            except StoreError as error:
                refused.setdefault(article, []).append(str(error))
                continue
            attributes[name] = value
            in_use.add(name)
        if attributes != current:
            changed[article] = attributes
        elif article not in refused:
            unchanged.append(article)
    reasons = {article: "; ".join(why) for article, why in refused.items()}
    return AttributeBatch(changed=changed, unchanged=tuple(unchanged), refused=reasons)


class AttributeBook:
    """Batch attribute writes of one store session (`AnnotationStore.attributes`)."""

    def __init__(self, records: Records, act: Act, user: str) -> None:
        self._records = records
        self._act = act
        self._user = user

    def set_many(self, changes: AttributeChanges) -> AttributeBatch:
        """Plan `changes` again on the latest state under the lock and write what changes as
        one undoable step; returns the plan as written (refusals included)."""
        articles = len(changes)

        def body() -> AttributeBatch:
            batch = plan_batch(self._records.at.article_meta, changes)
            stamp = utc_now()
            for article, attributes in batch.changed.items():
                current = current_meta(self._records, article)
                put_meta(
                    self._records,
                    replace(current, attributes=attributes, updated=stamp, by=self._user),
                )
            return batch

        return self._act(f"set the attributes of {articles:,} articles", body)
