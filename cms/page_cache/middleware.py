"""The page cache in front of every anonymous GET of a public page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import cache
from .kept import page_started
from .keys import recording
from .models import version_seen


class PublicPageCacheMiddleware:
    """Serve anonymous viewers' GETs of public pages from the page cache (``cache.look_up``).

    Staff never get or fill the cache: they see previews and must see their own edits. The
    admin and views marked ``not_cached`` (share links, search, uploads, health) are never
    cached. A cached page is stored with the content version it was built under, so after
    any save it is a miss, and it lives no longer than the next scheduled change. Pages are
    keyed by scheme, host, path and the query parameters their view reads; any other
    parameter is dropped before the view runs, so a page cannot depend on what its key
    leaves out, and junk parameters cost nothing. With HTTP caches in front
    (``CMS_HTTP_CACHE_HEADERS``), every response they must not keep says so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        outer = version_seen.set(None)  # what was read before this request says nothing now
        started = page_started.set(timezone.now())
        try:
            lookup = cache.look_up(request)
            if lookup is None:
                return private(self.get_response(request))
            if lookup.found is not None:
                return lookup.found
            with recording() as keys:
                response = self.get_response(request)
            return private(lookup.keep(request, response, keys))
        finally:
            page_started.reset(started)
            version_seen.reset(outer)


def private(response: HttpResponse) -> HttpResponse:
    """With HTTP caches in front, a response not made for them is marked as the viewer's own."""
    if settings.CMS_HTTP_CACHE_HEADERS and not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response
