"""The site's search index as the admin's search: the lookup ``cms.admin_search`` asks for.

The admin lists drafts too, so nothing here asks whether a viewer may see a row: any row
whose indexed text (title, keywords, summary, body: answers, captions, bodies) matches the
words is found. The words are parsed as the site's search parses them, so operators typed
in the box are only ever words, and the match runs inside the admin's own query, as a
subquery of the database's full-text index.
"""

from __future__ import annotations

from django.db import connections, models
from django.db.models.expressions import RawSQL

from . import registry
from .backends import PG_CONFIG, fts5_match
from .models import SearchEntry
from .query import parse


def matching_pks(model: type[models.Model], search_term: str) -> models.QuerySet | None:
    """The ids of ``model``'s rows whose indexed text matches ``search_term``.

    None when ``model`` is not a searchable kind, when the words hold nothing to search for
    (punctuation, exclusions alone), or on a database without a full-text index.
    """
    kinds = [document.kind for document in registry.documents() if document.model is model]
    query = parse(search_term)
    if not kinds or query.is_empty:
        return None
    entries = SearchEntry.objects.filter(kind__in=kinds)
    vendor = connections[entries.db].vendor
    if vendor == "sqlite":
        sql = "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s"
        words = fts5_match(query)
    elif vendor == "postgresql":
        table = SearchEntry._meta.db_table
        sql = f"SELECT id FROM {table} WHERE search_vector @@ websearch_to_tsquery({PG_CONFIG}, %s)"
        words = query.as_websearch()
    else:
        return None
    return entries.filter(id__in=RawSQL(sql, (words,))).values("object_id")
