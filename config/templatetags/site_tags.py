"""Template helpers of the site's own frame: the main navigation."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_current(context, section: str) -> str:
    """``aria-current="page"`` on the main navigation link of the section being viewed."""
    match = context["request"].resolver_match
    if match is None:
        return ""
    url_name = match.url_name or ""
    in_screenings = url_name.startswith("screening")
    current = {
        "films": match.namespace == "films" and not in_screenings,
        "screenings": match.namespace == "films" and in_screenings,
        "interviews": match.namespace == "interviews",
        "blog": match.namespace == "blog",
        "resources": match.namespace == "outreach" and url_name.startswith("resource"),
    }.get(section, False)
    return mark_safe(' aria-current="page"') if current else ""  # a constant, no user data
