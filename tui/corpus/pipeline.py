"""The cleaning pipeline: raw bytes -> Article, stage by stage, with a report of every change.

decode -> strip controls -> HTML residue -> cp932, Big5, GBK, Latin (ftfy) repairs -> NFC ->
blocks and furniture -> repeated paragraphs -> suspect insertions -> sentences and words.
Deterministic: the same bytes always give the same Article, which is what makes the cache and
annotation offsets safe.
"""

from __future__ import annotations

import hashlib
import unicodedata

from tui.corpus import (
    cjk_codecs,
    decode,
    dedupe,
    gbk,
    latin,
    layout,
    lost_chars,
    markup,
    page_end,
    segment,
    suspect,
)
from tui.corpus.edits import detach, remap, shift
from tui.corpus.model import CLEANER_VERSION, Article, Block, BlockKind, Change, Spans
from tui.corpus.title import derive_title
from tui.errors import UserError

__all__ = ["CLEANER_VERSION", "clean_bytes"]

BLOCK_SEPARATOR = "\n\n"


def clean_bytes(raw: bytes, article_id: str, source_name: str | None = None) -> Article:
    """Clean one article. Raises UserError (naming `source_name` if given) for unusable input."""
    try:
        return _clean(raw, article_id)
    except UserError as error:
        if source_name is None:
            raise
        raise UserError(f"{source_name}: {error}") from None


def _clean(raw: bytes, article_id: str) -> Article:
    text, decoded = decode.decode_bytes(raw)
    report = [change for change in decoded if change.start is None]
    placed = [change for change in decoded if change.start is not None]
    stripped, control_changes = decode.strip_controls(text)
    report.extend(control_changes)
    units, apart = layout.split_units(stripped, remap(placed, text, stripped))
    report.extend(detach(apart, "on a line with no text"))
    dash = lost_chars.spaced_dash_style(text)
    trust_weak = gbk.damaged(text)
    big5 = cjk_codecs.big5_damaged(text)
    for unit in units:
        _repair_encoding(unit, dash, trust_weak, big5)
    units = [unit for unit in units if unit.text]
    layout.take_marked_headings(units)
    metadata = layout.Metadata()
    roles: list[str] = []
    fingerprints = dedupe.Fingerprints()
    while roles != [unit.role for unit in units]:  # until what is left is judged the same
        roles = [unit.role for unit in units]
        layout.classify(units, metadata)
        dedupe.remove_repeats(units, fingerprints)
        page_end.classify_tail(units, metadata)
    layout.take_dateline(units, metadata)
    layout.mark_headings(units)
    for unit in units:
        unit.changes.extend(suspect.flag_suspects(unit.text))

    kept = [unit for unit in units if unit.role in ("paragraph", "heading")]
    if not kept:
        raise UserError("no article text left after cleaning")
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for unit in units:
        if unit.role in ("paragraph", "heading"):
            if parts:
                offset += len(BLOCK_SEPARATOR)
            kind: BlockKind = "heading" if unit.role == "heading" else "paragraph"
            blocks.append(Block(kind, offset, offset + len(unit.text)))
            parts.append(unit.text)
            report.extend(shift(unit.changes, offset))
            offset += len(unit.text)
        else:
            report.append(_removal(unit, metadata))
            report.extend(detach(unit.changes, "in text removed from the body"))
    clean = BLOCK_SEPARATOR.join(parts)
    sentences = [span for b in blocks for span in segment.sentences(clean, b.start, b.end)]
    first = blocks[0]
    lead_end = first.end if first.kind == "heading" or not sentences else sentences[0][1]
    return Article(
        id=article_id,
        title=derive_title(clean[first.start : lead_end], first.kind == "heading"),
        text=clean,
        blocks=tuple(blocks),
        sentences=tuple(sentences),
        words=Spans(segment.words(clean)),
        report=tuple(report),
        source=metadata.source,
        author=metadata.author,
        text_hash=hashlib.sha256(clean.encode("utf-8")).hexdigest(),
        raw_hash=hashlib.sha256(raw).hexdigest(),
        metadata=dict(metadata.extra),
    )


