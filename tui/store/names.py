"""What a tag name, an author and an article id may hold: one rule for the store, the CLI,
the configuration and every importer, so whatever the store takes comes back from an export.

Scripts and emoji need a few invisible characters: the zero-width joiner (`👩‍💻`), the
zero-width non-joiner (Persian, Hindi) and variation selectors (which are combining marks,
so never refused). Every other control or format character (ESC, C1 codes, bidi overrides
U+202A-U+202E and isolates U+2066-U+2069, soft hyphens), line and paragraph separators and
lone surrogates are refused, with the character and its position named.

Two strengths. `entry` is for a name being made now (a tag created or first used, the user
name an annotation will carry). `held` is for a name coming back from a file: it refuses
only what no store could ever have held, so a store written before this rule (an author with
a control character) still exports and imports again unchanged.
"""

from __future__ import annotations

import unicodedata

from tui.store.errors import StoreError

SEPARATOR = "/"
MAX_TAG_NAME = 500
MAX_AUTHOR = 200
MAX_ARTICLE_ID = 500
MAX_ATTRIBUTE_NAME = 100
# The five details every article has its own field for: an attribute may not shadow one.
RESERVED_ATTRIBUTE_NAMES = frozenset({"title", "source", "author", "date", "url"})
# Format characters that emoji sequences and some scripts need; all others are refused.
JOINERS = frozenset("\u200c\u200d")
# Line and paragraph separators: refused in new names; older stores may hold them in tags.
_SEPARATORS = frozenset({"Zl", "Zp"})


def is_unsafe_char(ch: str) -> bool:
    """Control and format characters (ESC, C1, bidi overrides), but the joiners."""
    return unicodedata.category(ch) in ("Cc", "Cf") and ch not in JOINERS


def first_unsafe(text: str, *, entry: bool = True) -> str | None:
    """`U+001B (ESCAPE) at position 4` for the first character a name may not hold."""
    for position, ch in enumerate(text, start=1):
        if is_unsafe_char(ch) or (entry and unicodedata.category(ch) in _SEPARATORS):
            name = unicodedata.name(ch, "a control character")
            return f"U+{ord(ch):04X} ({name}) at position {position}"
    return None


def _check(text: object, what: str, limit: int, *, entry: bool) -> str:
    if not isinstance(text, str):
        raise StoreError(f"{what} must be text, not {type(text).__name__}")
    if not text.strip():
        raise StoreError(f"{what} is empty")
    if len(text) > limit:
        raise StoreError(f"{what} {text[:40]!r}… is over {limit} characters long")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise StoreError(f"{what} {text[:40]!r} holds a lone surrogate, which is not text")
    if entry:
        bad = first_unsafe(text)
        if bad is not None:
            raise StoreError(f"{what} {text[:40]!r} holds a control or invisible character: {bad}")
        if text != text.strip():
            raise StoreError(f"{what} {text[:40]!r} starts or ends with a space")
    return text


def check_tag_name(name: object, *, entry: bool = True) -> str:
    """The name as the store keeps it (each `/` part trimmed), or StoreError saying why not.

    The store has always refused control and format characters in tag names, so `held`
    differs from `entry` only in letting through a line separator an older store took.
    """
    if isinstance(name, str):
        bad = first_unsafe(name, entry=entry)
        if bad is not None:
            raise StoreError(
                f"tag name {name[:40]!r} holds a control or invisible character: {bad}"
            )
        parts = [part.strip() for part in name.split(SEPARATOR)]
        if name.strip() and any(not part for part in parts):
            raise StoreError(f"tag name {name[:40]!r} has an empty part between '/'")
        name = SEPARATOR.join(parts)
    return _check(name, "tag name", MAX_TAG_NAME, entry=entry)


def check_author(name: object, *, entry: bool = True) -> str:
    """A user name an annotation carries (`--user`, $MARGINALIA_USER, an imported author)."""
    return _check(name, "user name", MAX_AUTHOR, entry=entry)


def check_article_id(article_id: object, *, entry: bool = True) -> str:
    """An article id (a corpus file's stem, ZWNJ and all)."""
    return _check(article_id, "article id", MAX_ARTICLE_ID, entry=entry)


def check_attribute_name(name: object) -> str:
    """A free article variable's name (`outlet`, `country`): short, one line, no control or
    invisible character, no space at either end, no `=` (the CLI writes `--set name=value`),
    and not one of the five details (title, source, author, date, url, in any case), which
    have fields of their own. The same from a file as when typed: a name is a key and a
    column heading in every export."""
    name = _check(name, "attribute name", MAX_ATTRIBUTE_NAME, entry=True)
    if "=" in name:
        raise StoreError(f"attribute name {name[:40]!r} holds '=', which ends a name")
    if name.casefold() in RESERVED_ATTRIBUTE_NAMES:
        raise StoreError(
            f"{name!r} is one of the article's own details (title, source, author, date, "
            "url), not an attribute"
        )
    return name
