"""The site settings editors set in the admin, for templates: the footer and its links.

    {% load site_settings %}
    {% site_footer %}                  the footer's content (``includes/site_footer.html``)
    {% get_site_settings as site %}    the settings row, for a header or a page

Read once per request (two queries: the row and its social links), however many tags ask.
"""

from __future__ import annotations

from django import template
from django.conf import settings

from cms.page_cache.dependencies import shows
from cms.site_settings import SiteSettings, SocialLink

register = template.Library()

REQUEST_ATTRIBUTE = "_site_settings"


@register.simple_tag(takes_context=True)
def get_site_settings(context: template.Context) -> SiteSettings:
    """The settings row with its social links, kept on the request for its other tags.

    Each use names what it shows to the page cache, read or kept: a part of the page kept
    on its own (``{% fragment %}``) must record the row even when the header read it first.
    """
    request = context.get("request")
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    if found is None:
        found = SiteSettings.for_pages()
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, found)
    shows(SiteSettings, SocialLink, found, *found.links())
    return found


@register.inclusion_tag("includes/site_footer.html", takes_context=True)
def site_footer(context: template.Context) -> dict:
    """The footer's content: the organisation, its pages, support, social links, feeds."""
    site = get_site_settings(context)
    return {
        "site": site,
        "organisation_links": site.organisation_links(),
        "social_links": site.links(),
        "tagline": settings.SITE_TAGLINE,
    }
