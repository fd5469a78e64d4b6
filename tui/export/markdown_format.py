"""Markdown for people: one section per tag, each excerpt a blockquote with where it is from.

Article text, tag names, titles and notes are data: every character Markdown or HTML would
act on is backslash-escaped (CommonMark renders an escaped ASCII punctuation mark as itself),
so `*`, `[link](x)`, `<script>` or a line starting with `#` or `1.` render as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tui.export.excerpts import Excerpt
from tui.export.formats import ExportJob, Rendered
from tui.inert import inert_lines_in_file
from tui.store.hierarchy import passages_under
from tui.store.model import Memo
from tui.wording import counted

UNTAGGED_HEADING = "Excerpts without tags"

# Significant anywhere in a line (emphasis, code, links, HTML, entities, GFM tables,
# strikethrough, math); the rest matter only at the start of a line.
_INLINE_SIGNIFICANT = re.compile(r"([\\`*_\[\]<&|~$])")
_LINE_START_MARK = re.compile(r"^([ \t]*)([#>+\-=]|\d+(?=[.)]))")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.groups()
    if mark[0].isdigit():  # `1.` or `1)` would start an ordered list
        return f"{indent}{mark}\\"
    return f"{indent}\\{mark}"


def escape_inline(text: str) -> str:
    """Text that renders as itself anywhere in a line (headings, list items, quotes)."""
    escaped = _INLINE_SIGNIFICANT.sub(r"\\\1", text)
    escaped = _LINE_START_MARK.sub(_escape_line_start, escaped, count=1)
    # Leading spaces would start a code block; an entity keeps the line a paragraph.
    if escaped.startswith((" ", "\t")):
        escaped = "&#32;" + escaped[1:]
    return escaped


def quote_block(text: str, prefix: str = "> ") -> list[str]:
    """A blockquote whose line breaks stay line breaks (a backslash ends each soft line)."""
    lines = _LINE_BREAKS.split(text)
    out: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            out.append(prefix.rstrip())
            continue
        rendered = escape_inline(line.rstrip())
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and following.strip():
            rendered += "\\"  # a hard line break, not a join into one line
        out.append(prefix + rendered)
    return out


def excerpt_lines(excerpt: Excerpt) -> list[str]:
    a = excerpt.annotation
    lines = quote_block(a.quote)
    where = f"*{escape_inline(excerpt.title)}*"
    if excerpt.paragraph is not None:
        where += f", paragraph {excerpt.paragraph}"
    if excerpt.source:
        where += f" ({escape_inline(excerpt.source)})"
    details = [where]
    if a.author:
        # "by X" read as if X wrote the article: X is who coded the passage (issue 13.7).
        details.append(f"coded by {escape_inline(a.author)}")
    if a.anchor != "exact":
        details.append(f"anchor: {a.anchor}")
    lines += ["", "— " + ", ".join(details)]
    if a.note:
        lines += ["", "**Note:**", ""]
        lines += quote_block(a.note, prefix="")
    return lines


ARTICLES_HEADING = "Articles"


def article_lines(excerpts: Sequence[Excerpt]) -> list[str]:
    """The articles quoted, one entry each: title, then who wrote it, where and when, then its
    attributes."""
    seen: dict[str, Excerpt] = {}
    for excerpt in excerpts:
        seen.setdefault(excerpt.annotation.article, excerpt)
    if not seen:
        return []
    lines = [f"## {ARTICLES_HEADING}", ""]
    for article_id in sorted(seen):
        excerpt = seen[article_id]
        article = excerpt.article
        lines.append(f"- *{escape_inline(excerpt.title)}* ({escape_inline(article_id)})")
        details = {
            "author": article.author if article is not None else None,
            "source": excerpt.source,
            "date": article.metadata.get("date") if article is not None else None,
            "url": article.metadata.get("url") if article is not None else None,
        }
        for name, value in details.items():
            if value:
                lines.append(f"  - {name}: {escape_inline(value)}")
        # The team's own variables, after the article's details (names never clash: the
        # five details are not attribute names).
        for name in sorted(excerpt.attributes, key=lambda n: (n.casefold(), n)):
            value = excerpt.attributes[name]
            lines.append(f"  - {escape_inline(name)}: {escape_inline(value)}")
    return [*lines, ""]


MEMOS_HEADING = "Memos"


def memo_entry_lines(memo: Memo) -> list[str]:
    """One memo: who wrote it and when (and when it last changed), then its text quoted."""
    when = memo.created[:10]
    if memo.updated[:10] != when:
        when += f", updated {memo.updated[:10]}"
    by = f"by {escape_inline(memo.author)}, " if memo.author else ""
    return [f"— {by}{when}", "", *quote_block(memo.text), ""]


def memo_group_lines(memos: Sequence[Memo], titles: Mapping[str, str], level: str) -> list[str]:
    """The memos, the project's first, then each article's (by id), oldest first, under a
    heading of `level` (`###`) for the project and for each article."""
    lines: list[str] = []
    current: str | None = None
    for memo in sorted(memos, key=lambda m: (m.article, m.created, m.id)):
        if memo.article != current:
            current = memo.article
            lines += [f"{level} On {memo_subject(current, titles)}", ""]
        lines += memo_entry_lines(memo)
    return lines


def memo_subject(article_id: str, titles: Mapping[str, str]) -> str:
    """What a memo is on, escaped: "the project", or the article's title and id."""
    if not article_id:
        return "the project"
    title = titles.get(article_id)
    if title:
        return f"*{escape_inline(title)}* ({escape_inline(article_id)})"
    return escape_inline(article_id)


def memo_lines(memos: Sequence[Memo], titles: Mapping[str, str]) -> list[str]:
    """The export's memos section: the project's first, then each article's (by id), oldest
    first: a heading for each, who wrote it and when, and its text as a blockquote."""
    if not memos:
        return []
    return [f"## {MEMOS_HEADING}", "", *memo_group_lines(memos, titles, "###")]


def to_markdown(
    excerpts: Sequence[Excerpt], *, title: str = "Excerpts", memos: Sequence[Memo] = ()
) -> str:
    """Sections in tag-name order; excerpts within a section in reading order."""
    sections: dict[str, list[Excerpt]] = {}
    untagged: list[Excerpt] = []
    for excerpt in excerpts:
        for name in excerpt.annotation.tags:
            sections.setdefault(name, []).append(excerpt)
        if not excerpt.annotation.tags:
            untagged.append(excerpt)
    lines = [f"# {escape_inline(title)}", ""]
    if not excerpts:
        lines += ["No excerpts.", ""]
    under = passages_under(excerpt.annotation.tags for excerpt in excerpts)
    groups = [(escape_inline(name), sections[name], under[name]) for name in sorted(sections)]
    if untagged:
        groups.append((UNTAGGED_HEADING, untagged, len(untagged)))
    for heading, members, total in groups:
        # The count the codebook shows for the tag; its children's excerpts have sections
        # of their own.
        count = counted(total, "excerpt")
        if total != len(members):
            count += f" with this tag or one below it, {len(members)} in this section"
        lines += [f"## {heading}", "", f"{count}.", ""]
        for excerpt in members:
            lines += excerpt_lines(excerpt)
            lines += ["", "---", ""]
    lines += article_lines(excerpts)
    lines += memo_lines(memos, {e.annotation.article: e.title for e in excerpts})
    # Read in a terminal as often as in an editor: no control or bidi override raw.
    return inert_lines_in_file("\n".join(lines).rstrip("\n") + "\n")


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    text = to_markdown(job.excerpts, memos=job.memos)
    return Rendered(text.encode("utf-8"), len(job.excerpts))
