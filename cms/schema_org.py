"""schema.org structured data (JSON-LD) shared by every page: the site, breadcrumbs, images.

Each content app describes its own pages in its ``schema_org.py``; these are the pieces
they share. Everything takes the request, since structured data needs absolute URLs.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

CONTEXT = "https://schema.org"
DEFAULT_IMAGE = "img/social-default.png"


def absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def image_url(request: HttpRequest, image) -> str | None:
    """The absolute URL of an image viewers may see, or None."""
    if image is None or not image.is_usable:
        return None
    return absolute(request, image.url)


def default_image_url(request: HttpRequest) -> str:
    return absolute(request, static(DEFAULT_IMAGE))


def organization(request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(request, reverse("home")),
        "logo": {"@type": "ImageObject", "url": default_image_url(request)},
    }


def breadcrumb_list(request: HttpRequest, crumbs: list[tuple[str, str]]) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name,
             "item": absolute(request, url)}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }  # fmt: skip


def without_empty(data):
    """Drop keys whose value is None, "" or [] at every level: absent beats empty."""
    if isinstance(data, dict):
        kept = {key: without_empty(value) for key, value in data.items()}
        return {key: value for key, value in kept.items() if value not in (None, "", [])}
    if isinstance(data, list):
        return [without_empty(value) for value in data]
    return data


def script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no text in ``data`` can close."""
    text = json.dumps(without_empty(data), cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above
