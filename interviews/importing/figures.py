"""Photos in an article: a ``[Figure: file]`` marker or caption lines in text, or an image in HTML.

Legacy pages often kept only a photo's caption, so recognising a figure is mostly
recognising a caption; the importer gives such a figure a placeholder photo.
"""

from __future__ import annotations

import re

from bs4 import Tag

from .article import Block, squash

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


def figure_from_lines(lines: list[str], src: str = "") -> Block:
    """A figure from its text lines: the alt text, then the caption (the alt text if none)."""
    alt = lines[0] if lines else ""
    caption = lines[1] if len(lines) > 1 else alt
    return Block(text=caption, is_figure=True, alt=alt, caption=caption, src=src, lines=lines)


def figure_element(element: Tag) -> Block | None:
    """A ``<figure>`` or ``<img>``, with its ``<figcaption>`` or alt text; None without a picture.

    A picture with neither is still a figure: its caption may follow (Word), and the parser
    warns when none does, so no picture is dropped unseen.
    """
    image = element if element.name == "img" else element.find("img")
    if image is None:
        return None
    caption_tag = element.find("figcaption") if element.name == "figure" else None
    alt = squash(image.get("alt", ""))
    caption = squash(caption_tag.get_text(" ")) if caption_tag is not None else ""
    return Block(
        text=caption or alt,
        is_figure=True,
        alt=alt or caption,
        caption=caption or alt,
        src=image.get("src", ""),
        captioned=bool(caption),
    )


def image_paragraph(image: Tag, text: str) -> Block:
    """A paragraph holding an image and a short ``text``: the photo, with the text as caption."""
    alt = squash(image.get("alt", "")) or text
    caption = text or alt
    return Block(
        text=caption,
        is_figure=True,
        alt=alt,
        caption=caption,
        src=image.get("src", ""),
        captioned=bool(text),
    )
