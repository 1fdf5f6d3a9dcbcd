"""A saved HTML page to a ``ParsedArticle``: the article's blocks without the site around it.

Scripts, navigation, forms, the site's header and footer, asides and the "From our blog" box
are taken out first; what is left in ``<article>`` (or ``<main>``, or ``<body>``) becomes
blocks, and the page's ``<title>``, ``<meta>``, ``<time>`` and byline give its header.

What Google Docs and Word put on the clipboard or in an export is brought to plain HTML first
(``normalize_office_markup``): bold and italic spans become ``<strong>``/``<em>``, Word's
bullet paragraphs become lists, the headline is Word's Title paragraph or the first ``<h1>``
(never the ``<title>``, which is often a file name), blank paragraphs go, and a caption stays
with its picture. A picture that cannot be placed is named in ``warnings``.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from cms.richtext import sanitize_html

from .article import Block, ParsedArticle, checked, is_blank, squash
from .blog_box import blog_box_blocks, blog_posts, find_blog_box
from .figures import CAPTION_LINE_MAX, figure_element, image_paragraph, looks_like_caption
from .header import header_line, parse_date, take_header
from .questions import assemble, split_question

HTML_SKIP = ("script", "style", "noscript", "template", "nav", "form", "svg", "head")
HTML_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "figure", "img", "blockquote", "ul", "ol",
               "li", "dd", "figcaption")  # fmt: skip
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
TITLE_CLASSES = re.compile(r"^(MsoTitle|title)$")
CAPTION_CLASSES = re.compile(r"^(MsoCaption|caption)$", re.IGNORECASE)
WORD_LIST_CLASS = re.compile(r"^MsoList", re.IGNORECASE)
BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
NOT_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(normal|[1-4]00)", re.IGNORECASE)
ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)
# The marker Word writes before each item of a bulleted or numbered list.
# Symbol and Wingdings bullets come as private-use characters when the font is not named.
WORD_BULLET = re.compile(
    r"^[\s\u00a0]*([·•o§▪\-–*\uf0b7\uf0a7\uf0d8\uf076\uf0fc]|\(?[0-9a-zA-Z]{1,3}[.)])[\s\u00a0]+"
)
NUMBERED_BULLET = re.compile(r"^\(?[0-9a-zA-Z]{1,3}[.)]$")


def normalize_office_markup(soup: BeautifulSoup) -> None:
    """Google Docs' and Word's markup as plain HTML the reader understands, in place."""
    for wrapper in soup.find_all(["b", "strong"]):
        if is_not_bold(wrapper):
            wrapper.unwrap()
    for span in soup.find_all("span"):
        style = span.get("style", "")
        if BOLD_STYLE.search(style):
            span.name, span.attrs = "strong", {}
        elif ITALIC_STYLE.search(style):
            span.name, span.attrs = "em", {}
    word_lists(soup)


def is_not_bold(tag: Tag) -> bool:
    """Docs wraps a whole paste in ``<b style="font-weight:normal" id="docs-internal-guid-…">``."""
    marked = str(tag.get("id", "")).startswith("docs-internal-guid")
    return marked or bool(NOT_BOLD_STYLE.search(tag.get("style", "")))


def word_lists(soup: BeautifulSoup) -> None:
    """Word's "MsoListParagraph" runs, each opening with a "·", "o" or "1." marker, as lists."""
    current: Tag | None = None
    for paragraph in soup.find_all("p"):
        classes = paragraph.get("class") or []
        style = paragraph.get("style", "")
        if not (any(WORD_LIST_CLASS.match(c) for c in classes) or "mso-list" in style):
            current = None
            continue
        marker = WORD_BULLET.match(paragraph.get_text(""))
        if marker:
            drop_leading_text(paragraph, marker.end())
        tag = "ol" if marker and NUMBERED_BULLET.match(marker[1]) else "ul"
        if (
            current is None
            or paragraph.find_previous_sibling() is not current
            or (current.name != tag)
        ):
            current = soup.new_tag(tag)
            paragraph.insert_before(current)
        paragraph.name, paragraph.attrs = "li", {}
        current.append(paragraph.extract())


def drop_leading_text(element: Tag, count: int) -> None:
    """Remove the first ``count`` characters of the element's text, across its runs."""
    for string in list(element.strings):
        if count <= 0:
            return
        taken = min(count, len(string))
        string.replace_with(string[taken:])
        count -= taken


