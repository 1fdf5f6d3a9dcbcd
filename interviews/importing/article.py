"""What parsing gives the importer: a ``ParsedArticle`` and its parts, and the checks on it.

Kept apart from the readers so the importer, the exporter and every reader share one shape
without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape


class ArticleError(ValueError):
    """The file cannot be read as an article; the message says why, for the operator."""


@dataclass
class Block:
    """One paragraph (or figure) of the source, in reading order."""

    text: str
    html: str = ""  # sanitised inner HTML, for paragraphs that came from HTML
    kind: str = "p"  # the element the HTML goes in: "p", or "ul"/"ol" for a list
    lead_bold: str = ""  # text of a bold run that opens the paragraph
    html_after_bold: str = ""
    is_figure: bool = False
    alt: str = ""
    caption: str = ""
    src: str = ""
    lines: list[str] = field(default_factory=list)
    captioned: bool = False  # a figure whose caption the source marked as one
    caption_style: bool = False  # a paragraph styled as a caption (Word's "MsoCaption")


@dataclass
class ParsedPair:
    question: str
    answer: list[Block] = field(default_factory=list)
    first_answer_text: str = ""  # the part of the question's own paragraph after the question

    @property
    def answer_paragraphs(self) -> list[str]:
        texts = [self.first_answer_text] if self.first_answer_text else []
        return texts + [block.text for block in self.answer]

    @property
    def answer_html(self) -> str:
        parts = [paragraph_html(self.first_answer_text)] if self.first_answer_text else []
        return "".join(parts + [block_html(block) for block in self.answer])


@dataclass
class ParsedFigure:
    alt: str
    caption: str
    after_pair: int  # 0: before the first question
    src: str = ""
    content: bytes = b""  # the picture's file, when it comes from elsewhere (an upload)
    filename: str = ""

    @property
    def alt_from_caption(self) -> bool:
        """The alt text is the caption, or missing: a guess an editor should review."""
        return not self.alt or self.alt == self.caption


@dataclass
class ParsedPost:
    title: str
    posted: date | None
    excerpt: str


@dataclass
class ParsedArticle:
    title: str
    posted: date | None = None
    byline: str = ""
    tags: list[str] = field(default_factory=list)
    film: str = ""  # a film named in a "Film:" line
    intro: list[Block] = field(default_factory=list)
    pairs: list[ParsedPair] = field(default_factory=list)
    figures: list[ParsedFigure] = field(default_factory=list)
    posts: list[ParsedPost] = field(default_factory=list)
    form: str = ""
    warnings: list[str] = field(default_factory=list)  # what the parser could not place

    @property
    def intro_html(self) -> str:
        return "".join(block_html(block) for block in self.intro)

    @property
    def text(self) -> str:
        """All the words of the article, for finding the film it names."""
        parts = [self.title, *(b.text for b in self.intro)]
        for pair in self.pairs:
            parts += [pair.question, *pair.answer_paragraphs]
        return "\n".join(parts)


def paragraph_html(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def block_html(block: Block) -> str:
    if block.html:
        return f"<{block.kind}>{block.html}</{block.kind}>"
    return paragraph_html(block.text)


COLLAPSIBLE = re.compile(r"[ \t\r\n\f\v]+")
# What a blank line in an editor leaves: spaces, no-break and zero-width spaces, soft hyphens.
INVISIBLE = re.compile(r"[\s\u00a0\u00ad\u200b-\u200d\u2060\ufeff]+")


def is_blank(text: str) -> bool:
    """Nothing a reader would see: how Google Docs and Word write an empty paragraph."""
    return not INVISIBLE.sub("", text)


def squash(text: str) -> str:
    """Collapse runs of spaces and line breaks, as a browser does; no-break spaces stay."""
    return COLLAPSIBLE.sub(" ", text).strip(" \t\r\n\f\v")


def checked(article: ParsedArticle) -> ParsedArticle:
    """The article, if it has what an interview needs; otherwise ``ArticleError`` says what."""
    if not article.title:
        raise ArticleError("No title found (the first line, or the page's <h1>).")
    if len(article.title) > 255:
        raise ArticleError("The title is longer than 255 characters; is the first line a title?")
    if not article.pairs:
        raise ArticleError("No questions and answers found.")
    for number, pair in enumerate(article.pairs, start=1):
        if not pair.answer_paragraphs:
            raise ArticleError(f"Question {number} has no answer: “{pair.question[:80]}”.")
    return article
