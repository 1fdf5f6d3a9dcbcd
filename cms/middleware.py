"""Request middleware of the shared kit."""

import base64
import functools
import hashlib
import re
import zoneinfo
from urllib.parse import unquote

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


# What django-csp changes a response's policy by: set by its decorators and by
# ``AdminContentSecurityMiddleware``. A response with none of them gets the site's policy.
PER_RESPONSE_POLICY = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)  # fmt: skip
# The site's policy headers, by whether the response is a page and the stylesheet's hash:
# (policy, report-only policy).
_site_policies: dict[tuple[bool, str], tuple[str | None, str | None]] = {}


@receiver(setting_changed)
def forget_site_policies(**kwargs) -> None:
    _site_policies.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, plus the inlined stylesheet's hash in every page's ``style-src``.

    Pages carry the site's stylesheet inline (``cms.stylesheet``); its hash allows that one
    ``<style>`` element and no other. Left out where a response already allows inline styles
    (the admin's editor): beside a hash, browsers ignore ``'unsafe-inline'``.

    A response nothing changed the policy of (no nonce used, no decorator, no hashes) gets
    headers built once per process: building them was a twentieth of a page's CPU.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not self.has_site_policy(request, response):
            return super().process_response(request, response)
        # Only a page's policy names the stylesheet: other responses never read it.
        is_page = response.get("Content-Type", "").startswith("text/html")
        kind = (is_page, inline_stylesheet()[1] if is_page else "")
        headers = _site_policies.get(kind)
        if headers is None:
            response = super().process_response(request, response)
            _site_policies[kind] = (response.get(HEADER), response.get(HEADER_REPORT_ONLY))
            return response
        policy, report_only = headers
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp leaves it: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def has_site_policy(request: HttpRequest, response: HttpResponse) -> bool:
        """Whether ``response``'s policy is the site's own, unchanged for it (``DEBUG``
        reads the stylesheet afresh, so its hash may change: never kept then)."""
        return not (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE_POLICY)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
            )
        )

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
