"""W3C Web Annotation Data Model, as JSON-LD: an AnnotationCollection of our excerpts.

Each annotation targets its article by a stable URN, with both a TextQuoteSelector (exact,
prefix, suffix) and a TextPositionSelector (start, end; code points into the clean text, the
unit the model specifies). Tags are `TextualBody`s with purpose `tagging`, the note one with
purpose `commenting`. `tui.export.parse` reads this back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, unquote

from tui.export.excerpts import Excerpt
from tui.export.formats import ExportJob, Rendered

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:marginalia:article:"
ANNOTATION_URN = "urn:marginalia:annotation:"


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
    target = {"source": article_iri(a.article), "selector": selectors}
    annotation: dict[str, Any] = {
        "id": annotation_iri(a.id),
        "type": "Annotation",
        "motivation": "highlighting",
        "body": bodies,
        "target": target,
    }
    if a.author:
        annotation["creator"] = {"type": "Person", "name": a.author}
    if a.created:
        annotation["created"] = a.created
    if a.updated:
        annotation["modified"] = a.updated
    return annotation


def w3c_document(excerpts: Sequence[Excerpt], *, exported: str) -> dict[str, Any]:
    items = [annotation_object(excerpt) for excerpt in excerpts]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "marginalia excerpts",
        "generated": exported,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def to_w3c(excerpts: Sequence[Excerpt], *, exported: str) -> str:
    document = w3c_document(excerpts, exported=exported)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_export(job: ExportJob) -> Rendered:
    """The registry's entry point (`tui.export.formats`)."""
    text = to_w3c(job.excerpts, exported=job.exported)
    return Rendered(text.encode("utf-8"), len(job.excerpts))
