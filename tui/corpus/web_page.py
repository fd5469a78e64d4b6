"""Saved web pages as articles: the main text pulled out of the page, then cleaned as text.

A saved page is mostly not the article: navigation, cookie banners, related links, comments
and scripts surround it. trafilatura, a library made for exactly this, finds the main text
and the page's metadata (title, author, date, site name, canonical URL from <meta>, og: tags
and JSON-LD). Its XML output keeps headings apart from paragraphs; we turn that into text
with `## ` heading markers, so the ordinary cleaning pipeline runs on it unchanged and the
headings keep their structure. trafilatura (and lxml) are imported only when a page is read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tui.corpus.model import Change
from tui.errors import UserError

PAGE_SUFFIXES = (".html", ".htm")
STAGE = "page"
# Part of the cache key for pages: bump when the same page would give different text.
EXTRACTOR_VERSION = "page1"

_SNIFF = 1024
_PAGE_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_SPACE = re.compile(r"\s+")
_HEADING_LIMIT = 120  # the pipeline takes `## ` lines up to this length as headings
_META_LIMIT = 500


@dataclass(slots=True)
class PageText:
    """The main text of a page (headings marked `## `), its metadata and what was dropped."""

    text: str
    title: str = ""
    author: str = ""
    site: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    report: Change | None = None


def looks_like_page(raw: bytes) -> bool:
    """True for bytes that start as an HTML document (a page saved under a `.txt` name)."""
    return _PAGE_START.match(raw[:_SNIFF]) is not None


def extract_page(raw: bytes) -> PageText:
    """The main text and metadata of a page. UserError says, in a few words, why there is none."""
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError("not a web page (binary content under an HTML name)")
    if not raw.strip():
        raise UserError("empty web page")
    xml = _extract_xml(raw)
    if xml is None:
        raise UserError("no article text found in the page (empty, only scripts, or only links)")
    page = _page_from_xml(xml)
    if not page.text.strip():
        raise UserError("no article text found in the page (empty, only scripts, or only links)")
    page.report = Change(
        stage=STAGE,
        kind="page-extracted",
        before=f"{len(raw):,} bytes of HTML",
        after=f"{len(page.text):,} characters of main text",
        confidence=0.9,
        detail="main text taken from the web page (trafilatura); navigation, banners, "
        "related links, comments and scripts left out",
    )
    return page


def _extract_xml(raw: bytes) -> str | None:
    try:
        import trafilatura  # ~0.3 s to import: only when a page is read
    except ImportError as error:  # a broken install must not stop the text articles loading
        raise UserError(f"web pages cannot be read here: {error}") from None
    try:
        return trafilatura.extract(
            raw,
            output_format="xml",
            include_formatting=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, RecursionError) as error:  # markup it cannot parse
        raise UserError(f"the web page cannot be parsed ({type(error).__name__})") from None


def _page_from_xml(xml: str) -> PageText:
    from lxml import etree  # trafilatura's own dependency

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    main = root.find("main")
    parts: list[str] = []
    if main is not None:
        for element in main:
            parts.extend(_blocks(element))
    metadata = {
        key: value
        for key in ("date", "url", "sitename", "hostname", "description")
        if (value := _meta(root.get(key)))
    }
    metadata["format"] = "web page"
    return PageText(
        text="\n\n".join(parts),
        title=_meta(root.get("title")),
        author=_meta(root.get("author")),
        site=metadata.get("sitename") or metadata.get("hostname", ""),
        metadata=metadata,
    )


def _blocks(element: Any) -> list[str]:
    """Text blocks of one element of trafilatura's <main>: headings marked, lists split."""
    tag = element.tag
    if tag == "head":
        text = _flat(element)
        if text and len(text) <= _HEADING_LIMIT and not text.startswith("#"):
            return [f"## {text}"]
        return [text] if text else []
    if tag == "list":
        return [text for item in element.iter("item") if (text := _flat(item))]
    if tag == "table":
        rows = [" | ".join(_flat(cell) for cell in row) for row in element.iter("row")]
        return ["\n".join(row for row in rows if row.strip(" |"))] if rows else []
    text = _flat(element)
    return [text] if text else []


def _flat(element: Any) -> str:
    """The element's text on one line: page whitespace carries no meaning."""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _meta(value: str | None) -> str:
    """A metadata value fit to store: one line, no control or format characters, bounded."""
    if not value:
        return ""
    kept = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs") else char
        for char in value
    )
    return _SPACE.sub(" ", kept).strip()[:_META_LIMIT]