def _repair_encoding(unit: layout.Unit, dash: str, trust_weak: bool, big5: bool) -> None:
    text, changes = unit.text, unit.changes
    heading = markup.heading_text(text)
    if heading is not None:
        changes = remap(changes, text, heading)
        changes.append(
            Change(
                stage=markup.STAGE,
                kind="heading-tag",
                before=text,
                after=heading,
                confidence=1.0,
                start=0,
                end=len(heading),
                detail=f"HTML heading element made a heading (line {unit.line})",
            )
        )
        text, unit.role = heading, "heading"
    text, changes = _markup(text, changes, True)
    text, changes = cjk_codecs.repair_cp932(text, changes)
    if big5:
        text, changes = cjk_codecs.repair_big5(text, changes, dash)
    repaired, gbk_changes = gbk.repair_gbk(text, dash, trust_weak)
    if gbk_changes:
        changes = [*remap(changes, text, repaired), *gbk_changes]
    text, changes = latin.repair_latin(repaired, changes)
    text, changes = latin.undo_ligatures(text, changes)
    text, changes = _markup(text, changes, False)
    if decode.C1_PUNCTUATION_CHAR.search(text):
        text, changes = _c1_punctuation(text, changes)
    if decode.C1_CONTROL.search(text):
        stripped = decode.C1_CONTROL.sub("", text)
        changes = remap(changes, text, stripped)
        changes.append(
            Change(
                stage=decode.STAGE_CONTROLS,
                kind="control-char",
                before=" ".join(dict.fromkeys(ascii(c) for c in decode.C1_CONTROL.findall(text))),
                after="",
                confidence=1.0,
                detail="C1 control characters left after the Latin repair",
            )
        )
        text = stripped
    if not unicodedata.is_normalized("NFC", text):
        composed = unicodedata.normalize("NFC", text)
        changes = remap(changes, text, composed)
        changes.append(
            Change(
                stage="normalize",
                kind="nfc",
                before=f"{len(text) - len(composed)} combining character(s)",
                after="composed",
                confidence=1.0,
                detail="decomposed accents composed (NFC), so words and search see one letter",
            )
        )
        text = composed
    trimmed = text.strip(layout.SPACE)
    if trimmed != text:
        changes = remap(changes, text, trimmed)
    unit.text, unit.changes = trimmed, changes


def _markup(text: str, changes: list[Change], tags: bool) -> tuple[str, list[Change]]:
    if not markup.has_residue(text):
        return text, changes
    fixed, found = markup.remove_residue(text, tags)
    return fixed, [*remap(changes, text, fixed), *found] if found else changes


def _c1_punctuation(text: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Windows-1252 quotes, dashes and ellipses that arrived as C1 characters."""
    fixed = decode.C1_PUNCTUATION_CHAR.sub(lambda m: decode.C1_PUNCTUATION[m.group()], text)
    moved = remap(changes, text, fixed)  # one character for one: offsets stay
    for match in decode.C1_PUNCTUATION_CHAR.finditer(text):
        moved.append(
            Change(
                stage=decode.STAGE_CONTROLS,
                kind="c1-punctuation",
                before=ascii(match.group()),
                after=decode.C1_PUNCTUATION[match.group()],
                confidence=0.95,
                start=match.start(),
                end=match.end(),
                detail="windows-1252 punctuation that arrived as a C1 control character",
            )
        )
    return fixed, moved


def _removal(unit: layout.Unit, metadata: layout.Metadata) -> Change:
    if unit.role == "repeat":
        return Change(
            stage=dedupe.STAGE,
            kind="repeated-paragraph",
            before=unit.text,
            after="",
            confidence=0.95,
            detail=f"line {unit.line} {unit.why}",
        )
    return layout.removal_change(unit, metadata)
