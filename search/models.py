"""The search index: one row of plain text per searchable page.

The full-text index over these rows belongs to the database: an FTS5 table on SQLite, a
weighted ``tsvector`` column with a GIN index on PostgreSQL (both made in migration 0002).
Rows hold text only; whether a viewer may see a row is decided when searching, by the
visibility rule each kind's declaration takes from its model (``registry``), so publishing,
scheduling and expiry never wait for the index.
"""

from __future__ import annotations

import functools
import operator

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import registry


def kind_choices() -> list[tuple[str, str]]:
    """The declared kinds of searchable page (``registry``), read when needed."""
    return [(document.kind, document.verbose_name_plural) for document in registry.documents()]


def visible_now() -> Q:
    """Entries whose page a viewer may see now, by each kind's own visibility rule; an entry
    of a kind no longer declared is never visible."""
    conditions = [
        Q(kind=document.kind, object_id__in=document.visible().order_by().values("pk"))
        for document in registry.documents()
    ]
    return functools.reduce(operator.or_, conditions, Q(pk__in=[]))


class SearchEntryQuerySet(models.QuerySet):
    def visible(self) -> SearchEntryQuerySet:
        """Entries whose page a viewer may see now (``visible_now``)."""
        return self.filter(visible_now())

    def hidden(self) -> SearchEntryQuerySet:
        """The others: drafts, pages scheduled or expired, entries of a kind no longer declared.

        A search leaves out their ids, kept while nothing changes (``search.backends``).
        """
        return self.exclude(visible_now())


class SearchEntry(models.Model):
    """One page's searchable text. On SQLite an FTS5 index, a view and triggers read this
    table: a migration that rebuilds it must make them again (migration 0006 says how)."""

    kind = models.CharField(_("kind"), max_length=16, choices=kind_choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=255)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Tags, names, places."))
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
