"""W3C Web Annotation Data Model, as JSON-LD: an AnnotationCollection of our excerpts.

Each annotation targets its article: `source` is the article's URL when it has one (what other
tools match on), else a stable URN; the URN is always kept as the id of the target's `scope` (the
article as we hold it, with its writer as `creator`), so our import finds the article either
way. Selectors: a TextQuoteSelector (exact, prefix, suffix)
and a TextPositionSelector (start, end; code points into the clean text, the unit the model
specifies). Tags are `TextualBody`s with purpose `tagging`, the note one with purpose
`commenting`. An annotation imported from another tool names that tool's id in `via`. The
collection and its page carry `urn:uuid:` ids (the model requires them), derived from the
export's contents so the same work gives the same ids; times are UTC with `Z`.
`tui.export.w3c_parse` reads this back.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote

from tui.export.excerpts import Excerpt, utc_z
from tui.export.formats import ExportJob, Rendered

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:marginalia:article:"
ANNOTATION_URN = "urn:marginalia:annotation:"
VIA_URN = "urn:marginalia:via:"
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_COLLECTION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:marginalia:w3c-collection")


def annotation_iri(annotation_id: str) -> str:
    """`urn:uuid:...` for our uuid4-hex ids, a marginalia URN for any other id."""
    try:
        parsed = uuid.UUID(hex=annotation_id)
    except ValueError:
        return _other(annotation_id)
    return parsed.urn if parsed.hex == annotation_id else _other(annotation_id)


def _other(annotation_id: str) -> str:
    return ANNOTATION_URN + quote(annotation_id, safe="")


def annotation_id_from_iri(iri: str) -> str | None:
    """The inverse of `annotation_iri`; None for an IRI we did not mint."""
    if iri.startswith("urn:uuid:"):
        try:
            return uuid.UUID(iri.removeprefix("urn:uuid:")).hex
        except ValueError:
            return None
    if iri.startswith(ANNOTATION_URN):
        return unquote(iri.removeprefix(ANNOTATION_URN)) or None
    return None


def via_iri(via: str) -> str:
    """W3C's `via` must be an IRI: another tool's id as it is when it is one (an http id),
    else (a Hypothesis id) in a marginalia URN that `via_from_iri` opens again."""
    if _IRI.fullmatch(via):
        return via
    return VIA_URN + quote(via, safe="")


def via_from_iri(iri: str) -> str:
    """The other tool's id, verbatim, from a `via` we wrote (any other IRI is kept whole)."""
    return unquote(iri.removeprefix(VIA_URN)) if iri.startswith(VIA_URN) else iri


def article_iri(article_id: str) -> str:
    return ARTICLE_URN + quote(article_id, safe="")


def article_id_from_iri(iri: str) -> str | None:
    if iri.startswith(ARTICLE_URN):
        return unquote(iri.removeprefix(ARTICLE_URN)) or None
    return None


def annotation_object(excerpt: Excerpt) -> dict[str, Any]:
    a = excerpt.annotation
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in a.tags
    ]
    if a.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": a.note,
                "format": "text/plain",
            }
        )
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
        {"type": "TextPositionSelector", "start": a.start, "end": a.end},
    ]
    urn = article_iri(a.article)
    url = excerpt.article.metadata.get("url", "") if excerpt.article is not None else ""
    scope: dict[str, Any] = {"id": urn, "type": "Text"}
    if excerpt.article is not None and excerpt.article.author:
        # The article's writer; the annotation's `creator` is the coder (issue 13.7).
        scope["creator"] = {"type": "Person", "name": excerpt.article.author}
    target = {"source": url or urn, "scope": scope, "selector": selectors}
    annotation: dict[str, Any] = {
        "id": annotation_iri(a.id),
        "type": "Annotation",
        "motivation": "highlighting",
        "body": bodies,
        "target": target,
    }
    if a.via:
        annotation["via"] = via_iri(a.via)
    if a.author:
        annotation["creator"] = {"type": "Person", "name": a.author}
    if a.created:
        annotation["created"] = utc_z(a.created)
    if a.updated:
        annotation["modified"] = utc_z(a.updated)
    return annotation


def w3c_document(excerpts: Sequence[Excerpt], *, exported: str) -> dict[str, Any]:
    items = [annotation_object(excerpt) for excerpt in excerpts]
    key = "\x1f".join(item["id"] for item in items)
    collection = uuid.uuid5(_COLLECTION_NAMESPACE, f"{exported}\x1e{key}").urn
    page = uuid.uuid5(_COLLECTION_NAMESPACE, f"page:{collection}").urn
    return {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "marginalia excerpts",
        "generated": utc_z(exported),
        "total": len(items),
        "first": {
            "id": page,
            "type": "AnnotationPage",
            "partOf": collection,
            "startIndex": 0,
            "items": items,
        },
    }


# What `json.dumps(ensure_ascii=False)` leaves raw but a terminal would obey: DEL, C1
# controls, bidi embeddings/overrides/isolates, line and paragraph separators (issue 11.1).
# Outside strings the JSON holds only our own ASCII, so each can be escaped wherever it is.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def inert_json(document: Any) -> str:
    """Indented UTF-8 JSON in which nothing a terminal obeys is raw (see `_RAW_IN_JSON`)."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if _RAW_IN_JSON.search(text):
        text = _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def to_w3c(excerpts: Sequence[Excerpt], *, exported: str) -> str:
    return inert_json(w3c_document(excerpts, exported=exported))


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    text = to_w3c(job.excerpts, exported=job.exported)
    return Rendered(text.encode("utf-8"), len(job.excerpts))
