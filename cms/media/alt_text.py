"""Hints about alt text that is there but tells a blind reader nothing useful.

The model already refuses empty alt text; these are hints, never errors: a camera's file
name ("IMG_1234.jpg") or a phrase a screen reader repeats ("Image of ...", since it already
says "image") is worth a second look, not a refused save. The patterns are written in the
regular-expression syntax SQLite (Python's ``re``) and PostgreSQL share, so the library's
filter finds in the database exactly what the form hints at; ``static/js/admin-image-form.js``
repeats them for the live hint as an editor types.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A camera's or phone's own name for the picture, or any name with an image extension.
FILE_NAME_PATTERN = (
    r"^(img|dsc|dscn|dscf|dji|gopr|pxl|mvimg|screenshot|screen shot)[ _-]?[0-9]"
    r"|\.(jpe?g|png|gif|webp|avif|heic|heif|tiff?|bmp)$"
)
# "Image of", "A photo of", "Picture of": the reader already hears that it is an image.
REDUNDANT_PREFIX_PATTERN = r"^(an? |the )?(image|picture|photo|photograph|pic) of( |$)"

# Each doubt as a sentence for the form and a few words for the grid's cards.
HINTS = {
    "empty": (
        _("Empty: describe what the picture shows for people who cannot see it."),
        _("No alt text"),
    ),
    "file_name": (
        _("Looks like a file name: describe what the picture shows instead."),
        _("Alt text is a file name"),
    ),
    "redundant_prefix": (
        _("Starts with “image of” or the like: screen readers already say it is an image."),
        _("Alt text starts “image of”"),
    ),
    "to_review": (
        _(
            "Taken from a caption by the importer: check that it describes the picture. "
            "Saving this form marks it as reviewed."
        ),
        _("Alt text to review"),
    ),
}


def alt_text_doubts(text: str) -> list[str]:
    """The ``HINTS`` keys that apply to ``text``; empty when it looks fine."""
    text = text.strip()
    if not text:
        return ["empty"]
    doubts = []
    if re.search(FILE_NAME_PATTERN, text, re.IGNORECASE):
        doubts.append("file_name")
    if re.search(REDUNDANT_PREFIX_PATTERN, text, re.IGNORECASE):
        doubts.append("redundant_prefix")
    return doubts


def alt_text_hints(text: str) -> list[str]:
    """What an editor may want to fix in ``text``, as sentences; empty when it looks fine."""
    return [str(HINTS[doubt][0]) for doubt in alt_text_doubts(text)]


def doubtful_alt_text() -> Q:
    """The rows whose alt text earns a hint: the database's side of ``alt_text_hints``."""
    return (
        Q(alt_text="")
        | Q(alt_text__iregex=FILE_NAME_PATTERN)
        | Q(alt_text__iregex=REDUNDANT_PREFIX_PATTERN)
    )
