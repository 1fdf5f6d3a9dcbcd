"""The site's search page."""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import ListView
from django.views.generic.base import ContextMixin

from cms.page_cache.kept import kept_key, kept_while_nothing_changes

from . import registry
from .backends import RESULTS_CACHE, SearchResults
from .forms import SearchForm
from .models import kind_choices


class SearchView(ListView):
    """Ranked results for the words in ``q``, a page at a time, with a count for each kind.

    Any words may be searched for, so its pages are never kept in the page cache. The
    results part is kept per query, kind and page until anything public changes, or the
    next scheduled moment comes (``kept_while_nothing_changes``): a search many viewers make
    (the film's title on broadcast night) is made once per change, and read for one query.
    """

    template_name = "search/results.html"
    results_template_name = "search/includes/results.html"
    context_object_name = "hits"
    paginate_by = 10
    page_cache = False

    def get_queryset(self) -> SearchResults:
        self.form = SearchForm(self.request.GET)
        return self.form.results()

    def paginate_queryset(self, queryset: SearchResults, page_size: int):
        """A page number that is not one shows the nearest page rather than a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        link(page.object_list)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs) -> dict:
        results = self.object_list
        return ContextMixin.get_context_data(
            self,
            form=self.form,
            text=self.form.data.get("q", "").strip(),
            query=results.query,
            kind=results.kind,
            results=kept_while_nothing_changes(
                self.results_key(), self.render_results, caches[RESULTS_CACHE]
            ),
            **kwargs,
        )

    def results_key(self) -> str:
        return results_key(self.request.GET, translation.get_language())

    def render_results(self) -> SafeString:
        """The results part: counts for the summary and each kind, past ``most`` "at least"
        ("500+"), the ranked page of hits and the page links."""
        results = self.object_list
        most = results.most
        counts = results.kind_counts()
        facets = [
            {"kind": kind, "label": label, "count": min(counts[kind][0], most),
             "more": counts[kind][1]}
            for kind, label in kind_choices()
            if kind in counts
        ]  # fmt: skip
        total = sum(results.facets.values())
        context = super().get_context_data(
            text=self.form.data.get("q", "").strip(),
            query=results.query,
            kind=results.kind,
            facets=facets,
            total=min(total, most),
            more=total > most,
            most=most,
        )
        return mark_safe(render_to_string(self.results_template_name, context, self.request))  # noqa: S308 - escaped by its template


def results_key(parameters: QueryDict, language: str) -> str:
    """Where a search's results part is kept: per language and every parameter (its page
    links carry them all along), in any order."""
    query = urlencode(sorted(parameters.lists()), doseq=True)
    return kept_key("search-results", [language, query], None)


def link(hits: list) -> None:
    """Let each kind's declaration point its results on this page where they should go."""
    by_kind = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    for kind, group in by_kind.items():
        registry.document(kind).link(group)
