"""Reading legacy interview articles: plain text or saved HTML pages to a ``ParsedArticle``.

Both formats become a list of ``Block``s (paragraphs and figures, in reading order); one
assembler then finds the questions and answers. It knows the forms real pages use:

- ``sentence``: a question sentence opens a paragraph and the answer follows, in the same
  paragraph (the reference article) or in the paragraphs after a question-only paragraph;
- ``bold``: the question is bold (``<strong>``/``<b>``, or ``**...**`` in text);
- ``prefix``: ``Q:`` and ``A:`` open the paragraphs;
- ``speaker``: speaker labels such as ``INDEPENDENT LENS:`` and ``KLAYMAN:``.

Text is kept word for word; only runs of whitespace are collapsed. Nothing here touches the
database: parsing is pure, so a dry run and the tests need no setup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.html import escape

from cms.richtext import sanitize_html


class ArticleError(ValueError):
    """The file cannot be read as an article; the message says why, for the operator."""


@dataclass
class Block:
    """One paragraph (or figure) of the source, in reading order."""

    text: str
    html: str = ""  # sanitised inner HTML, for paragraphs that came from HTML
    lead_bold: str = ""  # text of a bold run that opens the paragraph
    html_after_bold: str = ""
    is_figure: bool = False
    alt: str = ""
    caption: str = ""
    src: str = ""
    lines: list[str] = field(default_factory=list)


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
    return f"<p>{block.html}</p>" if block.html else paragraph_html(block.text)


COLLAPSIBLE = re.compile(r"[ \t\r\n\f\v]+")


def squash(text: str) -> str:
    """Collapse runs of spaces and line breaks, as a browser does; no-break spaces stay."""
    return COLLAPSIBLE.sub(" ", text).strip(" \t\r\n\f\v")


# --- Dates and header lines ------------------------------------------------------------

DATE_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%Y-%m-%d")
POSTED = re.compile(r"^(?:posted|published)(?:\s+on)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
BY_SUFFIX = re.compile(r"\s+by\s+(?P<byline>.+)$", re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(?P<byline>[^.?!]{2,120})$", re.IGNORECASE)
TAGS = re.compile(r"^tags?\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
FILM = re.compile(r"^film\s*:\s*(?P<film>.+)$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    text = squash(text).strip(" .")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    if re.match(r"^\d{4}-\d{2}-\d{2}T", text):
        return parse_date(text[:10])
    return None


def parse_posted(text: str) -> tuple[date | None, str]:
    """``Posted on February 22, 2013 by Name`` to the date and the byline, if it is one."""
    match = POSTED.match(squash(text))
    if not match:
        return None, ""
    rest, byline = match["rest"], ""
    by = BY_SUFFIX.search(rest)
    if by:
        rest, byline = rest[: by.start()], by["byline"].strip()
    return parse_date(rest), byline


# --- Sentences and questions -----------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.?!…])[\"”’)\]]*(?=\s+)")
PROMPTS = ("tell us", "tell me", "describe", "talk about", "talk us", "explain", "share",
           "walk us", "give us", "name ")  # fmt: skip
QUESTION_ONLY_MAX_SENTENCES = 3


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` with their own punctuation; joined by spaces they give it back."""
    parts, start = [], 0
    for match in SENTENCE_END.finditer(text):
        parts.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def is_question(sentence: str) -> bool:
    return sentence.rstrip('"”’)]').endswith("?")


def is_aside(sentence: str) -> bool:
    """A parenthetical after a question belongs to it: "(This question is meant literally.)"."""
    return sentence.startswith("(") and sentence.endswith(")")


def split_question(text: str) -> tuple[str, str] | None:
    """Split a paragraph that opens with a question into (question, rest of the paragraph).

    Returns None when the paragraph does not open with a question.
    """
    parts = sentences(text)
    if not parts:
        return None
    end = None
    if is_question(parts[0]):
        end = 0
    elif len(parts) > 1 and is_question(parts[1]) and len(parts[0]) <= 100:
        end = 1  # "The independent film business is a difficult one. What keeps you motivated?"
    elif parts[0].lower().startswith(PROMPTS):
        return parts[0], " ".join(parts[1:])  # "Tell us about a scene ..."
    if end is None:
        return None
    while (
        end + 1 < len(parts)
        and end + 1 < QUESTION_ONLY_MAX_SENTENCES
        and is_question(parts[end + 1])
    ):
        end += 1
    if end + 1 < len(parts) and is_aside(parts[end + 1]):
        end += 1
    return " ".join(parts[: end + 1]), " ".join(parts[end + 1 :])


# --- Figures in plain text -------------------------------------------------------------

FIGURE_MARKER = re.compile(r"^\[(?:figure|photo|image)\s*:\s*(?P<src>[^\]]*)\]$", re.IGNORECASE)
CAPTION_LINE_MAX = 200


def looks_like_caption(lines: list[str]) -> bool:
    """One or two short lines with no closing punctuation: a photo's alt text and caption."""
    if not 1 <= len(lines) <= 2:
        return False
    for line in lines:
        ending = line.rstrip("\"”’')]")
        if not ending or len(line) > CAPTION_LINE_MAX or ending[-1] in ".?!:;,…":
            return False
        if not line[0].isalnum() and line[0] not in "“\"‘'(":
            return False
    return True


