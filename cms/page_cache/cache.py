"""The public page cache: never stale, and never a reason for the site to fail.

Cached pages are stored with the *content version* they were built under: a random token
in the database (``ContentVersion``) that every save, deletion or (un)publishing of content
replaces *in its own transaction*. Each cache hit compares the two, so an edit shows to the
next viewer, whichever process made it, even one that could not reach the cache server:
the proof of change lives where the change lives. Each entry also expires no later than
the next *boundary*: the next moment a scheduled page goes live or expires, or a screening
starts or ends, since the page may change then without any save. Every cache operation is
guarded: with the cache server down, pages are built afresh (slower, still right) and the
cache is left alone for a short while.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import http_date

from .models import ContentVersion
from .signals import public_content_models

logger = logging.getLogger(__name__)

BOUNDARY_KEY = "next-boundary:{version}"
_down_until = 0.0


def cache():
    return caches[settings.CMS_PAGE_CACHE_ALIAS]


def guarded(operation, default=None):
    """Run a cache operation; on any cache failure log once, skip the cache for a while."""
    global _down_until
    if time.monotonic() < _down_until:
        return default
    try:
        return operation()
    except Exception as error:  # noqa: BLE001 - any cache client error means "no cache"
        _down_until = time.monotonic() + settings.CMS_CACHE_RETRY_SECONDS
        logger.warning("Page cache unavailable (%s); serving uncached pages for %ss.",
                       error, settings.CMS_CACHE_RETRY_SECONDS)  # fmt: skip
        return default


UNAVAILABLE = object()

# Page numbers: Django's pagination ("page") and its sitemaps ("p").
PAGE_NUMBER_PARAMETERS = {"page", "p"}


def query_parameters_read_by(view) -> frozenset[str]:
    """The query parameters a view reads: its ``query_parameters`` and its page number.

    A view declares them (a class attribute, or ``reads_query`` on a function), so the
    cache can drop everything else before the view runs and key the page by the rest.
    """
    view_class = getattr(view, "view_class", None)
    names = set(getattr(view_class or view, "query_parameters", ()))
    if view_class is not None and getattr(view_class, "paginate_by", None):
        names.add(view_class.page_kwarg)
    return frozenset(names)


def reads_query(view, *names: str):
    """``view``, declared to read the query parameters ``names`` (e.g. a sitemap's ``p``)."""

    def declared(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    declared.query_parameters = frozenset(names)
    return declared


def keep_only_parameters_read(request: HttpRequest, read: frozenset[str]) -> None:
    """Leave in the request only the query parameters its view reads, one value each.

    The view cannot see what the cache key leaves out, and junk parameters (``?x=1``, a
    repeated ``?city=``) make no new entry. The last value is kept, as ``QueryDict.get``
    would read it.
    """
    if not request.GET:
        return  # most requests: nothing to drop
    kept = QueryDict(mutable=True)
    for name in sorted(read):
        if name in request.GET:
            kept[name] = request.GET[name]
    if kept != request.GET:
        request.GET = kept
        request.META["QUERY_STRING"] = kept.urlencode()


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: scheme, host, path and the query parameters its view reads.

    The host and scheme are part of it because pages hold absolute addresses (canonical
    links, structured data): a page built for one allowed host is never served to another.
    """
    address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


def canonical(request: HttpRequest) -> bool:
    """Whether every page number in the query is written as the page shows it (no "007").

    Pages for other spellings are answered but not kept: there is no end to them.
    """
    return all(
        value.isdigit() and str(int(value)) == value
        for name, value in request.GET.items()
        if name in PAGE_NUMBER_PARAMETERS
    )


def cached_page(key: str):
    """The ``(version, response)`` stored under ``key``, None, or ``UNAVAILABLE``."""
    return guarded(lambda: cache().get(key), default=UNAVAILABLE)


def store_page(key: str, version: str, response: HttpResponse) -> None:
    """Keep a page built under ``version`` until the next boundary (or not, if that is now)."""
    keep = seconds_to_keep(version)
    if keep > 0:
        guarded(lambda: cache().set(key, (version, response), keep))


def next_boundary(at: datetime | None = None) -> datetime | None:
    """The next moment a page may change by itself, as the content models each say."""
    at = at or timezone.now()
    moments = (model.next_visibility_change(at) for model in public_content_models())
    return min((moment for moment in moments if moment is not None), default=None)


def seconds_to_keep(version: str) -> int:
    """How long a page built now may be kept: up to the next boundary, at most the maximum."""
    now = timezone.now()
    key = BOUNDARY_KEY.format(version=version)
    boundary = guarded(lambda: cache().get(key))
    if boundary is None or (boundary != "none" and boundary <= now):
        found = next_boundary(now)
        boundary = found or "none"
        guarded(lambda: cache().set(key, boundary, timeout=settings.CMS_PAGE_CACHE_SECONDS))
    longest = settings.CMS_PAGE_CACHE_SECONDS
    if boundary == "none":
        return longest
    return max(0, min(longest, int((boundary - now).total_seconds())))


def not_cached(view):
    """Mark a view whose pages the cache never keeps or serves (search, share links, health)."""
    view.page_cache = False
    return view


@receiver(setting_changed)
def forget_views(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        cacheable_view.cache_clear()


@lru_cache(maxsize=2048)
def cacheable_view(path: str) -> tuple[bool, frozenset[str]]:
    """Whether the view at ``path`` may be cached, and the query parameters it reads.

    Remembered per path: resolving is the largest part of a cache hit's work.
    """
    try:
        match = resolve(path)
    except Resolver404:
        return False, frozenset()  # an unknown address is a 404, not worth a lookup
    view = match.func
    view_class = getattr(view, "view_class", None)
    if "admin" in match.namespaces or not getattr(view_class or view, "page_cache", True):
        return False, frozenset()
    return True, query_parameters_read_by(view)


def storable(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in control
        and "private" not in control  # previews and shared drafts are no-store
    )


@dataclass
class Lookup:
    """One request's visit to the cache: the page found, or how to keep the page built."""

    key: str
    version: str | None
    found: HttpResponse | None = None

    def keep(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Store ``response`` if it may be shared; mark it as a miss (or "off")."""
        if self.version is None:
            response["X-Cache"] = "off"
            return response
        if request.method == "GET" and storable(response) and canonical(request):
            response.setdefault("Last-Modified", http_date())
            response.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
            store_page(self.key, self.version, response)
        response["X-Cache"] = "miss"
        return response


def look_up(request: HttpRequest) -> Lookup | None:
    """The cache's answer for an anonymous GET or HEAD; None where the cache does not apply.

    Drops the query parameters the view does not read first (``keep_only_parameters_read``).
    The content version is read before the page is built: a save committed meanwhile makes
    the page stored afterwards a miss, never a stale hit.
    """
    if not settings.CMS_PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return None
    cacheable, read = cacheable_view(request.path_info)
    if not cacheable or request.user.is_authenticated:
        return None
    keep_only_parameters_read(request, read)
    key = page_key(request)
    entry = cached_page(key)
    if entry is UNAVAILABLE:
        return Lookup(key, version=None)
    version = ContentVersion.current()
    if entry is not None and entry[0] == version:
        found = entry[1]
        found["X-Cache"] = "hit"
        return Lookup(key, version, found)
    return Lookup(key, version)
