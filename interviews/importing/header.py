"""The lines that open an article: posted date, byline, tags and the film it is about.

Text files write them under the title, HTML pages in ``<header>``, ``<time>`` and ``<meta>``;
both end up here, so a date or a byline is read the same way whatever the format.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .article import Block, squash

DATE_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%Y-%m-%d")
POSTED = re.compile(r"^(?:posted|published)(?:\s+on)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
BY_SUFFIX = re.compile(r"\s+by\s+(?P<byline>.+)$", re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(?P<byline>[^.?!]{2,120})$", re.IGNORECASE)
TAGS = re.compile(r"^tags?\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
FILM = re.compile(r"^film\s*:\s*(?P<film>.+)$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """A calendar date written the ways legacy pages write one, or None."""
    # Word splits a date into runs and spaces it with no-break spaces: "February 22 , 2013".
    text = re.sub(r"\s+,", ",", squash(text.replace("\u00a0", " "))).strip(" .")
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
    match = POSTED.match(squash(text.replace("\u00a0", " ")))
    if not match:
        return None, ""
    rest, byline = match["rest"], ""
    by = BY_SUFFIX.search(rest)
    if by:
        rest, byline = rest[: by.start()], by["byline"].strip()
    return parse_date(rest), byline


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
