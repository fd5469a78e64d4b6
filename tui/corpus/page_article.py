"""A web page -> Article: the page's main text through the ordinary cleaning pipeline.

Kept apart from `web_page` (extraction only) and `pipeline` (text only): this is the one
place that says what a page's metadata means for the Article (title, author, source, date,
URL), and that the report starts with what extraction left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from tui.corpus.model import Article
from tui.corpus.pipeline import clean_bytes
from tui.corpus.web_page import extract_page
from tui.errors import UserError


def clean_page(raw: bytes, article_id: str, source_name: str | None = None) -> Article:
    """Clean one saved web page. UserError (naming `source_name` if given) if it has no text."""
    try:
        page = extract_page(raw)
    except UserError as error:
        if source_name is None:
            raise
        raise UserError(f"{source_name}: {error}") from None
    article = clean_bytes(page.text.encode("utf-8"), article_id, source_name=source_name)
    metadata = {**article.metadata, **page.metadata}
    report = ((page.report,) if page.report is not None else ()) + article.report
    return replace(
        article,
        title=page.title or article.title,
        author=page.author or article.author,
        source=page.site or article.source,
        metadata=metadata,
        report=report,
        raw_hash=hashlib.sha256(raw).hexdigest(),
    )
