"""What an analysis looks at: passages by coder, tag subtree, article and article attribute.

One filter for the three views, the report command and the analysis screen, so "only alice's
coding of Russia in Guardian articles" selects the same passages everywhere. Within one kind
the values are alternatives (two coders: either); the kinds combine (a coder and a tag: both).
Attributes with the same key are alternatives, with different keys both must hold.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from tui.errors import UserError
from tui.store.hierarchy import SEPARATOR, ancestors, is_within
from tui.store.model import Annotation, ArticleMeta
from tui.wording import one_line

NO_VALUE = "(none)"
"""The group of articles that have no value for an attribute."""


@dataclass(frozen=True, slots=True)
class AnalysisFilter:
    coders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.coders or self.tags or self.articles or self.attributes)

    @property
    def in_scope(self) -> AnalysisFilter:
        """The articles part alone (articles and attributes): which texts the figures are
        over, whatever codes or coders are shown."""
        return AnalysisFilter(articles=self.articles, attributes=self.attributes)

    def wants_code(self, code: str) -> bool:
        """A code row or bar to show: any code without a tag filter, else those within it."""
        return not self.tags or any(is_within(code, tag) for tag in self._tag_roots)

    @property
    def _tag_roots(self) -> tuple[str, ...]:
        return tuple(tag.rstrip(SEPARATOR) for tag in self.tags)

    def accepts_article(self, article_id: str, metas: Mapping[str, ArticleMeta]) -> bool:
        if self.articles and article_id not in self.articles:
            return False
        if not self.attributes:
            return True
        meta = metas.get(article_id)
        values = meta.attributes if meta is not None else {}
        wanted: dict[str, set[str]] = {}
        for key, value in self.attributes:
            wanted.setdefault(key, set()).add(value)
        return all(values.get(key) in allowed for key, allowed in wanted.items())

    def accepts(self, annotation: Annotation, metas: Mapping[str, ArticleMeta]) -> bool:
        if self.coders and annotation.author not in self.coders:
            return False
        if self.tags:
            roots = self._tag_roots
            if not any(is_within(name, root) for name in annotation.tags for root in roots):
                return False
        return self.accepts_article(annotation.article, metas)

    def select(
        self, annotations: Iterable[Annotation], metas: Mapping[str, ArticleMeta]
    ) -> list[Annotation]:
        """The passages the filter lets through, in the order given. The tag and article
        tests are answered once per tag combination and per article (the views run this over
        every passage of the store on each change of filter)."""
        if self.is_empty:
            return list(annotations)
        coders = frozenset(self.coders)
        roots = self._tag_roots
        tags_pass: dict[tuple[str, ...], bool] = {}
        article_pass: dict[str, bool] = {}
        chosen = []
        for annotation in annotations:
            if coders and annotation.author not in coders:
                continue
            if roots:
                passes = tags_pass.get(annotation.tags)
                if passes is None:
                    passes = tags_pass[annotation.tags] = any(
                        is_within(name, root) for name in annotation.tags for root in roots
                    )
                if not passes:
                    continue
            if self.articles or self.attributes:
                passes = article_pass.get(annotation.article)
                if passes is None:
                    passes = article_pass[annotation.article] = self.accepts_article(
                        annotation.article, metas
                    )
                if not passes:
                    continue
            chosen.append(annotation)
        return chosen

    def describe(self) -> str:
        """One line saying what is selected, for a title or a status line."""
        parts = [
            *(f"coder {name}" for name in self.coders),
            *(f"tag {name}" for name in self.tags),
            *(f"article {name}" for name in self.articles),
            *(f"{key}={value}" for key, value in self.attributes),
        ]
        return one_line(", ".join(parts), 200) if parts else "everything"


EVERYTHING = AnalysisFilter()
"""The filter that lets every passage through."""


def parse_attribute(text: str) -> tuple[str, str]:
    """`outlet=Guardian` as (key, value); UserError when there is no `=` or no key."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UserError(f"attribute {text!r}: write it as KEY=VALUE (e.g. outlet=Guardian)")
    return key.strip(), value.strip()


def attribute_value(article_id: str, key: str, metas: Mapping[str, ArticleMeta]) -> str:
    """An article's value for `key`, or NO_VALUE: the column an article falls in when grouped."""
    meta = metas.get(article_id)
    if meta is None:
        return NO_VALUE
    return meta.attributes.get(key) or NO_VALUE


