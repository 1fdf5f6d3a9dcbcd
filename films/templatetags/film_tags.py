"""Screening content for pages outside the films app, and display helpers."""

from django import template
from django.utils.formats import date_format

from films.models import Screening

register = template.Library()


@register.simple_tag
def upcoming_screenings(count: int = 5) -> list[Screening]:
    return list(Screening.objects.visible().upcoming()[:count])


def wall_clock(moment) -> str:
    return date_format(moment, "g:i A" if moment.minute else "g A")


@register.filter
def screening_time(screening: Screening) -> str:
    """How viewers are told the time: the venue's clock, or "10 PM local time" for broadcasts."""
    start, end = screening.local_start, screening.local_end
    clock = wall_clock(start)
    if screening.local_broadcast_time:
        return f"{clock} local time — check local listings"
    if end is not None and end.date() == start.date():
        clock = f"{clock}–{wall_clock(end)}"
    return f"{clock} {start.tzname()}"


@register.filter
def screening_datetime(screening: Screening) -> str:
    """The ``<time datetime>`` value: with the venue's offset, or floating for local broadcasts."""
    start = screening.local_start
    if screening.local_broadcast_time:
        return start.strftime("%Y-%m-%dT%H:%M")
    return start.isoformat(timespec="minutes")


@register.simple_tag
def screenings_needing_details(count: int = 8) -> list[Screening]:
    """Upcoming screenings whose pages lack details viewers look for (for editors)."""
    return list(Screening.objects.upcoming().missing_details().select_related("film")[:count])
