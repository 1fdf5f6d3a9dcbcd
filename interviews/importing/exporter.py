"""An interview back to plain text, in the unambiguous ``Q:``/``A:`` form the importer reads.

Export then ``import_articles --update`` gives the same structure: a backup people can read
and edit, and a round trip the tests hold the parser to.
"""

from __future__ import annotations

from html import unescape

from django.utils import timezone
from django.utils.html import strip_tags

from interviews.models import Figure, Interview

from .article import squash


def html_paragraphs(html: str) -> list[str]:
    """The text of each paragraph of stored rich text, as the text format writes them."""
    chunks = html.replace("</p>", "</p>\n\n").replace("<br>", " ").split("\n\n")
    texts = (squash(unescape(strip_tags(chunk))) for chunk in chunks)
    return [text for text in texts if text]


def export_article(interview: Interview) -> str:
    """The interview as plain text in the unambiguous Q:/A: form the importer reads back."""
    lines = [interview.title, ""]
    if interview.publish_at:
        posted = timezone.localtime(interview.publish_at).date()
        lines += [f"Posted on {posted:%B} {posted.day}, {posted.year}"]
    if interview.byline:
        lines += [f"By {interview.byline}"]
    if interview.film_id:
        lines += [f"Film: {interview.film.title}"]
    tags = sorted(interview.tags.names())
    if tags:
        lines += [f"Tags: {', '.join(tags)}"]
    lines.append("")
    for paragraph in html_paragraphs(interview.intro):
        lines += [paragraph, ""]
    for block in interview.body():
        if isinstance(block, Figure):
            lines += [f"[Figure: {block.image.file.name}]", block.image.alt_text,
                      block.display_caption or block.image.alt_text, ""]  # fmt: skip
        else:
            answer = html_paragraphs(block.answer)
            lines += [f"Q: {block.question}", ""]
            lines += [f"A: {answer[0]}" if answer else "A:", ""]
            for paragraph in answer[1:]:
                lines += [paragraph, ""]
    return "\n".join(lines).rstrip() + "\n"