# --- Reading the two formats into blocks -----------------------------------------------

BLOG_HEADING = re.compile(r"^from (?:our|the) blog$", re.IGNORECASE)
NUMBERED = re.compile(r"^\d+[.)]\s+")
MARKDOWN_BOLD = re.compile(r"^\*\*(?P<bold>.+?)\*\*\s*(?P<rest>.*)$", re.DOTALL)


def text_blocks(source: str) -> tuple[list[Block], list[Block]]:
    """Plain text to (article blocks, "From our blog" blocks). Blank lines end paragraphs."""
    paragraphs = re.split(r"\n\s*\n", source.replace("\r\n", "\n").replace("\r", "\n"))
    blocks, blog = [], None
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
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


def figure_from_lines(lines: list[str], src: str = "") -> Block:
    alt = lines[0] if lines else ""
    caption = lines[1] if len(lines) > 1 else alt
    return Block(text=caption, is_figure=True, alt=alt, caption=caption, src=src, lines=lines)


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


def find_blog_box(soup: BeautifulSoup) -> Tag | None:
    """The element holding the "From our blog" heading and its items, never the article."""
    for heading in soup.find_all(["h2", "h3", "h4", "h5", "h6", "strong", "p", "div", "span"]):
        if not BLOG_HEADING.match(squash(heading.get_text(" "))):
            continue
        for ancestor in heading.parents:
            if ancestor.name in ("body", "html", "article", "main", "[document]"):
                break
            if ancestor.find("h1") is not None:
                break
            if ancestor.find("time") is not None or any(
                parse_date(squash(t.get_text(" "))) for t in ancestor.find_all(["p", "span"])
            ):
                return ancestor
        # No wrapper: the heading and what follows it at its level, up to the next part of
        # the page (a title, an article, a heading as high as its own).
        level = int(heading.name[1]) if re.fullmatch(r"h[1-6]", heading.name) else 7
        box = soup.new_tag("div")
        siblings = [heading]
        for sibling in heading.find_next_siblings():
            sibling_level = int(sibling.name[1]) if re.fullmatch(r"h[1-6]", sibling.name) else 9
            if (
                sibling.name in ("article", "main")
                or sibling_level <= level
                or sibling.find(["h1", "article", "main"])
            ):
                break
            siblings.append(sibling)
        for sibling in siblings:
            box.append(sibling.extract())
        return box
    return None


def blog_box_blocks(box: Tag) -> list[Block]:
    """The items of a "From our blog" box as title / date / excerpt blocks."""
    blocks = []
    items = box.find_all(["li", "article"]) or [box]
    for item in items:
        for element in item.find_all(["h2", "h3", "h4", "h5", "a", "time", "p", "span", "div"]):
            if element.find(["h2", "h3", "h4", "h5", "p", "time", "div"]):
                continue
            text = squash(element.get_text(" "))
            if not text or BLOG_HEADING.match(text):
                continue
            if element.name == "a" and element.find_parent(["h2", "h3", "h4", "h5"]):
                continue
            if blocks and blocks[-1].text == text:
                continue
            blocks.append(Block(text=text))
    return blocks


def html_block(element: Tag) -> Block | None:
    if element.name == "figure" or element.name == "img":
        image = element if element.name == "img" else element.find("img")
        if image is None:
            return None
        caption_tag = element.find("figcaption") if element.name == "figure" else None
        alt = squash(image.get("alt", ""))
        caption = squash(caption_tag.get_text(" ")) if caption_tag is not None else alt
        if not (alt or caption):
            return None
        return Block(
            text=caption or alt,
            is_figure=True,
            alt=alt or caption,
            caption=caption or alt,
            src=image.get("src", ""),
        )
    text = squash(element.get_text(" "))
    image = element.find("img")
    if image is not None and len(text) < CAPTION_LINE_MAX:
        alt = squash(image.get("alt", "")) or text
        if not alt:
            return None
        caption = text or alt
        return Block(
            text=caption, is_figure=True, alt=alt, caption=caption, src=image.get("src", "")
        )
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


# --- Assembling the article ------------------------------------------------------------

QA_PREFIX = re.compile(r"^(?P<kind>[QA])\s*[:.\-–—]\s+(?P<rest>.*)$", re.DOTALL)
INLINE_ANSWER = re.compile(r"\s+A\s*[:.\-–—]\s+")
SPEAKER = re.compile(r"^(?P<label>[A-Z][A-Z0-9 .'’&-]{1,40}):\s+(?P<rest>.*)$", re.DOTALL)


def detect_form(blocks: list[Block]) -> str:
    paragraphs = [b for b in blocks if not b.is_figure]
    prefixes = [QA_PREFIX.match(b.text) for b in paragraphs]
    kinds = [m["kind"] for m in prefixes if m]
    if kinds.count("Q") >= 1 and (kinds.count("A") >= 1 or any(INLINE_ANSWER.search(b.text)
                                                                for b in paragraphs)):  # fmt: skip
        return "prefix"
    labels = [m["label"] for b in paragraphs if (m := SPEAKER.match(b.text))]
    if len(labels) >= 2 and len(set(labels)) >= 2:
        return "speaker"
    if sum(1 for b in paragraphs if b.lead_bold) >= 2:
        return "bold"
    return "sentence"


