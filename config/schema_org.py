"""The site's own structured data: the WebSite with its search box."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cms import schema_org


def website(request: HttpRequest) -> dict:
    """The site itself, with its search, for the home page (JSON-LD ``WebSite``)."""
    search = schema_org.absolute(request, reverse("search:search"))
    return {
        "@context": schema_org.CONTEXT,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
        "url": schema_org.absolute(request, reverse("home")),
        "publisher": schema_org.organization(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
        },
    }
