"""Ranked, highlighted full-text search over visible entries, in each database's own way.

SQLite ranks with FTS5's ``bm25`` and cuts snippets with ``snippet``; PostgreSQL ranks a
weighted ``tsvector`` with ``ts_rank`` and cuts snippets with ``ts_headline``. Both stem
English ("filming" finds "filmed"), search "quoted phrases", and filter by
``SearchEntry.objects.visible()`` inside the same query, so counts and pages agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cms.searching import MARK_END, MARK_START

from . import registry
from .models import SearchEntry
from .query import ParsedQuery

T = SearchEntry._meta.db_table
# Column weights, most important first: title, keywords, summary, body.
FTS5_WEIGHTS = "10.0, 5.0, 3.0, 1.0"
PG_CONFIG = "'english'::regconfig"
PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, MaxFragments=0'
)
PG_TITLE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
_MARKED = re.compile(f"{MARK_START}([^{MARK_END}]*){MARK_END}")


def highlighted(text: str) -> SafeString:
    """Escape ``text`` and turn the database's markers into ``<mark>`` elements."""
    html = escape(text)
    opened = html.count(MARK_START) - html.count(MARK_END)
    html = html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html + "</mark>" * max(opened, 0))


@dataclass
class Hit:
    """One result: its entry's display fields, its highlighted title and snippet."""

    id: int
    kind: str
    object_id: int
    url: str
    date: datetime | None
    title: SafeString
    snippet: SafeString
    score: float
    matched: tuple[str, ...] = ()
    context: str = ""

    @property
    def kind_label(self) -> str:
        return registry.document(self.kind).verbose_name


class SearchResults:
    """The visible entries matching a query, ranked; sliceable, so Django's Paginator pages it."""

    def __init__(self, query: ParsedQuery, kind: str | None = None) -> None:
        self.query = query
        self.kind = kind
        vendor = connection.vendor
        if vendor not in {"sqlite", "postgresql"}:
            raise ImproperlyConfigured(f"Search needs SQLite or PostgreSQL, not {vendor}.")
        self.vendor = vendor

    @cached_property
    def _visible(self) -> tuple[str, tuple]:
        """The WHERE condition of ``SearchEntry.objects.visible()``, on the unaliased table."""
        visible = SearchEntry.objects.visible()
        compiler = visible.query.get_compiler(connection=connection)
        sql, params = compiler.compile(visible.query.where)
        return sql, tuple(params)

    def _visible_sql(self, kind: str | None) -> tuple[str, tuple]:
        sql, params = self._visible
        if kind:
            return f"{T}.kind = %s AND ({sql})", (kind, *params)
        return sql, params

    @cached_property
    def facets(self) -> dict[str, int]:
        """How many visible entries of each kind match, whatever kind is chosen."""
        if self.query.is_empty:
            return {}
        visible, params = self._visible_sql(None)
        if self.vendor == "sqlite":
            sql = (
                f"SELECT {T}.kind, COUNT(*) FROM search_entry_fts "
                f"JOIN {T} ON {T}.id = search_entry_fts.rowid "
                f"WHERE search_entry_fts MATCH %s AND ({visible}) GROUP BY {T}.kind"
            )
            args = (self.query.as_fts5(), *params)
        else:
            sql = (
                f"SELECT {T}.kind, COUNT(*) FROM {T} "
                f"WHERE {T}.search_vector @@ websearch_to_tsquery({PG_CONFIG}, %s) "
                f"AND ({visible}) GROUP BY {T}.kind"
            )
            args = (self.query.as_websearch(), *params)
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            found = dict(cursor.fetchall())
        return {kind: found[kind] for kind in registry.kinds() if kind in found}

    def count(self) -> int:
        if self.kind:
            return self.facets.get(self.kind, 0)
        return sum(self.facets.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("Search results are read a page (a slice) at a time.")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        if self.query.is_empty or stop <= start:
            return []
        rows = self._page(start, stop - start)
        return [self._hit(*row) for row in rows]

    def _page(self, offset: int, limit: int) -> list[tuple]:
        visible, params = self._visible_sql(self.kind)
        order = f"{T}.date DESC NULLS LAST, {T}.id"
        if self.vendor == "sqlite":
            sql = (
                f"SELECT {T}.id, {T}.kind, {T}.object_id, {T}.url, {T}.date, "
                f"highlight(search_entry_fts, 0, '{MARK_START}', '{MARK_END}'), "
                f"snippet(search_entry_fts, 3, '{MARK_START}', '{MARK_END}', '…', 30), "
                f"snippet(search_entry_fts, 2, '{MARK_START}', '{MARK_END}', '…', 30), "
                f"bm25(search_entry_fts, {FTS5_WEIGHTS}) AS score "
                f"FROM search_entry_fts JOIN {T} ON {T}.id = search_entry_fts.rowid "
                f"WHERE search_entry_fts MATCH %s AND ({visible}) "
                f"ORDER BY score, {order} LIMIT %s OFFSET %s"
            )
            args = (self.query.as_fts5(), *params, limit, offset)
        else:
            query = f"websearch_to_tsquery({PG_CONFIG}, %s)"
            sql = (
                "WITH page AS ("
                f"SELECT {T}.id, {T}.date, ts_rank({T}.search_vector, {query}, 1) AS score "
                f"FROM {T} WHERE {T}.search_vector @@ {query} "
                f"AND ({visible}) ORDER BY score DESC, {order} LIMIT %s OFFSET %s) "
                "SELECT e.id, e.kind, e.object_id, e.url, e.date, "
                f"ts_headline({PG_CONFIG}, e.title, {query}, %s), "
                f"ts_headline({PG_CONFIG}, e.body, {query}, %s), "
                f"ts_headline({PG_CONFIG}, e.summary, {query}, %s), "
                f"-page.score FROM page JOIN {T} e ON e.id = page.id "
                "ORDER BY page.score DESC, page.date DESC NULLS LAST, page.id"
            )
            text = self.query.as_websearch()
            args = (text, text, *params, limit, offset,
                    text, PG_TITLE, text, PG_HEADLINE, text, PG_HEADLINE)  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def _hit(self, pk, kind, object_id, url, date, title, body, summary, score) -> Hit:
        """Prefer a snippet with a match in it: the body's, else the summary's."""
        snippet = next(
            (text for text in (body, summary) if text and MARK_START in text), summary or body
        )
        if isinstance(date, str):  # SQLite hands raw SQL datetimes back as text
            date = datetime.fromisoformat(date)
        if date is not None and timezone.is_naive(date):
            date = timezone.make_aware(date, UTC)
        matched = tuple(_MARKED.findall(snippet or ""))
        return Hit(pk, kind, object_id, url, date, highlighted(title), highlighted(snippet or ""),
                   float(score), matched)  # fmt: skip


def search(query: ParsedQuery, kind: str | None = None) -> SearchResults:
    return SearchResults(query, kind)
