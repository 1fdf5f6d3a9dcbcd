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
from datetime import datetime
from datetime import time as dt_time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

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


def keep_only_parameters_read(request: HttpRequest) -> None:
    """Leave in the request only the query parameters its view reads, one value each.

    The view cannot see what the cache key leaves out, and junk parameters (``?x=1``, a
    repeated ``?city=``) make no new entry. The last value is kept, as ``QueryDict.get``
    would read it.
    """
    if not request.GET:
        return  # most requests: nothing to look up
    try:
        read = query_parameters_read_by(resolve(request.path_info).func)
    except Resolver404:
        read = frozenset()
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


def content_version(using: str | None = None) -> str:
    """The current content version, read from the database."""
    from .models import ContentVersion

    return ContentVersion.current(using)


def content_changed(using: str | None = None) -> None:
    """Replace the content version inside the current transaction.

    Written with the change itself, the new version commits or rolls back with it, and
    needs no cache server: a process that cannot reach Redis still makes every other
    process's cached pages misses.
    """
    from .models import ContentVersion

    ContentVersion.move_on(using)


# Saving any of these changes what public pages show. Renditions (made while a page is
# viewed), share links and the search index do not.
CONTENT_APPS = {"films", "interviews", "blog", "taggit"}
CONTENT_MODELS = {"cms.Image"}


def model_saved(sender, **kwargs) -> None:
    """Receiver of every save, deletion and many-to-many change: is it content?"""
    if kwargs.get("action", "").startswith("pre_"):
        return  # a many-to-many change is announced twice; its "post_" signal counts
    if sender._meta.app_label in CONTENT_APPS or sender._meta.label in CONTENT_MODELS:
        content_changed(kwargs.get("using"))


def next_boundary(at: datetime | None = None) -> datetime | None:
    """The next moment a page may change by itself: a go-live, an expiry, a screening."""
    from cms.models import Publishable

    at = at or timezone.now()
    moments = []
    for model in apps.get_models():
        if issubclass(model, Publishable):
            published = model.objects.filter(status=Publishable.Status.PUBLISHED)
            moments += published.aggregate(
                a=Min("publish_at", filter=Q(publish_at__gt=at)),
                b=Min("expire_at", filter=Q(expire_at__gt=at)),
            ).values()
    screening = apps.get_model("films", "Screening")
    moments += screening.objects.aggregate(
        a=Min("starts_at", filter=Q(starts_at__gt=at)), b=Min("ends_at", filter=Q(ends_at__gt=at))
    ).values()
    # A photo disappears at the start of the day its licence expires (Image.is_usable).
    today = timezone.localdate(at)
    expiry = apps.get_model("cms", "Image").objects.filter(licence_expires_on__gt=today)
    last_day = expiry.aggregate(day=Min("licence_expires_on"))["day"]
    if last_day is not None:
        moments.append(timezone.make_aware(datetime.combine(last_day, dt_time.min)))
    return min((m for m in moments if m is not None), default=None)


def seconds_to_keep(version: int) -> int:
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
