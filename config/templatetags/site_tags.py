"""Template helpers of the site's own frame: the main navigation."""

from django import template
from django.http import HttpRequest
from django.utils.safestring import mark_safe

register = template.Library()


def section_of(request: HttpRequest | None) -> str:
    """The main navigation's section a request is in, "" for none (home, search, a 404)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    url_name = match.url_name or ""
    if match.namespace == "films":
        return "screenings" if url_name.startswith("screening") else "films"
    if match.namespace == "outreach":
        return "resources" if url_name.startswith("resource") else ""
    return match.namespace if match.namespace in ("interviews", "blog") else ""


@register.simple_tag(takes_context=True)
def nav_section(context: template.Context) -> str:
    """The section being viewed (``section_of``): the one value the site's header varies by."""
    return section_of(context.get("request"))


@register.simple_tag
def nav_current(current: str, section: str) -> str:
    """``aria-current="page"`` on the main navigation link of the section being viewed."""
    return mark_safe(' aria-current="page"') if current and current == section else ""
