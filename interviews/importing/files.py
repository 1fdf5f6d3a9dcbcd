"""One article file (or paste) to a ``ParsedArticle``: size limit, binary check, encoding, format.

Every way a file can be unreadable ends here as an ``ArticleError`` naming the reason, so the
command reports the file and goes on with the others, and the admin shows it on the form.
A file becomes an ``ArticleSource`` first (HTML or text; a ``.docx`` is converted to HTML
with its pictures embedded as ``data:`` addresses), which the admin keeps between its steps.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path

from .article import ArticleError, ParsedArticle, is_blank
from .html_page import parse_html
from .plain_text import parse_text

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES
DOCX_SUFFIXES = {".docx"}
UPLOAD_SUFFIXES = ARTICLE_SUFFIXES | DOCX_SUFFIXES
# Word's styles as the HTML the parser reads: the Title is the headline, a Caption stays a
# caption (not an answer's paragraph).
DOCX_MAX_UNPACKED = 100 * 2**20  # bytes: a small .docx that unpacks to more is a zip bomb
DOCX_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Caption'] => p.MsoCaption:fresh
"""


@dataclass(frozen=True)
class ArticleSource:
    """An article as HTML or text, ready to parse again: what the admin keeps between steps."""

    kind: str  # "html" or "text"
    content: str
    name: str = ""

    def parse(self) -> ParsedArticle:
        return parse_html(self.content) if self.kind == "html" else parse_text(self.content)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def source_from_bytes(raw: bytes, name: str, *, encoding: str | None = None) -> ArticleSource:
    """An uploaded or read file as a source, by its suffix; ``ArticleError`` if unreadable."""
    suffix = Path(name).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return ArticleSource("html", docx_html(raw), name)
    if not raw.strip():
        raise ArticleError("The file is empty.")
    if b"\x00" in raw[:8192]:
        raise ArticleError("The file is binary, not text or HTML.")
    is_html = suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and re.search(rb"<(html|body|p|article)\b", raw[:4096], re.I)
    )
    source = decode(raw, encoding, is_html=bool(is_html))
    return ArticleSource("html" if is_html else "text", source, name)


def source_from_paste(html: str, text: str) -> ArticleSource:
    """What an editor pasted: the clipboard's HTML when the browser gave it, else the text."""
    if not is_blank(visible_text(html)):
        return ArticleSource("html", html, "pasted text")
    if is_blank(visible_text(text)):
        raise ArticleError("Nothing was pasted: paste the article, or choose a file.")
    if re.search(r"<(p|h1|h2|div|br|b|strong|span|html|body)\b", text[:4096], re.I):
        return ArticleSource("html", text, "pasted text")
    return ArticleSource("text", text, "pasted text")


def visible_text(markup: str) -> str:
    """What a reader would see of ``markup``, roughly: its text, and a mark for each picture."""
    return unescape(re.sub(r"<[^>]*>", "", re.sub(r"<img\b", "[picture]<img", markup, flags=re.I)))


def docx_html(raw: bytes) -> str:
    """A Word document as HTML, its pictures embedded; never reads anything but ``raw``."""
    import mammoth  # imported here: only the admin's upload needs it

    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ArticleError("The file is not a Word document (.docx): it cannot be opened.")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > DOCX_MAX_UNPACKED:
        raise ArticleError("The Word document unpacks to more than 100 MB; it is refused.")
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(raw),
            style_map=DOCX_STYLE_MAP,
            # Linked (not embedded) pictures would be read from disk: refuse them.
            external_file_access=False,
        )
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ArticleError("The file is not a Word document (.docx) that can be read.") from exc
    if is_blank(visible_text(result.value)):
        raise ArticleError("The Word document has no text.")
    return result.value


def read_article(path: Path, *, max_bytes: int, encoding: str | None = None) -> ParsedArticle:
    """Read and parse one file, or raise ``ArticleError`` saying what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"The file is {size:,} bytes; the limit is {max_bytes:,}.")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"The file cannot be read: {exc.strerror or exc}.") from exc
    return source_from_bytes(raw, path.name, encoding=encoding).parse()


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
