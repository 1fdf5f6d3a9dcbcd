"""The site's search page."""

from __future__ import annotations

from collections import defaultdict

from django.views.generic import ListView

from . import registry
from .backends import SearchResults
from .forms import SearchForm
from .models import kind_choices


class SearchView(ListView):
    """Ranked results for the words in ``q``, a page at a time, with a count for each kind.

    Any words may be searched for, so its pages are never kept in the page cache.
    """

    template_name = "search/results.html"
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
        """Counts for the summary and each kind; past ``most`` they say "at least" ("1,000+")."""
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
        return super().get_context_data(
            form=self.form,
            text=self.form.data.get("q", "").strip(),
            query=results.query,
            kind=results.kind,
            facets=facets,
            total=min(total, most),
            more=total > most,
            most=most,
            **kwargs,
        )


def link(hits: list) -> None:
    """Let each kind's declaration point its results on this page where they should go."""
    by_kind = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    for kind, group in by_kind.items():
        registry.document(kind).link(group)
