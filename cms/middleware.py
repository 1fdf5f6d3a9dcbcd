"""Request middleware of the shared kit."""

import base64
import functools
import hashlib
import re
import zoneinfo
from urllib.parse import unquote

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone

from cms.stylesheet import inline_stylesheet

EDITOR_TIME_ZONE_COOKIE = "editor_tz"


class EditorTimeZoneMiddleware:
    """Show and read times in the editor's own time zone, which their browser reports.

    Viewers are not affected: public pages show screenings on the venue's clock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = self.editor_zone(request)
        if zone is not None:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def editor_zone(self, request: HttpRequest) -> zoneinfo.ZoneInfo | None:
        """The zone the cookie names, if it is one the time zone database knows.

        The name is looked up among the known zones before ``ZoneInfo`` sees it, because
        ``ZoneInfo`` reads it as a path: "America" is a folder (IsADirectoryError) and other
        names fail in other ways. An unknown name is ignored; the site's zone applies.
        """
        name = unquote(request.COOKIES.get(EDITOR_TIME_ZONE_COOKIE, ""))  # "Europe%2FBerlin"
        user = getattr(request, "user", None)
        if name not in known_time_zones() or user is None or not user.is_staff:
            return None
        return zoneinfo.ZoneInfo(name)


@functools.cache
def known_time_zones() -> frozenset[str]:
    """Every zone name the time zone database offers, read from disk once per process."""
    return frozenset(zoneinfo.available_timezones())


class SecurityHeadersMiddleware:
    """Headers Django's own security middleware does not set.

    ``Permissions-Policy`` switches off browser features no page here uses. Uploaded files
    get a sandboxing policy of their own, so even a file a browser might run cannot.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.CMS_PERMISSIONS_POLICY)
        if request.path.startswith(f"/{settings.MEDIA_URL.lstrip('/')}"):
            response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
            response["X-Content-Type-Options"] = "nosniff"
        return response


# Text worth compressing; pictures and PDFs are compressed already.
COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|ld\+json|xml|rss\+xml|atom\+xml|javascript)|image/svg\+xml)"
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip, for text only: pages, feeds, sitemaps, calendars, never a JPEG again.

    BREACH, which reads a secret out of compressed sizes, finds none worth having here:
    public pages hold no secret; the forms' CSRF tokens are masked afresh on every response;
    and Django adds up to 100 random bytes to each gzip header, so sizes vary anyway.
    Placed inside the page cache, so a stored page is compressed once, not on every hit.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than any form or upload here needs, before reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if length > settings.CMS_MAX_REQUEST_BYTES:
            limit = settings.CMS_MAX_REQUEST_BYTES // 2**20
            return HttpResponse(
                f"The request is too large: the limit is {limit} MB.",
                status=413, content_type="text/plain; charset=utf-8",
            )  # fmt: skip
        return self.get_response(request)


class AdminContentSecurityMiddleware:
    """Let the admin's rich-text editor run under the site's strict Content-Security-Policy.

    django-prose-editor loads its modules through an inline import map. Rather than allow
    inline scripts, each admin page's import maps are allowed by their SHA-256 hash; the
    editor also sets inline styles, which the admin (only) permits.
    """

    import_map = re.compile(rb'<script type="importmap">(.*?)</script>', re.S)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/") or response.streaming:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        hashes = [
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in self.import_map.findall(response.content)
        ]
        response._csp_update = {"script-src": hashes, "style-src": ["'unsafe-inline'"]}
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, plus the inlined stylesheet's hash in every page's ``style-src``.

    Pages carry the site's stylesheet inline (``cms.stylesheet``); its hash allows that one
    ``<style>`` element and no other. Left out where a response already allows inline styles
    (the admin's editor): beside a hash, browsers ignore ``'unsafe-inline'``.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not response.get("Content-Type", "").startswith("text/html"):
            return parts
        update = dict(parts.update or {})
        styles = list(update.get("style-src") or ())
        if "'unsafe-inline'" not in styles:
            update["style-src"] = [*styles, inline_stylesheet()[1]]
            parts.update = update
        return parts
