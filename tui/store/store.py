"""The annotation store: what a user does to annotations and tags, undoable, shared safely.

One `AnnotationStore` is one user's session against one store file. Every change is one
locked transaction of the storage (one journal line, however many records it touches), and an
entry on this session's undo stack. Queries read an in-memory index that is rebuilt only when
another process changed the file, so the app can ask for an article's annotations on every
keystroke and poll `refresh()` twice a second.

This module is the facade and the transaction: the indexes (`indexes.py`), the undo history
(`history.py`), the rules of what may be stored (`rules.py`, `names.py`) and the schema
(`schema.py`) each live in a module of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from tui.store import article_edits, codebook_edits, span_edits
from tui.store.anchoring import Reanchored, anchor, context_around, reanchor_all, text_digest
from tui.store.attribute_batch import AttributeBook
from tui.store.errors import StoreError
from tui.store.hierarchy import is_within, normalise_tag_name, passages_under
from tui.store.history import Action, Edit, History, Left, change_mark, replay_edits, short
from tui.store.memos import MemoBook
from tui.store.model import Annotation, ArticleMeta, Tag, utc_now
from tui.store.names import check_author
from tui.store.records import Records

# PALETTE and COLOR_PATTERN are re-exported: the importers read them from here.
from tui.store.rules import COLOR_PATTERN as COLOR_PATTERN
from tui.store.rules import PALETTE as PALETTE
from tui.store.rules import (
    check_color,
    check_key,
    check_range,
    checked_article_id,
    checked_attributes,
    checked_meta_fields,
    checked_tag,
    clean_note,
    existing_tag_name,
    refuse_case_twin,
    unique,
)
from tui.store.schema import ANNOTATIONS_TABLE, META_TABLE, SEEDED_ID, TAGS_TABLE
from tui.text_match import fold

T = TypeVar("T")
Doc = dict[str, Any]
FirstFreeKey = Literal["first free"]
FIRST_FREE_KEY: Final[FirstFreeKey] = "first free"
"""`create_tag`'s default key: the lowest of 1-9 that no tag has, if any."""


