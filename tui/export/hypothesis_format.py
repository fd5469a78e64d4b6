"""Hypothesis's export JSON, both ways, and the shape of an annotation made by another tool.

Hypothesis neither reads nor writes W3C JSON-LD: its client exports and imports
`{"export_date", "export_userid", "client_version", "annotations": [...]}`, each annotation
with `uri`, `text` (the note), `tags`, `user` (`acct:name@host`) and
`target: [{"source", "selector": [...]}]` (shared/interop.md). Its TextPositionSelector counts
UTF-16 code units (JavaScript string offsets), ours count code points: an emoji is 2 there, 1
here, so offsets are converted against the article's text both ways.

An annotation from another tool (Hypothesis, or W3C with an http id and source) is a
`Foreign`: it names a web page, not one of our articles, so the importer matches it to an
article (by URL, else by quote and context across the corpus) and mints our own id from theirs
(the same file imported twice gives the same ids). When the file names the id the annotation
was first made with (`original_id`, or `via`, at the top level or under Hypothesis's `extra`),
that id is who it is: our own annotations sent through Hypothesis's API, which gives each a new
id, come back as the same records.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui import __version__
from tui.export.excerpts import Excerpt, utc_z
from tui.export.formats import ExportJob, Rendered
from tui.export.import_checks import (
    check_text,
    check_time,
    check_via,
    fail,
    held_name,
    tag_name,
    type_name,
)
from tui.export.w3c_format import article_id_from_iri, article_iri, inert_json
from tui.store.model import Annotation
from tui.store.names import check_author

_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:marginalia:foreign-annotation")
_OUR_ID = re.compile(r"[0-9a-f]{32}")
USER_HOST = "marginalia.local"
WORLD_GROUP = "__world__"
# Another tool's id, verbatim. Hypothesis has no field for it: `references` are the parents of
# a reply, `links` are made by its server (and dropped from what a client sends), and
# `document.link` would declare the id another address of the page. Its API keeps any other
# top-level key in the annotation's `extra` and returns it, so `via` (W3C's name) travels
# through Hypothesis's API and back to us; its client's file import keeps only `uri`, `text`,
# `tags`, `target` and `document`, so there the key is ignored, never refused.
VIA_KEY = "via"
# Our own id, for the same reason: Hypothesis's API gives a created annotation an id of its own
# and keeps `original_id` in `extra`, so a file fetched back from it still names our record.
ORIGINAL_ID_KEY = "original_id"
EXTRA_KEY = "extra"  # where Hypothesis's API returns the keys it does not know


@dataclass(frozen=True, slots=True)
class Foreign:
    """An annotation read from another tool, not yet placed in one of our articles.

    `annotation.article` is our article when the file names it (our own URN), else "".
    `start`/`end` are the tool's offsets, a hint only; in UTF-16 units when `utf16`.
    `origin` is the id the annotation had where it was first made, when the file says so
    (Hypothesis's `extra.original_id` or `via`): that, not `their_id`, is who it is.
    """

    annotation: Annotation
    source: str
    their_id: str
    utf16: bool
    line: int | None
    origin: str = ""


def mint_id(their_id: str) -> str:
    """Our id for a foreign annotation: derived from theirs, so re-importing changes nothing.
    An id that is already ours (a file we wrote) is kept as it is."""
    if _OUR_ID.fullmatch(their_id):
        return their_id
    return uuid.uuid5(_ID_NAMESPACE, their_id).hex


# -- UTF-16 code units <-> code points -----------------------------------------------------------


def utf16_offset(text: str, offset: int) -> int:
    """Code point offset -> UTF-16 units: one more for each astral character before it."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def codepoint_offset(text: str, units: int) -> int:
    """UTF-16 units -> code point offset (a unit inside a pair rounds up to the next char)."""
    counted = 0
    for index, ch in enumerate(text):
        if counted >= units:
            return index
        counted += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


# -- writing ----------------------------------------------------------------------------------


def _user(author: str) -> str:
    return f"acct:{author or 'anonymous'}@{USER_HOST}"


def hypothesis_annotation(excerpt: Excerpt) -> dict[str, Any]:
    a = excerpt.annotation
    article = excerpt.article
    uri = (article.metadata.get("url", "") if article is not None else "") or article_iri(a.article)
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix}
    ]
    if article is not None and a.anchor != "orphaned":
        selectors.append(
            {
                "type": "TextPositionSelector",
                "start": utf16_offset(article.text, a.start),
                "end": utf16_offset(article.text, a.end),
            }
        )
    record: dict[str, Any] = {"id": a.id, ORIGINAL_ID_KEY: a.id}  # see `ORIGINAL_ID_KEY`
    if a.via:  # see `VIA_KEY`
        record[VIA_KEY] = a.via
    return record | {
        "created": utc_z(a.created),
        "updated": utc_z(a.updated or a.created),
        "user": _user(a.author),
        "uri": uri,
        "text": a.note,
        "tags": list(a.tags),
        "group": WORLD_GROUP,
        "target": [{"source": uri, "selector": selectors}],
        "document": {"title": [excerpt.title]},
    }


