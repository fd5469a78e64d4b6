"""The whole coding as one Markdown document: the codebook with descriptions and counts, then
every excerpt under the code it carries, with its article, paragraph, coder and note.

Written with the Markdown exporter's pieces (`escape_inline`, `excerpt_lines`), so titles,
tags, quotes and notes are escaped the same way, and made inert line by line for a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from tui.analysis.counting import codes_counted
from tui.analysis.filters import AnalysisFilter
from tui.export.excerpts import Excerpt
from tui.export.markdown_format import (
    UNTAGGED_HEADING,
    article_lines,
    escape_inline,
    excerpt_lines,
    memo_entry_lines,
    memo_group_lines,
    quote_block,
)
from tui.inert import inert_lines_in_file
from tui.store.hierarchy import SEPARATOR, tree_nodes, tree_order
from tui.store.model import ArticleMeta, Memo, Tag
from tui.wording import counted


def codebook_lines(
    tags: Iterable[Tag], excerpts: Sequence[Excerpt], wants_code: Callable[[str], bool]
) -> list[str]:
    """Every node of the code tree (those `wants_code` lets through), indented under its
    parent, with how many passages sit under it (the one counting rule) and its description."""
    by_name = {tag.name: tag for tag in tags if wants_code(tag.name)}
    totals: dict[str, int] = {}
    for excerpt in excerpts:
        for code in codes_counted(excerpt.annotation.tags):
            if wants_code(code):
                totals[code] = totals.get(code, 0) + 1
    names = [name for name in tree_nodes([*by_name, *totals]) if wants_code(name)]
    lines = ["## Codebook", ""]
    if not names:
        return [*lines, "No codes.", ""]
    for name in names:
        depth = name.count(SEPARATOR)
        leaf = name.rsplit(SEPARATOR, 1)[-1]
        count = counted(totals.get(name, 0), "passage")
        lines.append(f"{'  ' * depth}- **{escape_inline(leaf)}** ({count})")
        tag = by_name.get(name)
        if tag is not None and tag.description:
            lines += quote_block(tag.description, prefix=f"{'  ' * (depth + 1)}")
    return [*lines, ""]


def report_memos(
    memos: Iterable[Memo], selection: AnalysisFilter, metas: Mapping[str, ArticleMeta]
) -> list[Memo]:
    """The memos a report carries: the project's, and those on the articles in scope (the
    article and attribute filters); a coder filter keeps the memos those coders wrote (as
    the export's `--author` does); a code filter keeps them all, a memo being about an
    article or the project, not a code."""
    return [
        memo
        for memo in memos
        if (memo.on_project or selection.accepts_article(memo.article, metas))
        and (not selection.coders or memo.author in selection.coders)
    ]


PROJECT_MEMOS_HEADING = "Memos on the project"
ARTICLE_MEMOS_HEADING = "Memos on articles"


def project_memo_lines(memos: Sequence[Memo]) -> list[str]:
    """The project's memos, oldest first, before the codebook: they say what the coding is
    for, which a reader wants before the figures."""
    chosen = sorted((m for m in memos if m.on_project), key=lambda m: (m.created, m.id))
    if not chosen:
        return []
    lines = [f"## {PROJECT_MEMOS_HEADING}", ""]
    for memo in chosen:
        lines += memo_entry_lines(memo)
    return lines


def article_memo_lines(memos: Sequence[Memo], titles: Mapping[str, str]) -> list[str]:
    """The memos on articles, one heading per article (by id), as the Markdown export
    writes them: in one section rather than in the article list, whose entries are list
    items a multi-paragraph quote does not sit in, and which names only quoted articles."""
    chosen = [m for m in memos if not m.on_project]
    if not chosen:
        return []
    return [f"## {ARTICLE_MEMOS_HEADING}", "", *memo_group_lines(chosen, titles, "###")]


def _every_code(name: str) -> bool:
    return True


def full_report(
    tags: Iterable[Tag],
    excerpts: Sequence[Excerpt],
    *,
    title: str = "Coding report",
    wants_code: Callable[[str], bool] = _every_code,
    memos: Sequence[Memo] = (),
    titles: Mapping[str, str] | None = None,
) -> str:
    """The report: the project's memos, codebook, excerpts by code (codes in tree order,
    excerpts in reading order; an excerpt with two codes is under both), the memos on
    articles, the articles quoted. `titles` names the articles memos are on (the excerpts'
    titles otherwise)."""
    sections: dict[str, list[Excerpt]] = {}
    untagged: list[Excerpt] = []
    for excerpt in excerpts:
        for name in excerpt.annotation.tags:
            sections.setdefault(name, []).append(excerpt)
        if not excerpt.annotation.tags:
            untagged.append(excerpt)
    coders = sorted(
        {excerpt.annotation.author for excerpt in excerpts if excerpt.annotation.author}
    )
    lines = [
        f"# {escape_inline(title)}",
        "",
        f"{counted(len(excerpts), 'excerpt')} by {counted(len(coders), 'coder')}"
        + (f" ({escape_inline(', '.join(coders))})" if coders else "")
        + ".",
        "",
    ]
    lines += project_memo_lines(memos)
    lines += codebook_lines(tags, excerpts, wants_code)
    lines += ["## Excerpts by code", ""]
    groups = [(name, sections[name]) for name in sorted(sections, key=tree_order)]
    if untagged:
        groups.append((UNTAGGED_HEADING, untagged))
    if not groups:
        lines += ["No excerpts.", ""]
    for name, members in groups:
        heading = name if name == UNTAGGED_HEADING else escape_inline(name)
        lines += [f"### {heading}", "", f"{counted(len(members), 'excerpt')}.", ""]
        for excerpt in members:
            lines += excerpt_lines(excerpt)
            lines += ["", "---", ""]
    named = {excerpt.annotation.article: excerpt.title for excerpt in excerpts}
    lines += article_memo_lines(memos, named | dict(titles or {}))
    lines += article_lines(excerpts)
    return inert_lines_in_file("\n".join(lines).rstrip("\n") + "\n")
