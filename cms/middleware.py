"""Request middleware of the shared kit."""

import zoneinfo
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
        name = unquote(request.COOKIES.get(EDITOR_TIME_ZONE_COOKIE, ""))  # "Europe%2FBerlin"
        user = getattr(request, "user", None)
        if not name or user is None or not user.is_staff:
            return None
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
