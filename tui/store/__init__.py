"""Annotations and tags in TinyDB, anchored to clean text. Never imports Textual."""
