"""What an app offers the site search: its searchable pages, declared where their models live.

An app lists its searchable kinds of page in its own ``search_documents`` module, as it
lists its sitemaps in ``sitemaps``: one ``SearchDocument`` subclass per kind, saying which
model, what text of a row is searched (``fields``), which rows a viewer may find now
(``visible``, the model's own QuerySet rule) and what other rows that text is read from
(``depends_on``). The search app finds these declarations and does the rest; the apps
never import it, and adding a searchable model touches only the app that owns it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.utils.text import capfirst

from cms.richtext import plain_text

# The characters search results are highlighted with; stripped from every indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"
_SPACE = re.compile(r"\s+")


def tidy(*parts: str | None) -> str:
    """Plain-text fields joined, on one line, without the highlight markers."""
    text = " ".join(part for part in parts if part)
    return _SPACE.sub(" ", text.replace(MARK_START, "").replace(MARK_END, "")).strip()


def plain(*parts: str | None) -> str:
    """Readable text from rich-text fragments: tags become spaces, entities characters."""
    return tidy(*(plain_text(part) for part in parts))


def tag_names(item: models.Model) -> str:
    return " ".join(tag.name for tag in item.tags.all())


@dataclass(frozen=True)
class Entry:
    """The searchable text of one page, and where and when it is.

    ``title`` weighs most, then ``keywords`` (tags, names, places), then ``summary``, then
    ``body``.
    """

    title: str
    keywords: str = ""
    summary: str = ""
    body: str = ""
    url: str = ""
    date: datetime | None = None


class SearchDocument:
    """One kind of searchable page. Subclass it in an app's ``search_documents`` module.

    ``model`` is required. ``kind`` (default: the model's name) is what the index stores and
    what ``?type=`` filters on; ``verbose_name`` labels one result and ``verbose_name_plural``
    the filter (both default to the model's). ``depends_on`` lists lookups from ``model``
    to the other rows ``fields`` reads, e.g. ``"credits__person"``: a save or deletion of a
    row at any step of such a path, or a change to a many-to-many link on it, re-indexes the
    pages that reach that row.
    """

    model: ClassVar[type[models.Model] | None] = None
    kind: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""
    verbose_name_plural: ClassVar[str] = ""
    depends_on: ClassVar[Sequence[str]] = ()

    def __init__(self) -> None:
        meta = self.model._meta
        self.kind = self.kind or meta.model_name
        self.verbose_name = self.verbose_name or capfirst(meta.verbose_name)
        self.verbose_name_plural = self.verbose_name_plural or capfirst(meta.verbose_name_plural)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.kind}>"

    def rows(self) -> models.QuerySet:
        """Every row to index, drafts too, with what ``fields`` reads fetched alongside."""
        return self.model._default_manager.all()

    def visible(self) -> models.QuerySet:
        """The rows a viewer may find now: the model's own rule, e.g. ``live()``."""
        raise NotImplementedError(f"{type(self).__name__} must say which rows are visible.")

    def fields(self, obj: models.Model) -> Entry:
        """The searchable text of one row."""
        raise NotImplementedError(f"{type(self).__name__} must say what text is searched.")

    def link(self, hits: list) -> None:
        """Adjust this kind's results on one page of results before they are shown.

        Each hit has ``object_id``, ``url``, ``context`` (a line above its title) and
        ``matched`` (the highlighted words of its snippet). Entries store the page's own
        address; override this to point somewhere more precise.
        """
