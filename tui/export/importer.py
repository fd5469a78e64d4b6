"""`marginalia import FILE`: merge an export back into the store, by id, newer edit winning.

The merge is planned as pure data first (`plan_merge`), so what will happen can be shown and
tested without a store; then it is applied in one locked, undoable store write. Importing the
same file twice changes nothing. Every imported annotation is then anchored against its
article's current clean text and the outcome reported, as the reader would show it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from tui.corpus.model import Article
from tui.export.excerpts import utc_z
from tui.export.hypothesis_format import Foreign, codepoint_offset, mint_id
from tui.export.import_articles import (
    KeptValues,
    newer,
    plan_article_attributes,
    plan_article_details,
)
from tui.export.parse import ImportKind, read_import
from tui.export.w3c_format import annotation_id_from_iri
from tui.store import AnnotationStore, anchor, text_digest
from tui.store.errors import StoreError, StoreWriteError, refused_import
from tui.store.model import Annotation, ArticleMeta, Memo, Tag, effective_article
from tui.store.rules import free_color
from tui.wording import counted, one_line

Winner = Literal["file", "store"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One id edited differently in the file and in the store; the newer `updated` won."""

    id: str
    kept: Winner
    file_updated: str
    store_updated: str


@dataclass(frozen=True, slots=True)
class MergePlan:
    added: tuple[Annotation, ...] = ()
    updated: tuple[Annotation, ...] = ()  # the file's newer version replaces the store's
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    new_tags: tuple[Tag, ...] = ()

    @property
    def writes(self) -> tuple[Annotation, ...]:
        return self.added + self.updated


@dataclass(frozen=True, slots=True)
class AnchorReport:
    """How the imported annotations sit in the current clean text of their articles."""

    counts: dict[str, int] = field(default_factory=dict)
    missing_articles: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportReport:
    path: Path
    kind: ImportKind
    plan: MergePlan
    anchors: AnchorReport
    # Planned writes skipped because another session changed the record meanwhile.
    raced: tuple[str, ...] = ()
    # Article details taken from the file: article id -> the fields set.
    details: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Details and attributes the file has otherwise, kept as the store's (set here after the
    # file was written): article id -> name -> (the store's value, the file's); and the
    # articles whose values the store's rules refused (a URL that is not http(s), a name in
    # use in another case), with why.
    kept: KeptValues = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    # Other tools' annotations no article matched (their ids): not imported.
    unmatched: tuple[str, ...] = ()
    # Memos written from the file (new, or newer than the store's) and kept as they were.
    memos_written: int = 0
    memos_kept: int = 0
    # Unused codebook entries left out for a store tag named alike but for capitals: the
    # file's name -> the store's (`unused_case_twins`).
    case_twins: dict[str, str] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """What the user reads after an import: counts first, then each conflict."""
        plan = self.plan
        lines = [
            f"{self.path}: {len(plan.added)} added, {len(plan.updated)} updated, "
            f"{len(plan.unchanged)} unchanged, {len(plan.conflicts)} conflicts"
        ]
        for conflict in plan.conflicts:
            if conflict.kept == "file":
                lines.append(
                    f"  conflict {conflict.id}: took the file's version "
                    f"(updated {conflict.file_updated}, newer than {conflict.store_updated})"
                )
            else:
                lines.append(
                    f"  conflict {conflict.id}: kept the store's version "
                    f"(updated {conflict.store_updated}; the file's is {conflict.file_updated})"
                )
        for annotation_id in self.raced:
            lines.append(
                f"  conflict {annotation_id}: changed by another session during the import; "
                "kept that change"
            )
        if plan.new_tags:
            lines.append(f"  new tags: {', '.join(tag.name for tag in plan.new_tags)}")
        if self.case_twins:
            lines.append(
                "  kept this store's tags for the file's unused ones named alike but for "
                "capitals: "
                + _some([f"{ours!r} for {theirs!r}" for theirs, ours in self.case_twins.items()])
            )
        if self.unmatched:
            lines.append(
                f"  not imported, no article matches (by URL or quote): {len(self.unmatched)}: "
                + ", ".join(repr(their_id) for their_id in self.unmatched)
            )
        lines.extend(self._article_lines())
        if self.memos_written or self.memos_kept:
            lines.append(
                f"  memos: {self.memos_written} added or updated, {self.memos_kept} kept "
                "(the store's are the same or newer)"
            )
        counts = self.anchors.counts
        if counts:
            described = ", ".join(
                f"{counts[s]} {s}" for s in ("exact", "moved", "fuzzy", "orphaned") if counts.get(s)
            )
            lines.append(f"  anchors in the current text: {described}")
        if self.anchors.missing_articles:
            lines.append(
                "  not in the corpus (kept, shown as orphaned): "
                + ", ".join(self.anchors.missing_articles)
            )
        for annotation_id in self.anchors.orphaned:
            lines.append(f"  orphaned: {annotation_id} (its quote is no longer in the article)")
        return lines

    def _article_lines(self) -> list[str]:
        """The articles' details and attributes in a few lines however many articles: what was
        taken (counted by name), what kept the store's value, what was refused and why."""
        lines: list[str] = []
        if self.details:
            lines.append(
                f"  took the file's values for {counted(len(self.details), 'article')}: "
                + _by_name(self.details.values())
            )
        if self.kept:
            lines.append(
                f"  kept this store's values for {counted(len(self.kept), 'article')} "
                "(set here after the file was written):"
            )
            for article, values in list(self.kept.items())[:LISTED]:
                told = ", ".join(
                    f"{name} {_short(ours)!r} (the file's: {_short(theirs)!r})"
                    for name, (ours, theirs) in values.items()
                )
                lines.append(f"    {article}: {told}")
            if len(self.kept) > LISTED:
                lines.append(f"    and {len(self.kept) - LISTED:,} more")
        if self.refused:
            by_reason: dict[str, list[str]] = {}
            for article, why in self.refused.items():
                by_reason.setdefault(why, []).append(article)
            lines.append(
                f"  refused by this store's rules, for {counted(len(self.refused), 'article')} "
                "(their other values went in):"
            )
            reasons = list(by_reason.items())
            lines.extend(f"    {why}: {_some(articles)}" for why, articles in reasons[:LISTED])
            if len(reasons) > LISTED:
                lines.append(f"    and {counted(len(reasons) - LISTED, 'other reason')}")
        return lines


