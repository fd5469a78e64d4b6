"""The cleaning pipeline: raw bytes -> Article, stage by stage, with a report of every change.

decode -> strip controls -> GBK repair -> Latin repair (ftfy) -> NFC -> blocks and furniture ->
repeated paragraphs -> suspect insertions -> sentences and words. Deterministic: the same bytes
always give the same Article, which is what makes the cache and annotation offsets safe.
"""

from __future__ import annotations

import hashlib
import unicodedata

from tui.corpus import decode, dedupe, gbk, latin, layout, segment, suspect
from tui.corpus.edits import detach, remap, shift
from tui.corpus.model import CLEANER_VERSION, Article, Block, BlockKind, Change
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
    text, report = decode.decode_bytes(raw)
    text, control_changes = decode.strip_controls(text)
    report.extend(control_changes)
    units = layout.split_units(text)
    dash = gbk.spaced_dash_style(text)
    trust_weak = gbk.damaged(text)
    for unit in units:
        _repair_encoding(unit, dash, trust_weak)
    units = [unit for unit in units if unit.text]
    layout.take_marked_headings(units)
    metadata = layout.Metadata()
    roles: list[str] = []
    fingerprints: dedupe.Fingerprints = {}
    while roles != [unit.role for unit in units]:  # until what is left is judged the same
        roles = [unit.role for unit in units]
        layout.classify(units, metadata)
        dedupe.remove_repeats(units, fingerprints)
        layout.classify_tail(units, metadata)
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
        words=tuple(segment.words(clean)),
        report=tuple(report),
        source=metadata.source,
        author=metadata.author,
        text_hash=hashlib.sha256(clean.encode("utf-8")).hexdigest(),
        raw_hash=hashlib.sha256(raw).hexdigest(),
        metadata=dict(metadata.extra),
    )


def _repair_encoding(unit: layout.Unit, dash: str, trust_weak: bool) -> None:
    text, changes = gbk.repair_gbk(unit.text, dash, trust_weak)
    text, changes = latin.repair_latin(text, changes)
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
    trimmed = text.strip()
    if trimmed != text:
        changes = remap(changes, text, trimmed)
    unit.text, unit.changes = trimmed, changes


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
