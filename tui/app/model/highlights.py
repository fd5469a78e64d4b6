"""Which annotations cover which offsets, fast enough for thousands of highlights.

Annotations are filed in fixed-size buckets of the clean text. Drawing a screen line asks only
the one or two buckets under it, and adding or removing a highlight touches only the buckets it
spans, so neither cost grows with the number of highlights elsewhere in the article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from tui.store.model import Annotation

BUCKET = 256


def is_shown(annotation: Annotation) -> bool:
    """Orphaned annotations have no place in the text; they are listed, never drawn."""
    return annotation.anchor != "orphaned" and annotation.end > annotation.start


class HighlightIndex:
    def __init__(self, annotations: Iterable[Annotation] = ()) -> None:
        self._by_id: dict[str, Annotation] = {}
        self._buckets: defaultdict[int, set[str]] = defaultdict(set)
        for annotation in annotations:
            self.add(annotation)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, annotation_id: object) -> bool:
        return annotation_id in self._by_id

    def get(self, annotation_id: str) -> Annotation | None:
        return self._by_id.get(annotation_id)

    def all(self) -> list[Annotation]:
        return sorted(self._by_id.values(), key=_reading_order)

    def add(self, annotation: Annotation) -> None:
        if annotation.id in self._by_id:
            self.remove(annotation.id)
        if not is_shown(annotation):
            return
        self._by_id[annotation.id] = annotation
        for bucket in _buckets(annotation.start, annotation.end):
            self._buckets[bucket].add(annotation.id)

    def remove(self, annotation_id: str) -> Annotation | None:
        annotation = self._by_id.pop(annotation_id, None)
        if annotation is not None:
            for bucket in _buckets(annotation.start, annotation.end):
                ids = self._buckets[bucket]
                ids.discard(annotation_id)
                if not ids:
                    del self._buckets[bucket]
        return annotation

    def overlapping(self, start: int, end: int) -> list[Annotation]:
        """Annotations sharing at least one offset with `[start, end)`, in reading order."""
        found: set[str] = set()
        for bucket in _buckets(start, max(end, start + 1)):
            found.update(self._buckets.get(bucket, ()))
        hits = [self._by_id[i] for i in found]
        return sorted(
            (a for a in hits if a.start < max(end, start + 1) and a.end > start),
            key=_reading_order,
        )


def _buckets(start: int, end: int) -> range:
    return range(start // BUCKET, (end - 1) // BUCKET + 1)


def _reading_order(annotation: Annotation) -> tuple[int, int, str]:
    # Longer first at the same start, so an inner highlight is drawn over an outer one.
    return (annotation.start, -annotation.end, annotation.id)
