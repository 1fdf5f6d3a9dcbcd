"""Rich text: HTML kept to an allow-list, so it is the one kind of content safe to render raw.

Sanitising happens when a value enters the model (forms, fixtures, code), never at render
time, so what is stored is exactly what is shown.
"""

import html
import re

import nh3
from bs4 import BeautifulSoup
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
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


MARKUP = re.compile(r"<[a-zA-Z/!]")
BLANK_LINE = re.compile(r"\n\s*\n")
# A paragraph with nothing to read, as nh3 writes it out: spaces, no-break spaces, line
# breaks and empty inline tags only. Google Docs and Word paste one per blank line.
EMPTY_PARAGRAPH = re.compile(
    r"<p>(?:\s|&nbsp;|<br>|</?(?:strong|b|em|i|u|s|sub|sup|code|cite|q|abbr)>)*</p>"
)
# Line breaks left between blocks (Google Docs puts one after a paragraph): blank lines too.
_BLOCK = r"(?:p|h[2-4]|ul|ol|blockquote|pre)"
STRAY_BREAKS = re.compile(rf"(^|</{_BLOCK}>|<hr>)(?:\s*<br>)+\s*(?=<{_BLOCK}>|<hr>|$)")


def paragraphs_from_text(value: str) -> str:
    """Plain text as HTML: blank lines separate paragraphs, single newlines become <br>."""
    blocks = (block.strip() for block in BLANK_LINE.split(value.replace("\r\n", "\n")))
    return "".join(
        "<p>{}</p>".format(escape(block).replace("\n", "<br>")) for block in blocks if block
    )


# The editor's toolbar, matching ALLOWED_TAGS: what editors can make is what is kept.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "HardBreak": True,
    "History": True,
}
BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
NOT_BOLD = re.compile(r"font-weight\s*:\s*(normal|[1-4]00)", re.IGNORECASE)
ITALIC = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)


def translate_office_styles(value: str) -> str:
    """Turn the inline styles of Word and Google Docs pastes into the tags they stand for.

    Google Docs wraps a whole paste in ``<b style="font-weight:normal">`` and marks bold and
    italic with styled ``<span>``s; left alone, the allow-list would keep the wrong bold and
    drop the right one.
    """
    soup = BeautifulSoup(value, "html.parser")
    for tag in soup.find_all(style=True):
        style = tag["style"]
        if tag.name in ("b", "strong") and NOT_BOLD.search(style):
            tag.unwrap()
        elif tag.name == "span" and BOLD.search(style):
            tag.name = "strong"
            if ITALIC.search(style):
                tag.wrap(soup.new_tag("em"))
        elif tag.name == "span" and ITALIC.search(style):
            tag.name = "em"
    return str(soup)


def sanitize_html(value: str | None) -> str:
    """Return ``value`` with every tag, attribute and URL scheme outside the allow-list removed.

    Paragraphs with nothing to read (``<p></p>``, ``<p><br></p>``, ``<p>&nbsp;</p>``), which
    every blank line of a Google Docs or Word paste becomes, are dropped: they would show as
    stray gaps that editors cannot see to delete in the editor.

    Running it twice changes nothing: what it returns always holds a tag, so a second pass
    never mistakes stored HTML for typed text and escapes its ``&amp;`` again.
    """
    if not value:
        return ""
    if not MARKUP.search(value):
        # Text with no tag: typed text, or HTML whose only markup is character references.
        # Either way "&amp;" means "&", so read references before escaping once.
        value = paragraphs_from_text(html.unescape(value))
    elif "style=" in value:
        value = translate_office_styles(value)
    clean = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    clean = STRAY_BREAKS.sub(r"\1", EMPTY_PARAGRAPH.sub("", clean)).strip()
    if clean and not MARKUP.search(clean):
        clean = f"<p>{clean}</p>"  # every tag was removed; keep the text as a paragraph
    return clean


def html_summary(rich: str, plain: str) -> str:
    """A summary as HTML: the sanitised rich text, else the plain-text field escaped.

    Feeds carry HTML (an RSS description, an Atom summary of ``type="html"``), so a plain
    field such as an excerpt must be escaped into paragraphs, never passed through as markup.
    """
    if plain_text(rich):  # "<p> </p>" or "<hr>" has no words to show
        return rich
    return paragraphs_from_text(plain or "")


class RichTextField(models.TextField):
    """A ``TextField`` whose HTML is sanitised on every way in: forms, fixtures and ``save()``.

    Text typed without any markup is turned into paragraphs, so editors need no HTML.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Headings, bold, italic, links, lists and quotes from the toolbar. Text pasted "
              "from Word or Google Docs keeps only that formatting."),
        )  # fmt: skip
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        """A WYSIWYG editor (django-prose-editor) whose toolbar matches the allow-list."""
        from django_prose_editor.fields import ProseEditorFormField

        defaults = {
            "form_class": ProseEditorFormField,
            "config": {"extensions": EDITOR_EXTENSIONS},
            "sanitize": sanitize_html,
        }
        return super().formfield(**(defaults | kwargs))

    def to_python(self, value):
        return sanitize_html(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(value: str | None) -> str:
    """Readable text from stored rich text, for summaries and search: tags become spaces."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
