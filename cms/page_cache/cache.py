"""The public page cache: never stale, never a reason for the site to fail, emptied only
where something changed.

A page is built while its *keys* are recorded (``keys``): every public object it loads and
every list it reads. It is stored with the tokens those keys had (``ContentVersion``), which
every save, deletion or (un)publishing replaces *in its own transaction*, and served only
while they are unchanged: one query per hit. So an edit shows to the next viewer of the pages
showing it, whichever process made it, even one that could not reach the cache server, and
every other page stays cached. Each entry also expires no later than its own next
*boundary*: the next moment a row of a model it shows goes live or expires, or a screening
starts or ends, since the page may change then without any save. Every cache operation is
guarded: with the cache server down, pages are built afresh (slower, still right) and the
cache is left alone for a short while. The same keys and lifetimes go to HTTP caches in
front (``Cache-Control: s-maxage``, ``xkey``/``Surrogate-Key``) when the site has them.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import http_date

from ..stylesheet import inline_stylesheet
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
    So is the inlined stylesheet's hash: the Content-Security-Policy names the hash of the
    stylesheet the serving process has, and a page stored before a deploy changed it would
    be drawn unstyled.
    """
    address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    described = f"{address}\n{inline_stylesheet()[1]}"
    return f"page:{hashlib.sha256(described.encode()).hexdigest()}"


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
    """The ``Entry`` stored under ``key``, None, or ``UNAVAILABLE``."""
    return guarded(lambda: cache().get(key), default=UNAVAILABLE)


@dataclass
class Entry:
    """A stored page: the tokens of the keys it showed, when it must go, and the response."""

    tokens: dict[str, str]
    expires_at: float
    response: HttpResponse


def next_boundary(at: datetime | None = None) -> datetime | None:
    """The next moment any page may change by itself, as the content models each say."""
    moments = model_boundaries(at or timezone.now()).values()
    return min((moment for moment in moments if moment is not None), default=None)


def model_boundaries(at: datetime) -> dict[str, datetime | None]:
    """Each public model's next moment its rows change what viewers see, by model label."""
    return {
        model._meta.label_lower: model.next_visibility_change(at)
        for model in public_content_models()
    }


def boundaries(version: str, at: datetime | None = None) -> dict[str, datetime | None]:
    """``model_boundaries(at)``, kept in the cache for as long as content version ``version``.

    What is kept was read at some moment; it answers for ``at`` only if read no later than
    ``at`` and none of its boundaries has come by ``at``. Otherwise it is read afresh.
    """
    at = at or timezone.now()
    key = BOUNDARY_KEY.format(version=version)
    found = guarded(lambda: cache().get(key))
    if isinstance(found, tuple):
        read_at, moments = found
        if read_at <= at and all(moment is None or moment > at for moment in moments.values()):
            return moments
    moments = model_boundaries(at)
    guarded(lambda: cache().set(key, (at, moments), timeout=settings.CMS_PAGE_CACHE_SECONDS))
    return moments


def seconds_to_keep(
    version: str, keys: Iterable[str] | None = None, built_from: datetime | None = None
) -> int:
    """How long a page built now may be kept: up to its next boundary, at most the maximum.

    A page's boundary is the earliest of the models its ``keys`` name (all, when None).
    A page whose build began at ``built_from`` shows what was live then: it goes at the
    first boundary after that, even one that came while it was built (it is not kept).
    """
    found = boundaries(version, built_from)
    if keys is not None:
        labels = {key.partition(":")[0] for key in keys}
        found = {label: moment for label, moment in found.items() if label in labels}
    moment = min((moment for moment in found.values() if moment is not None), default=None)
    longest = settings.CMS_PAGE_CACHE_SECONDS
    if moment is None:
        return longest
    return max(0, min(longest, int((moment - timezone.now()).total_seconds())))


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


def shared_cache_headers(response: HttpResponse, keys: Iterable[str], seconds: int) -> None:
    """Let HTTP caches in front keep the page up to its boundary, named by its keys.

    Browsers revalidate (``max-age=0``); shared caches keep it ``seconds``, and are purged by
    the keys (``xkey`` for Varnish, ``Surrogate-Key`` for Fastly, ``Cache-Tag`` for Cloudflare)
    when what they name changes (``http_purge``).
    """
    if not settings.CMS_HTTP_CACHE_HEADERS:
        return
    response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}, must-revalidate"
    names = " ".join(sorted(keys))
    response["xkey"] = names
    response["Surrogate-Key"] = names
    response["Cache-Tag"] = names.replace(" ", ",")


