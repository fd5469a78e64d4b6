"""The whole coding as one Markdown document: the codebook with descriptions and counts, then
every excerpt under the code it carries, with its article, paragraph, coder and note.

Written with the Markdown exporter's pieces (`escape_inline`, `excerpt_lines`), so titles,
tags, quotes and notes are escaped the same way, and made inert line by line for a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tui.analysis.counting import codes_counted
from tui.export.excerpts import Excerpt
from tui.export.markdown_format import (
    UNTAGGED_HEADING,
    article_lines,
    escape_inline,
    excerpt_lines,
    quote_block,
)
from tui.inert import inert_lines_in_file
from tui.store.hierarchy import SEPARATOR, tree_nodes, tree_order
from tui.store.model import Tag
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


def _every_code(name: str) -> bool:
    return True


def full_report(
    tags: Iterable[Tag],
    excerpts: Sequence[Excerpt],
    *,
    title: str = "Coding report",
    wants_code: Callable[[str], bool] = _every_code,
) -> str:
    """The report: codebook, excerpts by code (codes in tree order, excerpts in reading
    order; an excerpt with two codes is under both), the articles quoted."""
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
    lines += article_lines(excerpts)
    return inert_lines_in_file("\n".join(lines).rstrip("\n") + "\n")