def html_blocks(source: str) -> tuple[list[Block], list[Block], dict[str, object]]:
    """An HTML page to (article blocks, blog blocks, metadata found in the markup)."""
    soup = BeautifulSoup(source, "html.parser")
    meta = html_metadata(soup)  # the <title> first: <head> goes with the skipped parts
    for tag in soup.find_all(HTML_SKIP):
        tag.decompose()
    normalize_office_markup(soup)
    warnings: list[str] = []
    meta["warnings"] = warnings
    blog_blocks = []
    blog = find_blog_box(soup)
    if blog is not None:
        blog_blocks = blog_box_blocks(blog)
        blog.decompose()
    meta.update(html_byline(soup))
    container = soup.find("article") or soup.find("main") or soup.body or soup
    title_tag = (
        container.find("p", class_=TITLE_CLASSES)
        or container.find("h1")
        or soup.find("p", class_=TITLE_CLASSES)
        or soup.find("h1")
    )
    if title_tag is not None:
        meta["title"] = squash(title_tag.get_text(" "))
        title_tag.decompose()
    # Every picture of the article, to name any that no block below takes.
    pictures = [(img.get("src", ""), picture_name(img)) for img in container.find_all("img")]
    for element in container.find_all(["header", "footer", "aside"]):
        header_text = squash(element.get_text(" "))
        if element.name == "header" and len(header_text) < 300:
            meta.setdefault("header_lines", []).append(header_text)
            element.decompose()
        elif element.name != "header":
            element.decompose()
    blocks: list[Block] = []
    for element in container.find_all(HTML_BLOCKS):
        if any(parent.name in HTML_BLOCKS for parent in element.parents):
            continue  # handled with the block that contains it
        blocks += html_block(element, warnings)
    placed = {block.src for block in blocks if block.is_figure}
    for src, name in pictures:
        if src not in placed:
            warnings.append(
                f"A picture ({name}) is outside the article's text (in a side box, header or "
                "footer) and was not imported; add it to the draft by hand if it belongs."
            )
    blocks = attach_captions(blocks, warnings)
    if "title" not in meta and "page_title" not in meta:
        blocks = headline_from_first_line(blocks, meta)
    return blocks, blog_blocks, meta


def picture_name(image: Tag) -> str:
    """A picture as an editor can recognise it in a warning: its alt text or file name."""
    alt = squash(image.get("alt", ""))
    if alt:
        return f"“{alt[:80]}”"
    src = image.get("src", "")
    return "embedded" if src.startswith("data:") else src.rsplit("/", 1)[-1][:80] or "no file"


def attach_captions(blocks: list[Block], warnings: list[str]) -> list[Block]:
    """A caption kept with its picture, never merged into an answer.

    A paragraph styled as a caption, or a short caption-like line right after a picture the
    source did not caption, becomes that picture's caption.
    """
    kept: list[Block] = []
    for block in blocks:
        previous = kept[-1] if kept else None
        after_picture = previous is not None and previous.is_figure and not previous.captioned
        short_line = (
            not block.is_figure
            and not block.lead_bold
            and block.kind == "p"
            and looks_like_caption([block.text])
        )
        if after_picture and (block.caption_style or short_line):
            previous.caption = previous.text = block.text
            previous.alt = previous.alt or block.text
            previous.captioned = True
            continue
        if block.caption_style:
            warnings.append(
                f"The caption “{block.text[:80]}” follows no picture; it was kept as a paragraph."
            )
        kept.append(block)
    for block in kept:
        if block.is_figure and not (block.alt or block.caption):
            warnings.append(
                f"A picture ({block.src.rsplit('/', 1)[-1][:60] or 'no file'}) has no caption "
                "or alt text; write its alt text in the image library."
            )
    return kept


def headline_from_first_line(blocks: list[Block], meta: dict[str, object]) -> list[Block]:
    """A pasted fragment has no ``<h1>`` nor ``<title>``: a first line that reads as a headline."""
    if len(blocks) < 2:
        return blocks
    first = blocks[0]
    if (
        first.is_figure
        or first.kind != "p"
        or len(first.text) > 200
        or first.text.rstrip("\"”’')]")[-1:] in ".?!:;,…"
    ):
        return blocks
    meta["title"] = first.text
    return blocks[1:]


