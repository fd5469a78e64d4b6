"""Annotations and tags in TinyDB, anchored to clean text. Never imports Textual."""

from tui.store.anchoring import anchor, text_digest
from tui.store.errors import StoreError, StoreWriteError
from tui.store.model import Annotation, Tag
from tui.store.store import AnnotationStore

__all__ = [
    "Annotation",
    "AnnotationStore",
    "StoreError",
    "StoreWriteError",
    "Tag",
    "anchor",
    "text_digest",
]