def to_hypothesis(excerpts: Sequence[Excerpt], *, exported: str) -> str:
    authors = Counter(e.annotation.author for e in excerpts if e.annotation.author)
    document = {
        "export_date": utc_z(exported),
        "export_userid": _user(authors.most_common(1)[0][0] if authors else ""),
        "client_version": f"marginalia {__version__}",
        "annotations": [hypothesis_annotation(excerpt) for excerpt in excerpts],
    }
    return inert_json(document)


# -- reading ----------------------------------------------------------------------------------


def is_hypothesis(data: Any) -> bool:
    return isinstance(data, dict) and "type" not in data and "annotations" in data


def _author(user: Any, line: int | None) -> str:
    text = check_text(user if user is not None else "", "user", line, limit_key="author")
    name = text.removeprefix("acct:").split("@", 1)[0]
    return held_name(check_author, name, "user", line) if name else ""


def hypothesis_records(data: dict[str, Any], lines: Any) -> list[Foreign]:
    """Every annotation of a Hypothesis export, checked field by field, as `Foreign`s."""
    items = data.get("annotations")
    if not isinstance(items, list):
        fail(1, f"`annotations` must be a list, not {type_name(items)}")
    found: list[Foreign] = []
    for index, item in enumerate(items):
        line = lines.of(item)
        what = f"annotation {index + 1}"
        if not isinstance(item, dict):
            fail(line, f"{what} must be an object, not {type_name(item)}")
        their_id = check_text(item.get("id", ""), "id", line)
        targets = item.get("target") or []
        target = targets[0] if isinstance(targets, list) and targets else targets
        if not isinstance(target, dict):
            fail(line, f"{what}: `target` must be a list holding one object")
        source = check_text(target.get("source", item.get("uri", "")), "uri", line, limit_key="url")
        quote: dict[str, Any] | None = None
        position: dict[str, Any] | None = None
        for selector in target.get("selector") or []:
            if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
                quote = selector
            elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
                position = selector
        if quote is None:
            fail(line, f"{what}: no TextQuoteSelector (a page note has no passage to place)")
        exact = check_text(quote.get("exact"), "exact", line, limit_key="quote")
        start, end = _position(position, len(exact))
        tags = item.get("tags") or []
        if not isinstance(tags, list):
            fail(line, f"{what}: `tags` must be a list")
        names = tuple(dict.fromkeys(tag_name(t, "tags", line) for t in tags))
        created = check_time(item.get("created", ""), "created", line)
        hint = article_id_from_iri(source) or ""
        original, via = _origin(item, line)
        origin = original or via
        annotation = Annotation(
            id=mint_id(_identity(their_id, origin) or f"{source}\x1f{exact}\x1f{created}"),
            article=hint,
            start=start,
            end=end,
            quote=exact,
            prefix=check_text(quote.get("prefix", ""), "prefix", line),
            suffix=check_text(quote.get("suffix", ""), "suffix", line),
            tags=names,
            note=check_text(item.get("text") or "", "note", line),
            author=_author(item.get("user"), line),
            created=created,
            updated=check_time(item.get("updated", created), "updated", line),
            via=via or ("" if _OUR_ID.fullmatch(original) else original),
        )
        found.append(Foreign(annotation, source, their_id, True, line, origin=origin))
    return found


def _origin(item: dict[str, Any], line: int | None) -> tuple[str, str]:
    """`original_id` and `via` as the file gives them: at the top level (our own file, or an
    API that returns its extras there) or under `extra` (Hypothesis's API)."""
    extra = item.get(EXTRA_KEY)
    if extra is None:
        extra = {}
    if not isinstance(extra, dict):
        fail(line, f"`{EXTRA_KEY}` must be an object, not {type_name(extra)}")
    original = item.get(ORIGINAL_ID_KEY) or extra.get(ORIGINAL_ID_KEY) or ""
    via = item.get(VIA_KEY) or extra.get(VIA_KEY) or ""
    return check_via(original, line), check_via(via, line)


def _identity(their_id: str, origin: str) -> str:
    """What our id is minted from: an id of ours as it is (a file we wrote), else the id the
    annotation was first made with when the file names one (so an annotation that went out
    through Hypothesis's API, which gives it a new id, comes back as the same record), else
    the tool's id."""
    if _OUR_ID.fullmatch(their_id) or not origin:
        return their_id
    return origin


def _position(selector: dict[str, Any] | None, length: int) -> tuple[int, int]:
    """The tool's offsets as a hint, or none (0..length: the quote is found by its text)."""
    if selector is not None:
        start, end = selector.get("start"), selector.get("end")
        if type(start) is int and type(end) is int and 0 <= start <= end <= 10**9:
            return start, end
    return 0, length


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    text = to_hypothesis(job.excerpts, exported=job.exported)
    return Rendered(text.encode("utf-8"), len(job.excerpts))
