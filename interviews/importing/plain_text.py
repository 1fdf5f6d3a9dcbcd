"""A plain-text article (``.txt``, ``.md``, or what ``exporter`` writes) to a ``ParsedArticle``.

Blank lines end paragraphs; the first paragraph is the title, with any header lines under
it; a ``**bold**`` opening marks a question in the bold form.
"""

from __future__ import annotations

import re

from .article import ArticleError, Block, ParsedArticle, checked, is_blank, squash
from .blog_box import BLOG_HEADING, blog_posts
from .figures import FIGURE_MARKER, figure_from_lines
from .header import header_line, take_header
from .questions import assemble

MARKDOWN_BOLD = re.compile(r"^\*\*(?P<bold>.+?)\*\*\s*(?P<rest>.*)$", re.DOTALL)


def text_blocks(source: str) -> tuple[list[Block], list[Block]]:
    """Plain text to (article blocks, "From our blog" blocks). Blank lines end paragraphs."""
    paragraphs = re.split(r"\n\s*\n", source.replace("\r\n", "\n").replace("\r", "\n"))
    blocks, blog = [], None
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.split("\n") if not is_blank(line)]
        if not lines:
            continue
        text = squash(" ".join(lines))
        if blog is None and BLOG_HEADING.match(text):
            blog = []
            continue
        block = Block(text=text, lines=lines)
        marker = FIGURE_MARKER.match(lines[0])
        if marker and blog is None:
            block = figure_from_lines(lines[1:], src=marker["src"].strip())
        else:
            bold = MARKDOWN_BOLD.match(text)
            if bold:
                block.lead_bold = bold["bold"].strip()
                block.text = squash(f"{block.lead_bold} {bold['rest']}")
        (blog if blog is not None else blocks).append(block)
    return blocks, blog or []


def parse_text(source: str) -> ParsedArticle:
    """Parse a plain-text article, or raise ``ArticleError`` saying what is missing."""
    blocks, blog = text_blocks(source)
    if not blocks:
        raise ArticleError("The file has no text.")
    first = blocks.pop(0)
    title, *rest_lines = first.lines or [first.text]
    header: dict[str, object] = {}
    for line in rest_lines:
        if not header_line(line, header):
            raise ArticleError(f"The title is followed by a line that is not a date: “{line}”.")
    blocks = take_header(blocks, header)
    article = assemble(blocks, header, squash(title))
    article.posts = blog_posts(blog)
    return checked(article)