def attribute_keys(metas: Mapping[str, ArticleMeta]) -> list[str]:
    """Every attribute name some article has, sorted: what a view can be grouped by."""
    return sorted({key for meta in metas.values() for key in meta.attributes})


def article_groups(
    article_ids: Sequence[str], key: str, metas: Mapping[str, ArticleMeta]
) -> dict[str, list[str]]:
    """Article ids by their value for `key` (NO_VALUE for those without one)."""
    groups: dict[str, list[str]] = {}
    for article_id in article_ids:
        groups.setdefault(attribute_value(article_id, key, metas), []).append(article_id)
    return groups


FILTER_HELP = '@coder  #tag  article:ID  key=value  (quote names with spaces: #"war aims")'


def resolve_names(
    selection: AnalysisFilter,
    *,
    coders: Collection[str],
    codes: Collection[str],
    metas: Mapping[str, ArticleMeta] | None = None,
) -> AnalysisFilter:
    """The filter with its coders, codes and (given `metas`) attributes as the project spells
    them. A name in other capitals is that name (names are unique whatever their case), and
    the end of one code's path is that code (`#"war aims"` for `Russia/war aims`, as
    FILTER_HELP's example reads). A name matching none, or the ends of several, is a
    UserError naming the likely ones: an empty table would read as "no data" where the name
    was mistyped."""
    paths = set(codes) | {parent for code in codes for parent in ancestors(code)}
    tags = tuple(_one_of(tag.rstrip(SEPARATOR), paths, "tag", ends=True) for tag in selection.tags)
    who = tuple(_one_of(name, set(coders), "coder", ends=False) for name in selection.coders)
    attributes = selection.attributes
    if metas is not None:
        values: dict[str, set[str]] = {}
        for meta in metas.values():
            for key, value in meta.attributes.items():
                values.setdefault(key, set()).add(value)
        resolved = []
        for key, value in selection.attributes:
            key = _one_of(key, set(values), "attribute", ends=False)
            resolved.append((key, _one_of(value, values[key], f"{key} value", ends=False)))
        attributes = tuple(resolved)
    return AnalysisFilter(who, tags, selection.articles, attributes)


def _one_of(name: str, known: set[str], kind: str, *, ends: bool) -> str:
    """`name` as `known` spells it (exactly, in other capitals, or, with `ends`, as the end of
    one path), or a UserError saying what there is."""
    if name in known:
        return name
    folded = name.casefold()
    same = sorted(k for k in known if k.casefold() == folded)
    if not same and ends:
        same = sorted(k for k in known if k.casefold().endswith(SEPARATOR + folded))
    if len(same) == 1:
        return same[0]
    shown = one_line(name, 40)
    if same:
        listed = ", ".join(one_line(k, 40) for k in same[:5])
        raise UserError(f"{kind} {shown!r} could be {listed}: write the whole name")
    close = get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + ", ".join(one_line(k, 40) for k in close) + "?"
    else:
        few = sorted(known)
        hint = "known: " + (", ".join(one_line(k, 30) for k in few[:6]) or "none")
        hint += ", …" if len(few) > 6 else ""
    raise UserError(f"no {kind} {shown!r} in this project ({hint})")


def parse_filter_words(text: str) -> AnalysisFilter:
    """The analysis screen's filter line: `@alice #Russia article:000 outlet=Guardian`.

    `@name` (or `coder:name`) a coder, `#name` (or `tag:name`) a code and those below it,
    `article:id` an article, `key=value` an attribute; quotes keep spaces in a name.
    UserError names the word it could not read.
    """
    import shlex

    try:
        words = shlex.split(text)
    except ValueError as error:
        raise UserError(f"filter: {error}") from None
    coders: list[str] = []
    tags: list[str] = []
    articles: list[str] = []
    attributes: list[tuple[str, str]] = []
    for word in words:
        kind, sep, rest = word.partition(":")
        if word.startswith("@") and len(word) > 1:
            coders.append(word[1:])
        elif word.startswith("#") and len(word) > 1:
            tags.append(word[1:])
        elif sep and kind in ("coder", "tag", "article") and rest:
            {"coder": coders, "tag": tags, "article": articles}[kind].append(rest)
        elif "=" in word:
            attributes.append(parse_attribute(word))
        else:
            raise UserError(f"filter: {one_line(word, 40)!r} is none of {FILTER_HELP}")
    return AnalysisFilter(tuple(coders), tuple(tags), tuple(articles), tuple(attributes))
