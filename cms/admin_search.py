"""Admin search through the site's search index: words in answers, captions and bodies.

Django's admin searches the columns an admin names in ``search_fields``; the words of an
interview's answers, its figures' captions or a post's body live in other rows or in rich
text, where a ``LIKE`` is slow or misses them. The site's search index already holds every
page's text, drafts included. The kit cannot import it (the search app sits above every
content app), so it is declared here and filled from above: the search app registers a
lookup with ``register_admin_search`` when it is ready, and every admin using
``IndexedSearchAdminMixin`` then also lists the rows whose indexed text matches.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.http import HttpRequest

# Given a model and the words typed in the admin's search box, a lookup answers with a
# query of matching primary keys (used as a subquery, never read into Python), or None
# when it has nothing to say: the model is not indexed, or the words hold nothing to find.
AdminSearch = Callable[[type[models.Model], str], models.QuerySet | None]

_lookups: list[AdminSearch] = []


def register_admin_search(lookup: AdminSearch) -> AdminSearch:
    """Add ``lookup`` to the admin's search; registering the same function twice adds it once.

    Usable as a decorator. Called from an upper layer's ``AppConfig.ready()``.
    """
    if lookup not in _lookups:
        _lookups.append(lookup)
    return lookup


def unregister_admin_search(lookup: AdminSearch) -> None:
    """Take ``lookup`` out of the admin's search (tests, or an app switched off)."""
    if lookup in _lookups:
        _lookups.remove(lookup)


def indexed_matches(model: type[models.Model], search_term: str) -> list[models.QuerySet]:
    """The registered lookups' subqueries of primary keys matching ``search_term``."""
    found = (lookup(model, search_term) for lookup in _lookups)
    return [matches for matches in found if matches is not None]


class IndexedSearchAdminMixin:
    """Admin search that also finds rows by the words the search index holds for them.

    Django's own field search keeps working; a row is listed once whether one way, the
    other or both found it. Both ways are subqueries of one ``pk IN (...) OR pk IN (...)``
    condition, so the list costs the same number of queries as before and needs no
    ``DISTINCT``.
    """

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet, search_term: str
    ) -> tuple[models.QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexed = indexed_matches(queryset.model, search_term) if search_term.strip() else []
        if not indexed:
            return found, may_have_duplicates
        conditions = [Q(pk__in=matches) for matches in indexed]
        if self.get_search_fields(request):  # else ``found`` is the unsearched queryset
            conditions.append(Q(pk__in=found.values("pk")))
        return queryset.filter(functools.reduce(operator.or_, conditions)), False
