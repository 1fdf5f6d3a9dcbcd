"""Rich text: HTML kept to an allow-list, so it is the one kind of content safe to render raw.

Sanitising happens when a value enters the model (forms, fixtures, code), never at render
time, so what is stored is exactly what is shown.
"""

import re

import nh3
from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "cite", "q", "abbr", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


MARKUP = re.compile(r"<[a-zA-Z/!]")
BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs_from_text(value: str) -> str:
    """Plain text as HTML: blank lines separate paragraphs, single newlines become <br>."""
    blocks = (block.strip() for block in BLANK_LINE.split(value.replace("\r\n", "\n")))
    return "".join(
        "<p>{}</p>".format(escape(block).replace("\n", "<br>")) for block in blocks if block
    )


def sanitize_html(value: str | None) -> str:
    """Return ``value`` with every tag, attribute and URL scheme outside the allow-list removed."""
    if not value:
        return ""
    if not MARKUP.search(value):
        value = paragraphs_from_text(value)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class RichTextField(models.TextField):
    """A ``TextField`` whose HTML is sanitised on every way in: forms, fixtures and ``save()``.

    Text typed without any markup is turned into paragraphs, so editors need no HTML.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Type plain text, with a blank line between paragraphs, or paste HTML: "
              "only safe formatting (headings, bold, italic, links, lists, quotes) is kept."),
        )  # fmt: skip
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return sanitize_html(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