class AnnotationStore:
    """Annotations and the codebook of one store file, for one user.

    Nothing is read or created until first needed: a missing file is an empty store, created
    (with its folder) by the first change. Errors about the file are StoreError; a change that
    could not be written raises StoreWriteError after it was applied in memory.
    """

    def __init__(
        self,
        path: Path | str,
        user: str,
        *,
        shared: bool | None = None,
        lock_timeout: float = 10.0,
    ) -> None:
        # The name every new annotation carries: checked as an importer checks an author.
        self.user = check_author(user)
        self._records = Records(Path(path), shared=shared, lock_timeout=lock_timeout)
        self._storage = self._records.storage
        self._at = self._records.at  # the indexes every query reads
        self._history = History()
        self._refreshed_version = -1
        self.memos = MemoBook(self._records, self._act, self.user)  # memos.py
        self.attributes = AttributeBook(self._records, self._act, self.user)  # many at once

    # -- files and status -------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._storage.path

    @property
    def backup_path(self) -> Path:
        return self._storage.backup_path

    @property
    def journal_path(self) -> Path:
        return self._storage.journal_path

    @property
    def pending_writes(self) -> int:
        """Changes held in memory because writing failed; retried on the next change/refresh."""
        return self._storage.pending_writes

    @property
    def write_error(self) -> str | None:
        """Why the last write failed, while changes are still waiting to be written; else why
        waiting changes were dropped (someone else changed those records), until `take_dropped`."""
        if self.pending_writes:
            return self._storage.write_error
        return self._storage.dropped_error

    @property
    def dropped_writes(self) -> int:
        """Waiting changes dropped so far because another process changed their records."""
        return self._storage.dropped_writes

    def take_dropped(self) -> str | None:
        """The message about dropped waiting changes, once (the app shows it, then it is gone)."""
        message, self._storage.dropped_error = self._storage.dropped_error, None
        return message

    def refresh(self) -> bool:
        """Retry waiting writes and catch up with other processes.

        True if the store changed on disk since the last refresh (the app redraws then).
        """
        self._storage.flush()
        self._storage.sync()
        self._records.reindex_if_stale()
        changed = self._storage.change_version != self._refreshed_version
        self._refreshed_version = self._storage.change_version
        return changed

    def compact(self) -> None:
        """Fold the journal into a new snapshot now (done by itself when the journal outgrows
        the snapshot); the snapshot it replaces is kept as the backup."""
        self._storage.compact()

    @property
    def whole_reads(self) -> int:
        """How often this session read the store file whole: changes other processes append
        to the journal are read from its tail and leave this count alone."""
        return self._storage.disk_version

    def flush(self) -> None:
        """Write waiting changes now; StoreWriteError if that still fails."""
        if self.pending_writes:
            with self._storage.transaction():
                pass

    # -- queries ----------------------------------------------------------------------------

    def get(self, annotation_id: str) -> Annotation | None:
        self._records.catch_up()
        return self._at.by_id.get(annotation_id)

    def annotations(
        self,
        *,
        article: str | None = None,
        tag: str | None = None,
        author: str | None = None,
        text: str | None = None,
    ) -> list[Annotation]:
        """Matching annotations by (article, start, end, created).

        `tag` includes its children (`Russia` finds `Russia/war aims`); `text` is searched
        in quotes and notes as the reader's `/` searches (any case, ' for ’).
        """
        self._records.catch_up()
        needle = fold(text) if text else None
        pool = self._at.by_id if article is None else self._at.by_article.get(article, {})
        found = [
            annotation
            for annotation in pool.values()
            if (author is None or annotation.author == author)
            and (tag is None or any(is_within(name, tag) for name in annotation.tags))
            and (
                needle is None
                or needle in fold(annotation.quote)
                or needle in fold(annotation.note)
            )
        ]
        found.sort(key=lambda a: (a.article, a.start, a.end, a.created, a.id))
        return found

    def anchored(self, article: str, text: str) -> list[Annotation]:
        """The article's annotations re-anchored to its current clean text.

        Copies with `.anchor` set and offsets moved where the text moved; orphaned ones keep
        their old offsets and are still returned. The store itself is not changed.
        """
        digest = text_digest(text)
        return [
            anchor(annotation, text, digest=digest)
            for annotation in self.annotations(article=article)
        ]

    # -- an article's text changed on disk (the live corpus) ---------------------------------

    def reanchored(self, article: str, text: str) -> Reanchored:
        """The article's annotations placed in its new clean text, with those that need
        checking (fuzzy or orphaned). The store is not changed: nothing is dropped, and an
        annotation keeps its quote and context until the reader places it by hand."""
        return reanchor_all(article, self.annotations(article=article), text)

    def tags(self) -> list[Tag]:
        """The codebook, plus tags used on annotations but never defined, by name."""
        self._records.catch_up()
        found = dict(self._at.codebook)
        for name in self._at.tag_counts:
            found.setdefault(name, Tag(name))
        return sorted(found.values(), key=lambda tag: tag.name.casefold())

    def tag(self, name: str) -> Tag | None:
        self._records.catch_up()
        if name in self._at.codebook:
            return self._at.codebook[name]
        return Tag(name) if name in self._at.tag_counts else None

    def tag_counts(self) -> dict[str, int]:
        """How many annotations carry each tag name itself (children not included); counts
        shown to a reader are `tag_totals`."""
        self._records.catch_up()
        return dict(self._at.tag_counts)

    def article_meta(self, article_id: str) -> ArticleMeta:
        """The reader's overrides for an article (all None when there are none)."""
        self._records.catch_up()
        return self._at.article_meta.get(article_id) or ArticleMeta(article_id)

    def article_metas(self) -> dict[str, ArticleMeta]:
        """Every article with overrides, by id."""
        self._records.catch_up()
        return dict(self._at.article_meta)

    @property
    def codebook_seeded(self) -> bool:
        """True once a starter codebook was loaded into this store (by any session)."""
        self._records.catch_up()
        return self._records.raw(META_TABLE, SEEDED_ID) is not None

    def tag_totals(self) -> dict[str, int]:
        """How many annotations carry each tag or one below it (`passages_under`, the one
        counting rule): what a tree of the codebook shows."""
        self._records.catch_up()
        return passages_under(annotation.tags for annotation in self._at.by_id.values())

    # -- annotation changes -----------------------------------------------------------------

    def add(
        self,
        article: str,
        start: int,
        end: int,
        text: str,
        tags: Sequence[str],
        note: str = "",
    ) -> Annotation:
        """Annotate `text[start:end]` of `article`; `text` is the article's whole clean text.

        If this user already has an annotation on exactly that range, the tags join it. A
        colleague's annotation on the same range is left alone: each coder's coding stays
        their own, under their name, as agreement between coders needs.
        """
        check_range(start, end, text)
        names = unique(normalise_tag_name(name) for name in tags)
        note = clean_note(note)
        return self._act(
            f"tag {short(text[start:end])!r}",
            lambda: span_edits.tag_span(
                self._records, self.user, (article, start, end), text, names, note
            ),
        )

    def add_many(
        self, spans: Sequence[tuple[str, int, int]], texts: Mapping[str, str], tags: Sequence[str]
    ) -> list[Annotation]:
        """Tag every `(article, start, end)` as `add` would, as ONE undoable change (a search's
        "code all hits": one `u` takes the lot back). `texts`: each article's clean text."""
        for article, start, end in spans:
            check_range(start, end, texts[article])
        names = unique(normalise_tag_name(name) for name in tags)

        def body() -> list[Annotation]:
            return [
                span_edits.tag_span(self._records, self.user, span, texts[span[0]], names, "")
                for span in spans
            ]

        return self._act(f"tag {len(spans)} passages {', '.join(names)!r}", body)

    def update(
        self,
        annotation_id: str,
        *,
        tags: Sequence[str] | None = None,
        note: str | None = None,
        start: int | None = None,
        end: int | None = None,
        text: str | None = None,
    ) -> Annotation:
        """Change tags, note or range. A new range needs `text` (the article's clean text)."""
        if (start is not None or end is not None) and text is None:
            raise StoreError("changing an annotation's range needs the article text")
        names = None if tags is None else unique(normalise_tag_name(n) for n in tags)

        def body() -> Annotation:
            current = self._records.annotation(annotation_id)
            changes: dict[str, Any] = {"updated": utc_now()}
            if names is not None:
                codebook_edits.define_tags(self._records, names)
                changes["tags"] = tuple(names)
            if note is not None:
                changes["note"] = clean_note(note)
            if text is not None:
                new_start = current.start if start is None else start
                new_end = current.end if end is None else end
                check_range(new_start, new_end, text)
                prefix, suffix = context_around(text, new_start, new_end)
                changes.update(
                    start=new_start,
                    end=new_end,
                    quote=text[new_start:new_end],
                    prefix=prefix,
                    suffix=suffix,
                    text_hash=text_digest(text),
                )
            updated = replace(current, **changes)
            self._records.put_annotation(updated)
            return updated

        what = [
            *(["the tags"] if tags is not None else []),
            *(["the note"] if note is not None else []),
            *(["the passage"] if text is not None else []),
        ]
        return self._act(f"change {' and '.join(what) or 'nothing'} of an annotation", body)

    def retag(
        self, annotation_id: str, *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> tuple[Annotation, bool]:
        """Put tags on an annotation and take others off, from the record as stored when the
        write happens (another session may have added a tag or a note since the caller read
        it). One left with no tag and no note is removed. Returns it, and whether it went."""
        added = unique(normalise_tag_name(name) for name in add)
        taken = {existing_tag_name(name) for name in remove}

        return self._act(
            "change the tags of an annotation",
            lambda: span_edits.retag(self._records, annotation_id, added, taken),
        )

    def replace_coding(
        self, tag: str, untag: Sequence[str], put: Sequence[Annotation], description: str
    ) -> list[Annotation]:
        """Take `tag` off the annotations `untag` (ids) and write `put`, as ONE undoable change
        (`span_edits.replace_coding`): a consensus decision that replaces earlier consensus
        coding is one step for `undo`, wherever it is undone. What was written."""
        return self._act(
            description, lambda: span_edits.replace_coding(self._records, tag, untag, put)
        )

    def delete(self, annotation_id: str) -> Annotation:
        def body() -> Annotation:
            current = self._records.annotation(annotation_id)
            self._records.set(ANNOTATIONS_TABLE, annotation_id, None)
            return current

        return self._act("remove an annotation", body)

    def import_records(
        self,
        annotations: Iterable[Annotation],
        tags: Iterable[Tag] = (),
        *,
        expected: Mapping[str, str | None] | None = None,
    ) -> int:
        """Merge records by id (annotations) and name (tags) in one write; undoable.

        Records equal to what is stored are left alone, so importing twice changes nothing.
        `expected` maps an id to the `updated` stamp the caller saw when it planned the merge
        (None: absent); a record changed by another session since then is left as it is, so a
        plan made outside the lock never overwrites a newer edit. Returns how many annotations
        were added or changed.
        """
        incoming = list(annotations)
        # Checked as create_tag checks: a colour the reader can draw, a key of 1-9.
        incoming_tags = [checked_tag(tag) for tag in tags]

        def body() -> int:
            changed = 0
            for tag in incoming_tags:
                if tag.name not in self._at.codebook:
                    refuse_case_twin(tag.name, self._at.known_tags())
                if self._at.codebook.get(tag.name) != tag:
                    self._records.set(TAGS_TABLE, tag.name, tag.to_record())
            for annotation in incoming:
                record = annotation.to_record()
                stored = self._records.raw(ANNOTATIONS_TABLE, annotation.id)
                if expected is not None and annotation.id in expected:
                    seen = expected[annotation.id]
                    if (None if stored is None else stored.get("updated")) != seen:
                        continue
                if stored != record:
                    self._records.set(ANNOTATIONS_TABLE, annotation.id, record)
                    changed += 1
            return changed

        return self._act("import", body)

    # -- tag changes ------------------------------------------------------------------------

    def create_tag(
        self,
        name: str,
        *,
        color: str | None = None,
        key: int | FirstFreeKey | None = FIRST_FREE_KEY,
        description: str = "",
    ) -> Tag:
        """A new tag; by default with the next colour and the first quick key 1-9 no tag has.

        A given key is taken from the tag that had it; None makes a tag without one.
        """
        name = normalise_tag_name(name)
        if color is not None:
            check_color(color)
        if key != FIRST_FREE_KEY:
            check_key(key)

        def body() -> Tag:
            if name in self._at.codebook:
                raise StoreError(f"tag {name!r} already exists")
            refuse_case_twin(name, self._at.known_tags())
            chosen = color or codebook_edits.next_color(self._records)
            if key == FIRST_FREE_KEY:
                tag = Tag(
                    name, chosen, codebook_edits.free_key(self._records), clean_note(description)
                )
            else:
                tag = Tag(name, chosen, key, clean_note(description))
                if key is not None:
                    codebook_edits.unbind(self._records, key)
            self._records.set(TAGS_TABLE, name, tag.to_record())
            return tag

        return self._act(f"create tag {name!r}", body)

    def recolor_tag(self, name: str, color: str) -> Tag:
        check_color(color)
        return self._act(
            f"recolour {name!r}", lambda: codebook_edits.edit_tag(self._records, name, color=color)
        )

    def bind_key(self, name: str, key: int | None) -> Tag:
        """Bind 1-9 to a tag (taking it from any other tag), or unbind with None."""
        check_key(key)

        def body() -> Tag:
            if key is not None:
                codebook_edits.unbind(self._records, key, keep=name)
            return codebook_edits.edit_tag(self._records, name, key=key)

        return self._act(f"bind key {key} to {name!r}", body)

    def describe_tag(self, name: str, description: str) -> Tag:
        return self._act(
            f"describe {name!r}",
            lambda: codebook_edits.edit_tag(
                self._records, name, description=clean_note(description)
            ),
        )

    def rename_tag(self, old: str, new: str) -> int:
        """Rename a tag and its children everywhere, in one write. Returns annotations touched."""
        old, new = existing_tag_name(old), normalise_tag_name(new)

        def body() -> int:
            return codebook_edits.rename(self._records, old, new)

        return self._act(f"rename {old!r} to {new!r}", body)

    def merge_tags(self, source: str, into: str) -> int:
        """Retag everything tagged `source` (or below it) as `into`; `source` goes away."""
        source, into = existing_tag_name(source), normalise_tag_name(into)

        def body() -> int:
            return codebook_edits.merge(self._records, source, into)

        return self._act(f"merge {source!r} into {into!r}", body)

    def delete_tag(self, name: str) -> int:
        """Remove a tag and its children from the codebook and from every annotation.

        The annotations themselves stay (possibly with no tags). Returns annotations touched.
        """
        name = existing_tag_name(name)

        def body() -> int:
            return codebook_edits.delete(self._records, name)

        return self._act(f"delete tag {name!r}", body)

    def import_codebook(self, tags: Iterable[Tag]) -> int:
        """Merge tags by name in one undoable write; returns how many were created or changed.

        A field the incoming tag leaves empty (no colour, no key, no description) keeps what
        the store has, so a REFI-QDA codebook (which has no keys) never unbinds one. A key
        moves to the incoming tag, as with `bind_key`. Importing twice changes nothing.
        """
        incoming = [checked_tag(tag) for tag in tags]

        def body() -> int:
            return codebook_edits.merge_codebook(self._records, incoming)

        return self._act("import a codebook", body)

    def seed_codebook(self, tags: Iterable[Tag], source: str) -> int:
        """Load a starter codebook into a store that never had one and has no tags yet.

        Checked again under the lock, so two sessions starting at once seed it once; a
        marker in `_meta` keeps it from coming back after the user deleted every tag. Not
        undoable: the first `u` of a session should not wipe the codebook. Returns tags added.
        """
        incoming = [checked_tag(tag) for tag in tags]
        if self.codebook_seeded or self.tags():
            return 0

        def body() -> int:
            marker = {"source": source, "tags": len(incoming), "at": utc_now(), "by": self.user}
            return codebook_edits.seed(self._records, incoming, marker)

        return self._records.transact(body)

    # -- article metadata ---------------------------------------------------------------------

    def set_article_meta(self, article_id: str, **fields: str | None) -> ArticleMeta:
        """Override an article's title, source, author, date or url; undoable.

        A field given as None is left as it is; "" removes the override, so the value
        cleaning derived shows again. Values are one line of text; a url must be http(s).
        """
        values, article_id = checked_meta_fields(fields), checked_article_id(article_id)
        return self._act(
            f"edit the details of {article_id!r}",
            lambda: article_edits.edit_details(self._records, article_id, values, self.user),
        )

    def set_article_attributes(self, article_id: str, changes: Mapping[str, str]) -> ArticleMeta:
        """Set an article's free attributes (outlet, country, ...) by name, "" removing one, as
        one undoable change; names and values checked by `rules.checked_attributes`."""
        wanted, article_id = checked_attributes(changes), checked_article_id(article_id)
        return self._act(
            f"set {', '.join(map(repr, wanted))} of {article_id!r}",
            lambda: article_edits.edit_attributes(self._records, article_id, wanted, self.user),
        )

    # -- undo -------------------------------------------------------------------------------

    def last_change(self) -> Action | None:
        """This session's change that `undo` would revert now, or None."""
        return self._history.last()

    def undo(self) -> str | None:
        """Revert this session's last change; what was undone, or None if nothing."""
        return self._history.undo(self._replay)

    def redo(self) -> str | None:
        """Apply again the change last undone; None if there is none."""
        return self._history.redo(self._replay)

    def _replay(self, action: Action, forward: bool) -> list[Left]:
        """Apply one side of an action, leaving alone records someone else changed since."""
        return self._records.transact(
            lambda: replay_edits(action, self._records, self.user, forward=forward)
        )

    # -- machinery --------------------------------------------------------------------------

    def _act(self, description: str, body: Callable[[], T]) -> T:
        """Run `body` as one undoable change, marked with who made it (history.py)."""
        edits: list[Edit] = []

        def marked() -> T:
            result = body()
            if edits:
                self._records.set(META_TABLE, *change_mark(self.user, description))
            return result

        try:
            result = self._records.transact(marked, edits=edits)
        finally:
            self._history.record(description, edits)
        return result
