"""Writing the index: each declared kind's rows turned into ``SearchEntry`` rows.

What text of a page is searchable, and with what weight, is said by the app that owns the
page, in its ``search_documents`` module (``registry``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from cms.page_cache.models import ContentVersion
from cms.searching import Entry, tidy

from . import registry
from .models import SearchEntry


def stored(entry: Entry) -> dict:
    """An entry's text as the index stores it: tidied, the title cut to its column."""
    return {
        "title": tidy(entry.title)[: SearchEntry._meta.get_field("title").max_length],
        "keywords": tidy(entry.keywords),
        "summary": tidy(entry.summary),
        "body": tidy(entry.body),
        "url": entry.url,
        "date": entry.date,
    }


@transaction.atomic
def index(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of these objects from their current rows; drop those that are gone.

    One transaction with the new token of ``*`` (``index_changed``): a search never sees
    the new entries under the token its list of hidden entries was made under
    (``search.backends.hidden_entries``), nor a draft's entry before it is in that list.

    The token is replaced first: that write locks its row until this transaction ends, so
    two of these (two workers' saves) write their entries one after the other. Otherwise
    PostgreSQL could number a draft's entry before another's, commit it after that one's
    new token was read and its list made, and show it under the ``newest`` of that list.
    """
    index_changed()
    ids = set(ids)
    document = registry.document(kind)
    found = 0
    for item in document.rows().filter(pk__in=ids):
        SearchEntry.objects.update_or_create(
            kind=kind, object_id=item.pk, defaults=stored(document.fields(item))
        )
        ids.discard(item.pk)
        found += 1
    if ids:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    return found


def index_changed() -> None:
    """Replace the token of ``*``: search results kept under it were read from the index
    as it was (``kept_while_nothing_changes``). A content save moved it already, but the
    index is written after that save commits, and a search in between read the old text."""
    ContentVersion.move_on()


def rebuild(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Index every object of every kind from scratch; return how many entries were written."""
    SearchEntry.objects.all().delete()
    written = 0
    for document in registry.documents():
        batch = []
        for item in document.rows().order_by("pk").iterator(chunk_size=batch_size):
            batch.append(
                SearchEntry(kind=document.kind, object_id=item.pk, **stored(document.fields(item)))
            )
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                written += len(batch)
                if progress:
                    progress(len(batch))
                batch = []
        SearchEntry.objects.bulk_create(batch)
        written += len(batch)
        if progress and batch:
            progress(len(batch))
    index_changed()
    return written


def tidy_up_index() -> None:
    """After a rebuild: give the planner the table's new shape.

    On PostgreSQL, VACUUM also moves freshly inserted rows out of the GIN index's pending
    list; until then (or until autovacuum does it) searches scan the whole table. On SQLite,
    FTS5's ``optimize`` merges the index's segments into one, which halves the time of a
    search that ANDs a rare kind with a common word.
    """
    table = SearchEntry._meta.db_table
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
        cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")