def html_metadata(soup: BeautifulSoup) -> dict[str, object]:
    """The page's `<title>`, and the date and author its `<meta>` tags give."""
    meta: dict[str, object] = {}
    title = soup.find("title")
    if title is not None and title.string:
        meta["page_title"] = squash(title.string)
    for name in ("article:published_time", "date", "pubdate"):
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag is not None and parse_date(tag.get("content", "")):
            meta["posted"] = parse_date(tag["content"])
            break
    meta_author = soup.find("meta", attrs={"name": "author"})
    if meta_author is not None and squash(meta_author.get("content", "")):
        meta["meta_byline"] = squash(meta_author.get("content", ""))
    return meta


def html_byline(soup: BeautifulSoup) -> dict[str, object]:
    """Byline, tags and date from the page's markup; the byline element goes."""
    meta: dict[str, object] = {}
    author = soup.find(attrs={"rel": "author"}) or soup.find(class_=re.compile("byline|author"))
    if author is not None and len(author.get_text()) <= 160:
        meta["byline"] = re.sub(r"^by\s+", "", squash(author.get_text(" ")), flags=re.IGNORECASE)
        author.decompose()
    tags = [squash(a.get_text(" ")) for a in soup.find_all("a", rel="tag")]
    if tags:
        meta["tags"] = tags
    time = soup.find("time")
    if time is not None:
        meta["time_posted"] = parse_date(time.get("datetime", "")) or parse_date(time.get_text(" "))
    return meta


def html_block(element: Tag, warnings: list[str]) -> list[Block]:
    """One block-level element as paragraphs, a list, question headings or figures.

    Empty: nothing. A picture in a long paragraph comes out as a figure before the text.
    """
    if element.name in ("figure", "img"):
        figure = figure_element(element)
        return [figure] if figure is not None else []
    text = squash(element.get_text(" "))
    images = element.find_all("img")
    if images and len(text) < CAPTION_LINE_MAX and element.name not in ("ul", "ol"):
        # The text is the caption of the last picture of the paragraph.
        *others, last = images
        return [image_paragraph(image, "") for image in others] + [image_paragraph(last, text)]
    figures = [image_paragraph(image, "") for image in images]
    for image in images:
        image.decompose()
    if is_blank(text):
        return figures
    if element.name in ("ul", "ol"):
        items = [li for li in element.find_all("li", recursive=False) if not is_blank(li.text)]
        html = sanitize_html(f"<{element.name}>{''.join(str(li) for li in items)}</{element.name}>")
        html = html.removeprefix(f"<{element.name}>").removesuffix(f"</{element.name}>")
        return [*figures, Block(text=text, html=html, kind=element.name)]
    if element.name in HEADINGS:
        # A heading that asks something is a question; other headings are section titles.
        if split_question(text) is not None:
            return [*figures, Block(text=text, lead_bold=text)]
        warnings.append(f"The heading “{text[:80]}” is not a question and was left out.")
        return figures
    block = Block(text=text, html=inner_html(element))
    classes = element.get("class") or []
    block.caption_style = element.name == "figcaption" or any(
        CAPTION_CLASSES.match(c) for c in classes
    )
    first = next(
        (c for c in element.children if not (isinstance(c, NavigableString) and not c.strip())),
        None,
    )
    if isinstance(first, Tag) and first.name in ("strong", "b"):
        block.lead_bold = squash(first.get_text(" "))
        first.extract()
        block.html_after_bold = inner_html(element)
    return [*figures, block]


def inner_html(element: Tag) -> str:
    """The element's content, sanitised, without the ``<p>`` the sanitiser puts round bare text."""
    html = sanitize_html(element.decode_contents().strip())
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def parse_html(source: str) -> ParsedArticle:
    """Parse a saved HTML page, or raise ``ArticleError`` saying what is missing."""
    blocks, blog, meta = html_blocks(source)
    header = {k: v for k, v in meta.items() if k in ("posted", "byline", "tags") and v}
    if "posted" not in header and meta.get("time_posted"):
        header["posted"] = meta["time_posted"]
    if "byline" not in header and meta.get("meta_byline"):
        header["byline"] = meta["meta_byline"]
    for line in meta.get("header_lines", []):
        for part in re.split(r"\s+[|·•]\s+", line):
            header_line(part, header)
    blocks = take_header(blocks, header)
    title = meta.get("title") or meta.get("page_title") or ""
    article = assemble(blocks, header, str(title))
    article.posts = blog_posts(blog)
    article.warnings = list(meta["warnings"])
    return checked(article)
