"""A saved HTML page to a ``ParsedArticle``: the article's blocks without the site around it.

Scripts, navigation, forms, the site's header and footer, asides and the "From our blog" box
are taken out first; what is left in ``<article>`` (or ``<main>``, or ``<body>``) becomes
blocks, and the page's ``<title>``, ``<meta>``, ``<time>`` and byline give its header.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from cms.richtext import sanitize_html

from .article import Block, ParsedArticle, checked, squash
from .blog_box import blog_box_blocks, blog_posts, find_blog_box
from .figures import CAPTION_LINE_MAX, figure_element, image_paragraph
from .header import header_line, parse_date, take_header
from .questions import assemble, split_question

HTML_SKIP = ("script", "style", "noscript", "template", "nav", "form", "svg")
HTML_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "figure", "img", "blockquote", "li", "dd")


def html_blocks(source: str) -> tuple[list[Block], list[Block], dict[str, object]]:
    """An HTML page to (article blocks, blog blocks, metadata found in the markup)."""
    soup = BeautifulSoup(source, "html.parser")
    for tag in soup.find_all(HTML_SKIP):
        tag.decompose()
    blog_blocks = []
    blog = find_blog_box(soup)
    if blog is not None:
        blog_blocks = blog_box_blocks(blog)
        blog.decompose()
    meta = html_metadata(soup)
    container = soup.find("article") or soup.find("main") or soup.body or soup
    title_tag = container.find("h1") or soup.find("h1")
    if title_tag is not None:
        meta["title"] = squash(title_tag.get_text(" "))
        title_tag.decompose()
    for element in container.find_all(["header", "footer", "aside"]):
        header_text = squash(element.get_text(" "))
        if element.name == "header" and len(header_text) < 300:
            meta.setdefault("header_lines", []).append(header_text)
            element.decompose()
        elif element.name != "header":
            element.decompose()
    blocks = []
    for element in container.find_all(HTML_BLOCKS):
        if any(parent.name in HTML_BLOCKS for parent in element.parents):
            continue  # handled with the block that contains it
        block = html_block(element)
        if block is not None:
            blocks.append(block)
    return blocks, blog_blocks, meta


def html_metadata(soup: BeautifulSoup) -> dict[str, object]:
    """Page title, posted date, byline and tags from the markup; the byline element goes."""
    meta: dict[str, object] = {}
    title = soup.find("title")
    if title is not None and title.string:
        meta["page_title"] = squash(title.string)
    for name in ("article:published_time", "date", "pubdate"):
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag is not None and parse_date(tag.get("content", "")):
            meta["posted"] = parse_date(tag["content"])
            break
    author = soup.find(attrs={"rel": "author"}) or soup.find(class_=re.compile("byline|author"))
    if author is not None and len(author.get_text()) <= 160:
        meta["byline"] = re.sub(r"^by\s+", "", squash(author.get_text(" ")), flags=re.IGNORECASE)
        author.decompose()
    meta_author = soup.find("meta", attrs={"name": "author"})
    if "byline" not in meta and meta_author is not None:
        meta["byline"] = squash(meta_author.get("content", ""))
    tags = [squash(a.get_text(" ")) for a in soup.find_all("a", rel="tag")]
    if tags:
        meta["tags"] = tags
    time = soup.find("time")
    if "posted" not in meta and time is not None:
        meta["posted"] = parse_date(time.get("datetime", "")) or parse_date(time.get_text(" "))
    return meta


def html_block(element: Tag) -> Block | None:
    """One block-level element as a paragraph, a question heading or a figure; None to drop."""
    if element.name == "figure" or element.name == "img":
        return figure_element(element)
    text = squash(element.get_text(" "))
    image = element.find("img")
    if image is not None and len(text) < CAPTION_LINE_MAX:
        return image_paragraph(image, text)
    if not text:
        return None
    if element.name in ("h2", "h3", "h4", "h5", "h6"):
        # A heading that asks something is a question; other headings are section titles.
        return Block(text=text, lead_bold=text) if split_question(text) is not None else None
    block = Block(text=text, html=sanitize_html(element.decode_contents()))
    first = next(
        (c for c in element.children if not (isinstance(c, NavigableString) and not c.strip())),
        None,
    )
    if isinstance(first, Tag) and first.name in ("strong", "b"):
        block.lead_bold = squash(first.get_text(" "))
        first.extract()
        block.html_after_bold = sanitize_html(element.decode_contents().strip())
    return block


def parse_html(source: str) -> ParsedArticle:
    """Parse a saved HTML page, or raise ``ArticleError`` saying what is missing."""
    blocks, blog, meta = html_blocks(source)
    header = {k: v for k, v in meta.items() if k in ("posted", "byline", "tags") and v}
    for line in meta.get("header_lines", []):
        for part in re.split(r"\s+[|·•]\s+", line):
            header_line(part, header)
    blocks = take_header(blocks, header)
    title = meta.get("title") or meta.get("page_title") or ""
    article = assemble(blocks, header, str(title))
    article.posts = blog_posts(blog)
    return checked(article)