@dataclass
class Lookup:
    """One request's visit to the cache: the page found, or how to keep the page built.

    ``version`` is the token of ``*`` read before the page is built: if it has moved by the
    time the page's own tokens are read, a change committed meanwhile may be missing from
    the page, which is then served but not kept. ``started``: when the build began, the
    moment the page shows (``seconds_to_keep``).
    """

    key: str
    version: str | None
    found: HttpResponse | None = None
    store: bool = True
    started: datetime = field(default_factory=timezone.now)

    def keep(self, request: HttpRequest, response: HttpResponse, keys: set[str]) -> HttpResponse:
        """Store ``response`` if it may be shared; mark it as a miss (or "off")."""
        if self.version is None:
            response["X-Cache"] = "off"
            return response
        if request.method == "GET" and storable(response) and canonical(request):
            response.setdefault("Last-Modified", http_date())
            response.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
            tokens = ContentVersion.tokens({*keys, ContentVersion.EVERYTHING})
            if tokens.pop(ContentVersion.EVERYTHING) == self.version:
                seconds = seconds_to_keep(self.version, keys, self.started)
                shared_cache_headers(response, keys, seconds)
                if self.store and seconds > 0:
                    entry = Entry(tokens, time.time() + seconds, response)
                    guarded(lambda: cache().set(self.key, entry, seconds))
        if self.store:
            response["X-Cache"] = "miss"
        return response


def serve_entry(entry: Entry) -> HttpResponse:
    """A stored page, its shared-cache lifetime cut to what is left of it."""
    found = entry.response
    found["X-Cache"] = "hit"
    if settings.CMS_HTTP_CACHE_HEADERS:
        left = max(0, int(entry.expires_at - time.time()))
        found["Cache-Control"] = f"public, max-age=0, s-maxage={left}, must-revalidate"
    return found


def shareable_key(request: HttpRequest) -> str | None:
    """The page key of a request any viewer would be shown the same page for, else None.

    An anonymous GET or HEAD of a view that may be cached; the query parameters the view
    does not read are dropped first (``keep_only_parameters_read``).
    """
    if request.method not in ("GET", "HEAD"):
        return None
    cacheable, read = cacheable_view(request.path_info)
    if not cacheable or request.user.is_authenticated:
        return None
    keep_only_parameters_read(request, read)
    return page_key(request)


def stored_key(page: str, request: HttpRequest) -> str:
    """Where the page is stored for this viewer: compressed pages apart from plain ones.

    Pages are stored as sent (``cms.middleware.TextGZipMiddleware`` runs inside the page
    cache), so a hit is never compressed again.
    """
    accepts_gzip = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
    return f"{page}|gzip" if accepts_gzip else page


def look_up(request: HttpRequest) -> Lookup | None:
    """The cache's answer for an anonymous GET or HEAD; None where the cache does not apply.

    Leaves the page's key on the request (``request.page_key``, None for a page not to be
    shared) for the parts of pages kept on their own (``{% page_part %}``). A stored page is
    checked with one query: the tokens of its keys, and of ``*`` in case it must be built
    afresh.
    """
    page = request.page_key = shareable_key(request)
    shared = settings.CMS_HTTP_CACHE_HEADERS
    if page is None or not (settings.CMS_PAGE_CACHE_ENABLED or shared):
        return None
    key = stored_key(page, request)
    if not settings.CMS_PAGE_CACHE_ENABLED:
        return Lookup(key, version=ContentVersion.current(), store=False)
    entry = cached_page(key)
    if entry is UNAVAILABLE:
        if shared:
            return Lookup(key, version=ContentVersion.current(), store=False)
        return Lookup(key, version=None)
    if not isinstance(entry, Entry):
        return Lookup(key, version=ContentVersion.current())
    tokens = ContentVersion.tokens({*entry.tokens, ContentVersion.EVERYTHING})
    version = tokens.pop(ContentVersion.EVERYTHING)
    if tokens == entry.tokens:
        return Lookup(key, version, serve_entry(entry))
    return Lookup(key, version)
