"""Ranked, highlighted full-text search over visible entries, in each database's own way.

SQLite ranks with FTS5's ``bm25`` and cuts snippets with ``snippet``; PostgreSQL ranks a
weighted ``tsvector`` with ``ts_rank`` and cuts snippets with ``ts_headline``. Both stem
English ("filming" finds "filmed"), search "quoted phrases", and leave out the entries no
viewer may see now (``hidden_entries``) inside the same query, so counts and pages agree.

A common word matches nearly every page of a large site, so no search ranks or counts every
match. One query takes the first ``SearchResults.most + 1`` visible matches in the index's
own order (newest entries first on SQLite, the table's order on PostgreSQL) and scores each
as it is kept (``bm25``, ``ts_rank``); the counts by kind and the ranking of every page come
from those rows, and a second query highlights the one page shown. A search with fewer
matches than that (rare words, most phrases) is ranked and counted exactly; one with more
says so ("more than 500"), pages through its first matches ranked, and its counts by kind
are those of its first matches ("at least"). The kind filter is part of the full-text lookup
(FTS5's ``kind`` column; the kind index beside the GIN index), so no row is joined to learn
its kind. FTS5's ``bm25`` reads each searched word's whole doclist once per search, to weigh
it by its rarity; that is C over the index alone, not a lookup or a score of each row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cms.page_cache.kept import kept_key, kept_while_nothing_changes
from cms.searching import MARK_END, MARK_START

from . import registry
from .models import SearchEntry
from .query import ParsedQuery

T = SearchEntry._meta.db_table
# Column weights, most important first: title, keywords, summary, body; then kind (unranked).
FTS5_WEIGHTS = "10.0, 5.0, 3.0, 1.0, 0.0"
# In front of each kind in the FTS5 index: a private-use character, which search.query.clean
# drops from every search (migration 0006).
KIND_MARK = "\ue002"
PG_CONFIG = "'english'::regconfig"
PG_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, MaxFragments=0'
)
# The part of a body ``ts_headline`` reads first (``SearchResults._highlighted``): this many
# characters, from a little before the first word's first occurrence.
PG_BODY_WINDOW = 600
PG_BODY_BEFORE = 200
# What PostgreSQL's planner counts for each entry its GIN index hands over (default 0.005),
# for the candidates' query only. By default it takes the index for words in half of all
# pages: "never sorry" at 100,000 interviews built a bitmap of 50,113 rows to keep 1,001,
# 35 ms, where reading the table until 1,001 match takes 10 ms. Measured there, 0.1 keeps
# the index for words in up to about one page in ten, and no longer past that.
PG_INDEX_TUPLE_COST = 0.1
# The candidates' query's settings, for its own transaction: the GIN entry cost above, and
# every scan of the table from its first page. A scan of a table larger than a quarter of
# the shared buffers otherwise starts where the last one reached (synchronize_seqscans), so
# the same search kept different first matches each time, and each time read the pages of
# other interviews' answers afresh for its links: 9-17 ms where the same rows take 3.
PG_CANDIDATES_SETTINGS = (
    f"SELECT set_config('cpu_index_tuple_cost', '{PG_INDEX_TUPLE_COST}', true), "
    "set_config('synchronize_seqscans', 'off', true)"
)
PG_TITLE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", HighlightAll=true'
# A word's English stem ("film" for "filming"), or the word itself (a stop word).
STEM = "coalesce((ts_lexize('english_stem', %s))[1], %s)"
# Where results parts (search.views) and the hidden entries are kept: each process's memory,
# bounded (config.settings.base).
RESULTS_CACHE = "search_results"
_MARKED = re.compile(f"{MARK_START}([^{MARK_END}]*){MARK_END}")


def fts5_match(query: ParsedQuery, kind: str | None = None) -> str:
    """The FTS5 MATCH expression: the words, and the kind if given.

    The index holds each kind behind ``KIND_MARK`` (migration 0006), which no searched word
    holds, so searching for "film" finds the pages that say it, not every film, with no
    column filter (which doubled the cost of ``bm25``).
    """
    if kind:
        return f'kind : "{KIND_MARK}' + kind.replace('"', '""') + f'" AND ({query.as_fts5()})'
    return query.as_fts5()


@dataclass(frozen=True)
class Hidden:
    """The entries no viewer may find now (``ids``), as of the newest entry then (``newest``)."""

    ids: list[int]
    newest: int


def hidden_entries() -> Hidden:
    """The entries no viewer may find now, kept while nothing changes.

    A search leaves these out of its candidates. Checking each candidate against its
    kind's visibility rule instead cost about 10 µs a row (a lookup of its object on
    PostgreSQL), half of a common word's search at 100,000 pages, when on a real site
    the entries hidden are few: drafts, pages scheduled or expired, entries of a kind no
    longer declared. The list is made again after any change and at the next moment a
    page goes live or expires (``kept_while_nothing_changes``), as the results are; making
    it reads every page's visibility once (at 100,000 interviews, 0.35 s on SQLite and
    0.6 s on PostgreSQL), so the first search after an edit pays that.

    An entry written after the list was made (a new draft indexed a moment after its save
    moved the token) is in no list yet, so a search also leaves out every entry newer
    than ``newest``, until the token moves again (``search.documents.index``).
    """
    key = kept_key("search-hidden", [connection.alias], None)
    return kept_while_nothing_changes(key, _hidden_now, caches[RESULTS_CACHE])


def _hidden_now() -> Hidden:
    """The newest entry, then the hidden ones (``SearchEntryQuerySet.hidden``)."""
    newest = SearchEntry.objects.aggregate(newest=Max("id"))["newest"] or 0
    return Hidden(sorted(SearchEntry.objects.hidden().values_list("id", flat=True)), newest)


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
    counts stop one past it (``more`` then says there were more than were counted). Fifty
    pages of ten are more than anyone reads; at 100,000 pages, ranking a common word's first
    1,000 matches took PostgreSQL 6.6-11 ms and its first 500 took 3.2-5.3 ms, the most of
    any part of a search (a kind chosen is searched for by itself, so none of it is lost).
    """

    most = 500

    def __init__(self, query: ParsedQuery, kind: str | None = None) -> None:
        self.query = query
        self.kind = kind
        vendor = connection.vendor
        if vendor not in {"sqlite", "postgresql"}:
            raise ImproperlyConfigured(f"Search needs SQLite or PostgreSQL, not {vendor}.")
        self.vendor = vendor

    @cached_property
    def _hidden(self) -> tuple[str, tuple]:
        """The condition leaving hidden entries out (``hidden_entries``), and its parameters."""
        hidden = hidden_entries()
        newer, newer_params = f"AND {T}.id <= %s ", (hidden.newest,)
        if not hidden.ids:
            return newer, newer_params
        if self.vendor == "sqlite":
            listed = f"AND {T}.id NOT IN (SELECT value FROM json_each(%s)) "
            return newer + listed, (*newer_params, json.dumps(hidden.ids))
        return f"{newer}AND NOT ({T}.id = ANY(%s)) ", (*newer_params, hidden.ids)

    def _matches(self, kind: str | None, limit: int) -> tuple[str, tuple]:
        """SQL for the first ``limit`` visible matches (of ``kind``), each with its score.

        The scan stops at ``limit``: FTS5 walks its index newest first; PostgreSQL reads the
        table from its first page, or for a rarer word the rows the GIN index (ANDed with the
        kind index) points at (``PG_CANDIDATES_SETTINGS``). Each
        row is scored as it is kept (a lower score ranks first), so no other match is ever
        scored.
        """
        hidden, hidden_params = self._hidden
        if self.vendor == "sqlite":
            sql = (
                f"SELECT {T}.id, {T}.kind, julianday({T}.date), "
                f"bm25(search_entry_fts, {FTS5_WEIGHTS}) FROM search_entry_fts "
                f"CROSS JOIN {T} ON {T}.id = search_entry_fts.rowid "
                f"WHERE search_entry_fts MATCH %s {hidden}"
                f"ORDER BY search_entry_fts.rowid DESC LIMIT %s"
            )
            return sql, (fts5_match(self.query, kind), *hidden_params, limit)
        kind_sql, kind_params = (f"{T}.kind = %s AND ", (kind,)) if kind else ("", ())
        sql = (
            f"SELECT {T}.id, {T}.kind, EXTRACT(EPOCH FROM {T}.date)::float8, "
            f"-ts_rank({T}.search_vector, websearch_to_tsquery({PG_CONFIG}, %s), 1) "
            f"FROM {T} WHERE {kind_sql}{T}.search_vector @@ websearch_to_tsquery({PG_CONFIG}, %s) "
            f"{hidden}LIMIT %s"
        )
        text = self.query.as_websearch()
        return sql, (text, *kind_params, text, *hidden_params, limit)

    def _first(self, kind: str | None) -> list[tuple]:
        """The first ``most + 1`` visible matches (of ``kind``): id, kind, when, score.

        ``when`` is the entry's date as a number (None: none), as cheap to read and sort
        as the score; converting hundreds of dates to ``datetime`` costs more than the scan.

        On PostgreSQL the query runs after ``PG_CANDIDATES_SETTINGS``, whose settings last
        until their transaction ends: its own one, or inside a caller's transaction (a
        command, a test), a savepoint rolled back once the rows are read, so no later query
        of the caller's is planned with them.
        """
        sql, params = self._matches(kind, self.most + 1)
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def planned_apart() -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(PG_CANDIDATES_SETTINGS)
                cursor.execute(sql, params)
                return cursor.fetchall()

        if not connection.in_atomic_block:
            with transaction.atomic(savepoint=False):
                return planned_apart()
        savepoint = transaction.savepoint()
        try:
            return planned_apart()
        finally:
            transaction.savepoint_rollback(savepoint)  # undoes the settings, changes nothing else

    @cached_property
    def _found(self) -> list[tuple]:
        """The first ``most + 1`` visible matches of any kind, read once for counts and ranks."""
        return [] if self.query.is_empty else self._first(None)

    @cached_property
    def _counted(self) -> tuple[dict[str, int], bool]:
        """Matches of each kind among the first ``most + 1`` visible ones; whether that was all."""
        found = Counter(kind for _, kind, _, _ in self._found)
        counted = {kind: found[kind] for kind in registry.kinds() if kind in found}
        return counted, len(self._found) <= self.most

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
    def _chosen(self) -> list[tuple]:
        """The first ``most + 1`` visible matches of the chosen kind (or of all)."""
        if not self.kind:
            return self._found
        if self.facets_exact:
            return [row for row in self._found if row[1] == self.kind]
        return self._first(self.kind)

    @cached_property
    def total(self) -> int:
        """Visible matches of the chosen kind (or of all), counted up to ``most + 1``."""
        return len(self._chosen)

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
        ranked = sorted(self._chosen[: self.most], key=rank_key)[start:stop]
        scores = {pk: score for pk, _, _, score in ranked}
        rows = self._highlighted(list(scores))
        return [self._hit(*rows[pk], scores[pk]) for pk in scores if pk in rows]

    def _highlighted(self, ids: list[int]) -> dict[int, tuple]:
        """The display fields of these entries, with highlighted titles and snippets.

        Only the page's rows are highlighted; they were found visible by this same search.
        PostgreSQL's ``ts_headline`` parses all the text it is given (about a millisecond
        for each interview of a page), so it is given ``PG_BODY_WINDOW`` characters of the
        body around where the first word's stem first occurs, and the whole body only for
        the rows whose body matches but not in that window (a stem that is not how the word
        is written, a match of another word of the query: a second query).
        """
        rows = {row[0]: row for row in self._display_rows(ids, whole_body=False)}
        if self.vendor == "postgresql":
            # Rows whose body matches (the last column) but whose window's snippet does not.
            further = [pk for pk, row in rows.items() if row[-1] and MARK_START not in row[6]]
            if further:
                rows.update({row[0]: row for row in self._display_rows(further, whole_body=True)})
        return {pk: row[:-1] for pk, row in rows.items()}

    def _display_rows(self, ids: list[int], whole_body: bool) -> list[tuple]:
        """Each entry's display fields, highlights, and whether its body matches (the
        vector's weight D lexemes: PostgreSQL only)."""
        ids_sql = ", ".join(["(%s)"] * len(ids))
        if self.vendor == "sqlite":
            sql = (
                f"WITH page(id) AS (VALUES {ids_sql}) "
                "SELECT e.id, e.kind, e.object_id, e.url, e.date, "
                f"highlight(search_entry_fts, 0, '{MARK_START}', '{MARK_END}'), "
                f"snippet(search_entry_fts, 3, '{MARK_START}', '{MARK_END}', '…', 30), "
                f"snippet(search_entry_fts, 2, '{MARK_START}', '{MARK_END}', '…', 30), 0 "
                "FROM page CROSS JOIN search_entry_fts ON search_entry_fts.rowid = page.id "
                f"CROSS JOIN {T} e ON e.id = page.id WHERE search_entry_fts MATCH %s"
            )
            args = (*ids, fts5_match(self.query, self.kind))
        else:
            query = f"websearch_to_tsquery({PG_CONFIG}, %s)"
            start = f"greatest(1, strpos(lower(e.body), {STEM}) - {PG_BODY_BEFORE})"
            body = "e.body" if whole_body else f"substr(e.body, {start}, {PG_BODY_WINDOW})"
            sql = (
                "SELECT e.id, e.kind, e.object_id, e.url, e.date, "
                f"ts_headline({PG_CONFIG}, e.title, {query}, %s), "
                f"ts_headline({PG_CONFIG}, {body}, {query}, %s), "
                f"ts_headline({PG_CONFIG}, e.summary, {query}, %s), "
                f"ts_filter(e.search_vector, '{{d}}') @@ {query} "
                f"FROM {T} e WHERE e.id IN ({', '.join(['%s'] * len(ids))})"
            )
            text = self.query.as_websearch()
            first = () if whole_body else (self.query.terms()[0],) * 2
            args = (text, PG_TITLE, *first, text, PG_HEADLINE, text, PG_HEADLINE, text, *ids)
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


def rank_key(row: tuple) -> tuple:
    """Best score first (lowest: bm25 and the negated ``ts_rank`` both), then newest, then id."""
    pk, _kind, when, score = row
    return (score, when is None, -(when or 0), pk)


def search(query: ParsedQuery, kind: str | None = None) -> SearchResults:
    return SearchResults(query, kind)
