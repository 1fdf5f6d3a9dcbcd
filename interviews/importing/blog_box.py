"""The "From our blog" box legacy pages carry: found, kept out of the article, read as posts.

The box lists other news, not the interview, so it must never end up in the intro or an
answer; its items become the blog posts the importer adds when the site lacks them.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .article import Block, ParsedPost, squash
from .header import parse_date

BLOG_HEADING = re.compile(r"^from (?:our|the) blog$", re.IGNORECASE)
NUMBERED = re.compile(r"^\d+[.)]\s+")


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
