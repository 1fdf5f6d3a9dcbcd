"""Ranked, highlighted full-text search over visible entries, in each database's own way.

SQLite ranks with FTS5's ``bm25`` and cuts snippets with ``snippet``; PostgreSQL ranks a
weighted ``tsvector`` with ``ts_rank`` and cuts snippets with ``ts_headline``. Both stem
English ("filming" finds "filmed"), search "quoted phrases", and filter by
``SearchEntry.objects.visible()`` inside the same query, so counts and pages agree.

A common word matches nearly every page of a large site, so no search ranks, counts or
checks the visibility of every match: it takes the first ``SearchResults.most`` visible
matches in the index's own order (newest entries first on SQLite, the table's order on
PostgreSQL), ranks those, and cuts headlines for the one page shown. A search with fewer
matches than that (rare words, most phrases) is ranked and counted exactly; one with more
says so ("more than 1,000") and pages through the ranked first ones, and its counts by kind
are those of its first matches ("at least"). The kind filter is part of the full-text lookup
(FTS5's ``kind`` column; the kind index beside the GIN index), so no row is joined to learn
its kind. FTS5's ``bm25`` still reads every match once per search, to weigh each word by its
rarity; that is C over the index alone, not a lookup of each row.
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
# Column weights, most important first: title, keywords, summary, body; then kind (unranked).
FTS5_WEIGHTS = "10.0, 5.0, 3.0, 1.0, 0.0"
FTS5_TEXT = "{title keywords summary body}"
PG_CONFIG = "'english'::regconfig"
PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, MaxFragments=0'
)
PG_TITLE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
_MARKED = re.compile(f"{MARK_START}([^{MARK_END}]*){MARK_END}")


def fts5_match(query: ParsedQuery, kind: str | None = None) -> str:
    """The FTS5 MATCH expression: the words in the text columns only, and the kind if given.

    The words never reach the ``kind`` column, so searching for "film" finds the pages
    that say it, not every film.
    """
    expression = f"{FTS5_TEXT} : ({query.as_fts5()})"
    if kind:
        return 'kind : "' + kind.replace('"', '""') + f'" AND {expression}'
    return expression


def compile_visible() -> tuple[str, tuple]:
    """The WHERE condition of ``SearchEntry.objects.visible()`` now, on the unaliased table."""
    visible = SearchEntry.objects.visible()
    compiler = visible.query.get_compiler(connection=connection)
    sql, params = compiler.compile(visible.query.where)
    return sql, tuple(params)


# Per database and zone: the visibility SQL, its parameters, and which of them are "now".
_visible_sql: dict[tuple, tuple[str, tuple, frozenset[int]] | None] = {}


def visible_condition() -> tuple[str, tuple]:
    """``compile_visible()``, without building every kind's QuerySets again for each search.

    Building and compiling them costs more than a search that checks a thousand rows. The
    SQL depends on nothing but the declarations, the database and the zone; of its
    parameters only the clock readings change. Two compilations a moment apart show which
    those are; they are learnt only if each lies between the readings taken around the two
    (so no value derived from the clock, nor a stopped clock, is taken for "now"), and
    otherwise the condition is compiled for every search as before.
    """
    key = (connection.alias, connection.vendor, timezone.get_current_timezone_name(),
           tuple(registry.documents()))  # fmt: skip
    if key not in _visible_sql:
        _visible_sql[key] = _learn_clock()
    learnt = _visible_sql[key]
    if learnt is None:
        return compile_visible()
    sql, params, clock = learnt
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, tuple(now if n in clock else value for n, value in enumerate(params))


def _learn_clock() -> tuple[str, tuple, frozenset[int]] | None:
    adapt = connection.ops.adapt_datetimefield_value
    before = timezone.now()
    first_sql, first = compile_visible()
    second_sql, second = compile_visible()
    after = timezone.now()
    if first_sql != second_sql or len(first) != len(second) or not before < after:
        return None
    clock = frozenset(n for n, (a, b) in enumerate(zip(first, second, strict=True)) if a != b)
    low, high = adapt(before), adapt(after)
    readings = [value for n in clock for value in (first[n], second[n])]
    if not all(type(value) is type(low) and low <= value <= high for value in readings):
        return None
    return second_sql, second, clock


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
    """The visible entries matching a query, ranked; sliceable, so Django's Paginator pages it.

    ``most`` bounds the work: at most that many matches are ranked and paged through, and
    counts stop one past it (``more`` then says there were more than were counted).
    """

    most = 1000

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
        return visible_condition()

    def _matches(self, kind: str | None, limit: int, columns: str) -> tuple[str, tuple]:
        """SQL for the first ``limit`` visible matches (of ``kind``), with ``columns``.

        The visibility test runs on these rows only, as the scan reaches them, and the scan
        stops at ``limit``: FTS5 walks its index newest first; PostgreSQL reads the rows
        the GIN index (ANDed with the kind index) points at, in the table's order.
        """
        visible, params = self._visible
        if self.vendor == "sqlite":
            sql = (
                f"SELECT {columns} FROM search_entry_fts "
                f"CROSS JOIN {T} ON {T}.id = search_entry_fts.rowid "
                f"WHERE search_entry_fts MATCH %s AND ({visible}) "
                f"ORDER BY search_entry_fts.rowid DESC LIMIT %s"
            )
            return sql, (fts5_match(self.query, kind), *params, limit)
        # Planned apart (OFFSET 0 keeps it so) for one row at a time, the visibility test
        # looks each row up; planned with the scan, PostgreSQL would hash every live row of
        # every kind first, not knowing the LIMIT stops the scan early.
        kind_sql, kind_params = (f"{T}.kind = %s AND ", (kind,)) if kind else ("", ())
        sql = (
            f"SELECT {columns} FROM {T} "
            f"CROSS JOIN LATERAL (SELECT 1 WHERE ({visible}) OFFSET 0) AS visible "
            f"WHERE {kind_sql}{T}.search_vector @@ websearch_to_tsquery({PG_CONFIG}, %s) "
            "LIMIT %s"
        )
        return sql, (*params, *kind_params, self.query.as_websearch(), limit)

    def _best_matches(self) -> tuple[str, tuple]:
        """SQLite: the ``most`` best-ranked visible matches, with their score.

        FTS5 ranks every match by bm25 in C, which is cheap next to testing visibility; the
        test then runs on the best ``2 × most`` only, so a common word's results are its best
        matches, not its newest. (Should more than ``most`` of them be hidden — drafts,
        expired pages — the results are the visible ones among them.)
        """
        visible, params = self._visible
        sql = (
            f"SELECT {T}.id AS id, {T}.date AS date, ranked.score AS score FROM ("
            f"SELECT rowid AS id, bm25(search_entry_fts, {FTS5_WEIGHTS}) AS score "
            "FROM search_entry_fts WHERE search_entry_fts MATCH %s ORDER BY score LIMIT %s"
            f") AS ranked CROSS JOIN {T} ON {T}.id = ranked.id WHERE ({visible}) "
            "ORDER BY ranked.score LIMIT %s"
        )
        return sql, (fts5_match(self.query, self.kind), 2 * self.most, *params, self.most)

    @cached_property
    def _counted(self) -> tuple[dict[str, int], bool]:
        """Matches of each kind among the first ``most + 1`` visible ones; whether that was all."""
        if self.query.is_empty:
            return {}, True
        sql, params = self._matches(None, self.most + 1, f"{T}.kind AS kind")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT kind, COUNT(*) FROM ({sql}) AS matches GROUP BY kind", params)
            found = dict(cursor.fetchall())
        counted = {kind: found[kind] for kind in registry.kinds() if kind in found}
        return counted, sum(found.values()) <= self.most

    @property
    def facets(self) -> dict[str, int]:
        """How many visible entries of each kind match, whatever kind is chosen.

        Exact when ``facets_exact``; otherwise (more than ``most`` matches) they are the
        kinds of the first ``most + 1`` matches: each kind has at least that many.
        """
        return self._counted[0]

    @property
    def facets_exact(self) -> bool:
        return self._counted[1]

    def kind_counts(self) -> dict[str, tuple[int, bool]]:
        """Each kind's count and whether it is only a lower bound, for the kind filter.

        The chosen kind is counted by itself, so it is there even when the first matches of
        a common word hold none of it.
        """
        counts = {kind: (count, count > self.most or not self.facets_exact)
                  for kind, count in self.facets.items()}  # fmt: skip
        if self.kind and self.total:
            counts[self.kind] = (self.total, self.more)
        return counts

    @cached_property
    def total(self) -> int:
        """Visible matches of the chosen kind (or of all), counted up to ``most + 1``."""
        if not self.kind:
            return sum(self.facets.values())
        if self.facets_exact:
            return self.facets.get(self.kind, 0)
        sql, params = self._matches(self.kind, self.most + 1, "1")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matches", params)
            return cursor.fetchone()[0]

    @property
    def more(self) -> bool:
        """Whether more entries match than are counted, ranked and paged through."""
        return self.total > self.most

    def count(self) -> int:
        """How many results can be paged through: all of them, or the first ``most``."""
        return min(self.total, self.most)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("Search results are read a page (a slice) at a time.")
        start = window.start or 0
        stop = self.count() if window.stop is None else min(window.stop, self.count())
        if self.query.is_empty or stop <= start:
            return []
        rows = self._page(start, stop - start)
        return [self._hit(*row) for row in rows]

    def _page(self, offset: int, limit: int) -> list[tuple]:
        """One page of the ranked candidates, with highlighted titles and snippets.

        Only the candidates are ranked, and only the page's rows are highlighted.
        """
        order = "date DESC NULLS LAST, id"
        if self.vendor == "sqlite":
            candidates, params = self._best_matches()
            sql = (
                f"WITH candidates AS ({candidates}), "
                f"page AS (SELECT id, date, score FROM candidates "
                f"ORDER BY score, {order} LIMIT %s OFFSET %s) "
                "SELECT e.id, e.kind, e.object_id, e.url, e.date, "
                f"highlight(search_entry_fts, 0, '{MARK_START}', '{MARK_END}'), "
                f"snippet(search_entry_fts, 3, '{MARK_START}', '{MARK_END}', '…', 30), "
                f"snippet(search_entry_fts, 2, '{MARK_START}', '{MARK_END}', '…', 30), "
                "page.score FROM page "
                "CROSS JOIN search_entry_fts ON search_entry_fts.rowid = page.id "
                f"CROSS JOIN {T} e ON e.id = page.id "
                "WHERE search_entry_fts MATCH %s "
                "ORDER BY page.score, page.date DESC NULLS LAST, page.id"
            )
            args = (*params, limit, offset, fts5_match(self.query, self.kind))
        else:
            query = f"websearch_to_tsquery({PG_CONFIG}, %s)"
            candidates, params = self._matches(
                self.kind, self.most, f"{T}.id, {T}.date, {T}.search_vector"
            )
            sql = (
                f"WITH candidates AS MATERIALIZED ({candidates}), "
                "page AS (SELECT id, date, ts_rank(search_vector, "
                f"{query}, 1) AS score FROM candidates "
                f"ORDER BY score DESC, {order} LIMIT %s OFFSET %s) "
                "SELECT e.id, e.kind, e.object_id, e.url, e.date, "
                f"ts_headline({PG_CONFIG}, e.title, {query}, %s), "
                f"ts_headline({PG_CONFIG}, e.body, {query}, %s), "
                f"ts_headline({PG_CONFIG}, e.summary, {query}, %s), "
                f"-page.score FROM page JOIN {T} e ON e.id = page.id "
                "ORDER BY page.score DESC, page.date DESC NULLS LAST, page.id"
            )
            text = self.query.as_websearch()
            args = (*params, text, limit, offset,
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