def assemble(
    blocks: list[Block], blog: list[Block], header: dict[str, object], title: str
) -> ParsedArticle:
    article = ParsedArticle(
        title=title,
        posted=header.get("posted"),
        byline=str(header.get("byline", "")),
        tags=list(header.get("tags", [])),
        film=str(header.get("film", "")),
    )
    article.form = detect_form(blocks)
    interviewer = None
    current: ParsedPair | None = None
    for block in blocks:
        if block.is_figure or (block.lines and looks_like_caption(block.lines)):
            figure = block if block.is_figure else figure_from_lines(block.lines)
            article.figures.append(
                ParsedFigure(figure.alt, figure.caption, len(article.pairs), figure.src)
            )
            continue
        question, rest, rest_html, is_answer = None, "", "", False
        match article.form:
            case "prefix":
                if m := QA_PREFIX.match(block.text):
                    if m["kind"] == "Q":
                        question, *inline = INLINE_ANSWER.split(m["rest"], maxsplit=1)
                        rest = inline[0] if inline else ""
                    else:
                        rest, is_answer = m["rest"], True
            case "speaker":
                if m := SPEAKER.match(block.text):
                    interviewer = interviewer or m["label"]
                    if m["label"] == interviewer:
                        question = m["rest"]
                    else:
                        rest, is_answer = m["rest"], True
            case "bold":
                if block.lead_bold:
                    question = block.lead_bold
                    rest = block.text[len(block.lead_bold) :].strip()
                    rest_html = block.html_after_bold
            case _:
                # A question still waiting for its answer takes this paragraph as the answer,
                # even one like "Coffee. And if you’re in China???".
                awaiting = current is not None and not current.answer_paragraphs
                split = None if awaiting else split_question(block.text)
                if split is not None:
                    question, rest = split
        if question is not None:
            current = ParsedPair(question=question.strip())
            article.pairs.append(current)
            if rest_html:
                current.answer.append(Block(text=rest, html=rest_html))
            elif rest:
                current.first_answer_text = rest.strip()
        elif current is None and not is_answer:
            article.intro.append(block)
        elif current is None:
            raise ArticleError(f"An answer comes before any question: “{block.text[:60]}”.")
        elif is_answer and rest:
            current.answer.append(Block(text=rest.strip()))
        else:
            current.answer.append(block)
    article.posts = blog_posts(blog)
    return article


def blog_posts(blocks: list[Block]) -> list[ParsedPost]:
    """Items of the "From our blog" box: a date line, the title before it, the excerpt after."""
    dates = [i for i, block in enumerate(blocks) if i > 0 and parse_date(block.text)]
    posts = []
    for n, index in enumerate(dates):
        end = dates[n + 1] - 1 if n + 1 < len(dates) else len(blocks)
        posts.append(
            ParsedPost(
                title=NUMBERED.sub("", blocks[index - 1].text).strip(),
                posted=parse_date(blocks[index].text),
                excerpt=" ".join(block.text for block in blocks[index + 1 : end]),
            )
        )
    return posts


def take_header(blocks: list[Block], header: dict[str, object]) -> list[Block]:
    """Read the header lines (date, byline, tags, film) that open the article; drop them."""
    remaining = list(blocks)
    while remaining and not remaining[0].is_figure:
        lines = remaining[0].lines or [remaining[0].text]
        if not all(header_line(line, header) for line in lines):
            break
        remaining.pop(0)
    return remaining


def header_line(line: str, header: dict[str, object]) -> bool:
    """Record ``line`` in ``header`` if it is a header line; say whether it was."""
    posted, byline = parse_posted(line)
    if posted:
        header["posted"] = posted
        if byline:
            header["byline"] = byline
        return True
    if parse_date(line):
        header["posted"] = parse_date(line)
        return True
    for pattern, key in ((BYLINE, "byline"), (FILM, "film")):
        if m := pattern.match(line):
            header[key] = m[key].strip()
            return True
    if m := TAGS.match(line):
        header["tags"] = [t.strip() for t in m["tags"].split(",") if t.strip()]
        return True
    return False


def parse_text(source: str) -> ParsedArticle:
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
    return checked(assemble(blocks, blog, header, squash(title)))


def parse_html(source: str) -> ParsedArticle:
    blocks, blog, meta = html_blocks(source)
    header = {k: v for k, v in meta.items() if k in ("posted", "byline", "tags") and v}
    for line in meta.get("header_lines", []):
        for part in re.split(r"\s+[|·•]\s+", line):
            header_line(part, header)
    blocks = take_header(blocks, header)
    title = meta.get("title") or meta.get("page_title") or ""
    return checked(assemble(blocks, blog, header, str(title)))


def checked(article: ParsedArticle) -> ParsedArticle:
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


# --- Reading files ---------------------------------------------------------------------

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
