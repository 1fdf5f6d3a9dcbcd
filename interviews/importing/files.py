"""One article file to a ``ParsedArticle``: size limit, binary check, encoding, text or HTML.

Every way a file can be unreadable ends here as an ``ArticleError`` naming the reason, so the
command reports the file and goes on with the others.
"""

from __future__ import annotations

import re
from pathlib import Path

from .article import ArticleError, ParsedArticle
from .html_page import parse_html
from .plain_text import parse_text

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def read_article(path: Path, *, max_bytes: int, encoding: str | None = None) -> ParsedArticle:
    """Read and parse one file, or raise ``ArticleError`` saying what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"The file is {size:,} bytes; the limit is {max_bytes:,}.")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"The file cannot be read: {exc.strerror or exc}.") from exc
    if not raw.strip():
        raise ArticleError("The file is empty.")
    if b"\x00" in raw[:8192]:
        raise ArticleError("The file is binary, not text or HTML.")
    is_html = path.suffix.lower() in HTML_SUFFIXES or (
        path.suffix.lower() not in TEXT_SUFFIXES
        and re.search(rb"<(html|body|p|article)\b", raw[:4096], re.I)
    )
    source = decode(raw, encoding, is_html=bool(is_html))
    return parse_html(source) if is_html else parse_text(source)


def decode(raw: bytes, encoding: str | None, *, is_html: bool) -> str:
    """The file's text, in ``encoding``, else the page's ``<meta charset>``, else UTF-8."""
    if encoding is None and is_html:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.I)
        encoding = declared.group(1).decode("ascii") if declared else None
    encoding = encoding or "utf-8-sig"
    try:
        return raw.decode(encoding)
    except LookupError as exc:
        raise ArticleError(f"Unknown text encoding “{encoding}”.") from exc
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding.lower().startswith("utf-8") else encoding
        raise ArticleError(
            f"The file is not valid {name} (byte {exc.start}); pass --encoding if you know it."
        ) from exc