# How many articles a summary names one by one before it says "and N more".
LISTED = 5


def _by_name(taken: Iterable[tuple[str, ...]]) -> str:
    """`outlet (812), date (3)`: how many articles each name was taken for, most first."""
    counts = Counter(name for names in taken for name in names)
    return ", ".join(f"{name} ({count:,})" for name, count in counts.most_common())


def _short(value: str) -> str:
    return one_line(value, 40)


def _some(items: Sequence[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED:,} more"


def _same_edit(record: Annotation, stored: Annotation) -> bool:
    """Equal, or differing only in a text hash one side lacks (a W3C or Hypothesis import
    stores none) or in how a time is written (`+00:00` or `Z`, with or without zero
    microseconds): the same edit seen through two formats is not a conflict (issue 13.15)."""
    if record == stored:
        return True
    if record.text_hash and stored.text_hash and record.text_hash != stored.text_hash:
        return False
    return _as_compared(record) == _as_compared(stored)


def _as_compared(annotation: Annotation) -> Annotation:
    return replace(
        annotation,
        text_hash="",
        created=utc_z(annotation.created),
        updated=utc_z(annotation.updated),
    )


def plan_merge(
    incoming: Iterable[Annotation],
    existing: Mapping[str, Annotation],
    *,
    anchored: Mapping[str, Annotation] | None = None,
) -> MergePlan:
    """Sort the file's annotations into added / updated / unchanged / conflicting.

    `anchored` holds the store's annotations as an export shows them (re-anchored to the
    current text): a record equal to that copy is unchanged too, so exporting and importing
    into the same store is a no-op even where the article's text moved.
    A file without a text hash (W3C), or without another tool's id (`via`: a YAML or
    Hypothesis file written before they carried it), takes the stored one before comparing.
    """
    added: list[Annotation] = []
    updated: list[Annotation] = []
    unchanged: list[str] = []
    conflicts: list[Conflict] = []
    for record in incoming:
        stored = existing.get(record.id)
        if stored is None:
            added.append(record)
            continue
        if not record.text_hash:
            record = replace(record, text_hash=stored.text_hash)
        if not record.via:
            record = replace(record, via=stored.via)
        placed = (anchored or {}).get(record.id)
        if _same_edit(record, stored) or (placed is not None and _same_edit(record, placed)):
            unchanged.append(record.id)
            continue
        file_wins = newer(record.updated, stored.updated)
        conflicts.append(
            Conflict(
                id=record.id,
                kept="file" if file_wins else "store",
                file_updated=record.updated,
                store_updated=stored.updated,
            )
        )
        if file_wins:
            updated.append(record)
    return MergePlan(
        added=tuple(added),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        conflicts=tuple(conflicts),
    )


def plan_tags(
    writes: Sequence[Annotation], file_tags: Sequence[Tag], known: Mapping[str, Tag]
) -> tuple[Tag, ...]:
    """Tags the store lacks: the file's definitions first, a palette colour for the rest.

    Tags the store already has keep the store's colour, key and description. A key already
    bound in the store is not taken away from its tag: the newcomer comes without a key.
    """
    taken_keys = {tag.key for tag in known.values() if tag.key is not None}
    new: dict[str, Tag] = {}
    for tag in file_tags:
        if tag.name in known or tag.name in new:
            continue
        key = tag.key if tag.key not in taken_keys else None
        if key is not None:
            taken_keys.add(key)
        new[tag.name] = replace(tag, key=key)
    for annotation in writes:
        for name in annotation.tags:
            if name not in known and name not in new:
                taken = (tag.color for tag in (*known.values(), *new.values()))
                new[name] = Tag(name=name, color=free_color(taken))
    return tuple(new.values())


def unused_case_twins(
    writes: Sequence[Annotation], file_tags: Sequence[Tag], known: Mapping[str, Tag]
) -> dict[str, str]:
    """Codebook entries of the file that no imported passage uses and that differ from a
    store tag only in capitals (the file's name -> the store's): the store's tag stays, and
    the import goes on. A whole-codebook export brings every tag of its project, and one
    unused `Economy` must not refuse a file into a store that says `economy`; a tag a
    passage carries is still refused by the store (`refuse_case_twin`), saying which to use."""
    folded = {name.casefold(): name for name in known}
    used = {name for annotation in writes for name in annotation.tags}
    twins: dict[str, str] = {}
    for tag in file_tags:
        ours = folded.get(tag.name.casefold())
        if ours is not None and ours != tag.name and tag.name not in used:
            twins[tag.name] = ours
    return twins


def plan_memos(
    incoming: Iterable[Memo], stored: Mapping[str, Memo]
) -> tuple[list[Memo], dict[str, str | None], int]:
    """The file's memos to write (new, or with a newer `updated` than the store's), the
    `updated` each was planned from (None: absent), and how many are kept as stored."""
    writes: list[Memo] = []
    expected: dict[str, str | None] = {}
    kept = 0
    for memo in incoming:
        current = stored.get(memo.id)
        if current is None or (current != memo and newer(memo.updated, current.updated)):
            writes.append(memo)
            expected[memo.id] = None if current is None else current.updated
        else:
            kept += 1
    return writes, expected, kept


def check_anchors(
    annotations: Iterable[Annotation], text_of: Callable[[str], str | None]
) -> AnchorReport:
    counts: dict[str, int] = {}
    missing: dict[str, None] = {}
    orphaned: list[str] = []
    digests: dict[str, tuple[str, str] | None] = {}
    for annotation in annotations:
        if annotation.article not in digests:
            text = text_of(annotation.article)
            digests[annotation.article] = None if text is None else (text, text_digest(text))
        found = digests[annotation.article]
        if found is None:
            missing[annotation.article] = None
            status = "orphaned"
        else:
            status = anchor(annotation, found[0], digest=found[1]).anchor
            if status == "orphaned":
                orphaned.append(annotation.id)
        counts[status] = counts.get(status, 0) + 1
    return AnchorReport(counts=counts, missing_articles=tuple(missing), orphaned=tuple(orphaned))


class ForeignPlacer:
    """Matches other tools' annotations to our articles: the article the file names (our
    URN), else the one whose URL (the reader's, or cleaning's) is the annotation's source,
    else any article where the quote sits with its prefix and suffix.

    The tool's offsets are a hint into its own rendering of the page; the passage is placed
    by its quote in our clean text (`anchor`), and takes our offsets, context and text hash.
    """

    def __init__(
        self,
        article_of: Callable[[str], Article | None],
        corpus: Callable[[], Iterable[str]],
        metas: Mapping[str, ArticleMeta],
    ) -> None:
        self.article_of = article_of
        self.corpus = corpus
        self.metas = metas
        self._urls: dict[str, str] | None = None

    def urls(self) -> dict[str, str]:
        if self._urls is None:
            self._urls = {}
            for article_id in self.corpus():
                article = self.article_of(article_id)
                if article is not None:
                    shown = effective_article(article, self.metas.get(article_id))
                    if url := shown.metadata.get("url"):
                        self._urls.setdefault(url, article_id)
        return self._urls

    def place(self, foreign: Foreign) -> Annotation | None:
        record = foreign.annotation
        if record.article:
            candidates, named = [record.article], True
        elif (found := self.urls().get(foreign.source)) is not None:
            candidates, named = [found], True
        else:
            candidates, named = sorted(self.corpus()), False
        for article_id in candidates:
            article = self.article_of(article_id)
            if article is None:
                continue
            start, end = record.start, record.end
            if foreign.utf16:
                start = codepoint_offset(article.text, start)
                end = codepoint_offset(article.text, end)
            digest = text_digest(article.text)
            hinted = replace(record, article=article_id, start=start, end=end, text_hash="")
            placed = anchor(hinted, article.text, digest=digest)
            if placed.anchor in ("exact", "moved") or (named and placed.anchor == "fuzzy"):
                return replace(placed, text_hash=digest, anchor="exact", via=_via(foreign))
        return None


def _via(foreign: Foreign) -> str:
    """Their id kept verbatim beside ours (minted from it), as W3C's `via`; when the id is
    one of ours (a file we wrote, naming the page by its URL) the `via` it carried instead.
    The id it was first made with, when the file names one (`Foreign.origin`), is the one."""
    theirs = foreign.origin or foreign.their_id
    if not theirs or mint_id(theirs) == theirs or annotation_id_from_iri(theirs) is not None:
        return foreign.annotation.via
    return theirs


def import_file(
    path: Path,
    store: AnnotationStore,
    text_of: Callable[[str], str | None],
    article_of: Callable[[str], Article | None] | None = None,
    corpus: Callable[[], Iterable[str]] | None = None,
) -> ImportReport:
    """Read, plan, apply in one store write, check anchors. Nothing is written on an error.

    Then the file's article details (title, source, author, date, URL) are restored where
    they differ from what the store shows and the store's are not newer (`article_of` gives
    the article as cleaned; without it only the store's own overrides are compared).
    """
    parsed = read_import(path)
    unmatched: list[str] = []
    returned: set[str] = set()  # ours, back from a tool that gave them ids of its own
    if parsed.foreign:
        placer = ForeignPlacer(
            article_of or (lambda _: None), corpus or (lambda: ()), store.article_metas()
        )
        placed = dict.fromkeys(parsed.annotations)
        for foreign in parsed.foreign:
            found = placer.place(foreign)
            if found is None:
                unmatched.append(foreign.their_id or foreign.annotation.id)
            else:
                placed[found] = None
                if foreign.origin:
                    returned.add(found.id)
        parsed = replace(parsed, annotations=tuple(_one_per_id(placed)))
    existing: dict[str, Annotation] = {}
    for record in parsed.annotations:
        stored = store.get(record.id)
        if stored is not None:
            existing[record.id] = stored
    if returned & existing.keys():
        back = [
            _returned(a, existing[a.id]) if a.id in returned and a.id in existing else a
            for a in parsed.annotations
        ]
        parsed = replace(parsed, annotations=tuple(back))
    texts: dict[str, str | None] = {}

    def cached_text(article: str) -> str | None:
        if article not in texts:
            texts[article] = text_of(article)
        return texts[article]

    anchored: dict[str, Annotation] = {}
    for annotation_id, stored in existing.items():
        text = cached_text(stored.article)
        if text is not None:
            anchored[annotation_id] = anchor(stored, text)
    plan = plan_merge(parsed.annotations, existing, anchored=anchored)
    known = {tag.name: tag for tag in store.tags()}
    twins = unused_case_twins(plan.writes, parsed.tags, known)
    file_tags = [tag for tag in parsed.tags if tag.name not in twins]
    plan = replace(plan, new_tags=plan_tags(plan.writes, file_tags, known))
    raced: tuple[str, ...] = ()
    if plan.writes or plan.new_tags:
        seen = {a.id: (existing[a.id].updated if a.id in existing else None) for a in plan.writes}
        with refused_import(path):
            store.import_records(plan.writes, plan.new_tags, expected=seen)
        raced = tuple(a.id for a in plan.writes if store.get(a.id) != a)
    details, kept = plan_article_details(
        parsed.articles, parsed.exported, store.article_metas(), article_of or (lambda _: None)
    )
    restored: dict[str, tuple[str, ...]] = {}
    refused: dict[str, str] = {}
    for article_id, fields in details.items():
        try:
            store.set_article_meta(article_id, **fields)
        except StoreWriteError:
            raise
        except StoreError as error:  # e.g. a URL that is not http(s): the rest is in already
            refused[article_id] = str(error)
            continue
        restored[article_id] = tuple(fields)
    attributes, kept_attributes = plan_article_attributes(
        parsed.attributes, parsed.exported, store.article_metas()
    )
    for article_id, values in kept_attributes.items():
        kept.setdefault(article_id, {}).update(values)
    if attributes:  # one write for all the articles (`AttributeBook.set_many`)
        with refused_import(path):
            batch = store.attributes.set_many(attributes)
        for article_id, now in batch.changed.items():  # as written: refused names left out
            wanted = attributes[article_id]
            taken = [name for name, value in wanted.items() if now.get(name, "") == value]
            restored[article_id] = (*restored.get(article_id, ()), *taken)
        for article_id, reason in batch.refused.items():  # e.g. `Outlet` where `outlet` is used
            refused[article_id] = "; ".join(filter(None, (refused.get(article_id), reason)))
    memo_writes, memo_expected, memos_kept = plan_memos(
        parsed.memos, {memo.id: memo for memo in store.memos.list()}
    )
    memos_written = 0
    if memo_writes:
        with refused_import(path):
            memos_written = store.memos.merge(memo_writes, memo_expected)
    return ImportReport(
        path=Path(path),
        kind=parsed.kind,
        plan=plan,
        anchors=check_anchors(parsed.annotations, cached_text),
        raced=raced,
        details=restored,
        kept=kept,
        refused=refused,
        unmatched=tuple(unmatched),
        memos_written=memos_written,
        memos_kept=memos_kept + len(memo_writes) - memos_written,
        case_twins=twins,
    )


def _returned(record: Annotation, stored: Annotation) -> Annotation:
    """An annotation of the store back from a tool that gave it a new id and kept ours in
    `original_id`/`via` (Hypothesis's API): the tool's user and times are those of the upload,
    not of the coding, so the store's author and `created` stay, and the record is unchanged
    unless its content (passage, tags, note) was edited there, which comes in as an edit."""
    kept = replace(
        record,
        author=stored.author,
        created=stored.created,
        text_hash=record.text_hash or stored.text_hash,
        via=record.via or stored.via,
    )
    same = replace(kept, updated=stored.updated)
    return same if _same_edit(same, stored) else kept


def _one_per_id(annotations: Iterable[Annotation]) -> list[Annotation]:
    """A file may hold one foreign annotation twice (the same id minted): keep the first."""
    seen: dict[str, Annotation] = {}
    for annotation in annotations:
        seen.setdefault(annotation.id, annotation)
    return list(seen.values())
