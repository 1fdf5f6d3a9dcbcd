"""Screening and "Where to watch" content for pages outside the films app, and display helpers."""

from datetime import datetime

from django import template
from django.db.models import Case, F, Prefetch, Q, When, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.schema_org import script
from films import schema_org
from films.availability import AvailabilityWindow, windows_shown
from films.models import Credit, Film, Screening

register = template.Library()


@register.simple_tag(takes_context=True)
def film_structured_data(context: template.Context, film: Film) -> SafeString:
    """The film page's ``Movie`` and its videos' ``VideoObject``s as JSON-LD script elements.

    Made by the template, inside the head's kept part, rather than by the view: a page whose
    head is kept loads none of the credits, tags, windows and videos they name.
    """
    request = context["request"]
    data = [schema_org.movie(film, request), *schema_org.video_objects(film.videos.all(), request)]
    return mark_safe("\n  ".join(script(item) for item in data))  # each escaped by script()


@register.simple_tag(takes_context=True)
def screening_structured_data(context: template.Context, screening: Screening) -> SafeString:
    """The screening page's ``ScreeningEvent`` as a JSON-LD script element, made inside the
    head's kept part: a page whose head is kept loads none of the film's credits."""
    credits = Credit.objects.select_related("person")
    prefetch_related_objects([screening.film], Prefetch("credits", queryset=credits))
    return script(schema_org.screening_event(screening, context["request"]))


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
    # The database finds those lacking a field; a page may still offer a way in the fields
    # do not show (RSVPs here), which only the screening itself can say.
    candidates = Screening.objects.upcoming().missing_details().select_related("film")
    return [screening for screening in candidates[: count * 3] if screening.missing_details][:count]


# What viewers can do on each platform while a window is open ("Stream free on PBS App").
OPEN_WORDING = {
    AvailabilityWindow.Platform.BROADCAST: "On {service}",
    AvailabilityWindow.Platform.FREE_STREAMING: "Stream free on {service}",
    AvailabilityWindow.Platform.MEMBERS: "Members stream on {service}",
    AvailabilityWindow.Platform.STREAMING: "Stream on {service}",
    AvailabilityWindow.Platform.RENT_OR_BUY: "Rent or buy on {service}",
    AvailabilityWindow.Platform.EDUCATIONAL: "For classrooms through {service}",
}


def day_month(moment: datetime, at: datetime, *, on_its_clock: bool = False) -> str:
    """The day as "26 March" in the site's zone, or with its weekday on the clock ``moment`` is
    given in (a screening's ``local_start``); with the year when it is not ``at``'s year."""
    local = moment if on_its_clock else timezone.localtime(moment)
    now = timezone.localtime(at)
    weekday = on_its_clock
    pattern = ("l " if weekday else "") + ("j F" if local.year == now.year else "j F Y")
    return date_format(local, pattern)


@register.simple_tag
def where_to_watch(film) -> list[AvailabilityWindow]:
    """The windows of ``film`` open now or still to open (one query per film, shared)."""
    return windows_shown(film) if film is not None else []


@register.filter
def window_wording(window: AvailabilityWindow) -> str:
    """What the box says of a window, judged at the moment the page read it (``seen_at``).

    Still to open: "Coming to PBS App on 1 March", or for a broadcast, its premiere with the
    broadcast's own time wording. In its last week: "Last chance: leaves PBS App in 3 days".
    Open: "Stream free on PBS App until 26 March" (no "until" without an end).
    """
    at = getattr(window, "seen_at", None) or timezone.now()
    service = window.service_name
    airing = window.next_airing if window.platform == window.Platform.BROADCAST else None
    if window.starts_at > at:
        if airing is not None:
            when = day_month(airing.local_start, at, on_its_clock=True)
            return _("Premieres on %(service)s %(when)s, %(time)s") % {
                "service": service,
                "when": when,
                "time": screening_time(airing),
            }
        verb = _("Premieres on") if window.platform == window.Platform.BROADCAST else _("Coming to")
        return f"{verb} {service} " + _("on %(day)s") % {"day": day_month(window.starts_at, at)}
    days = window.days_left(at)
    if days is not None:
        left = ngettext("within a day", "in %(days)d days", days) % {"days": days}
        return _("Last chance: leaves %(service)s %(left)s") % {"service": service, "left": left}
    wording = OPEN_WORDING[window.platform].format(service=service)
    if window.ends_at is not None:
        wording += " " + _("until %(day)s") % {"day": day_month(window.ends_at, at)}
    if airing is not None:
        wording += "; " + _("next on air %(when)s, %(time)s") % {
            "when": day_month(airing.local_start, at, on_its_clock=True),
            "time": screening_time(airing),
        }
    return wording


@register.simple_tag
def windows_changing_soon(count: int = 12) -> list[AvailabilityWindow]:
    """Windows opening or closing in the next 14 days, soonest change first (for editors)."""
    now = timezone.now()
    opens_soon = Q(starts_at__gt=now)
    windows = (
        AvailabilityWindow.objects.changing_soon(now, days=14)
        .annotate(
            opens_soon=Case(When(opens_soon, then=True), default=False),
            changes_at=Case(When(opens_soon, then=F("starts_at")), default=F("ends_at")),
        )
        .select_related("film")
        .order_by("changes_at", "id")
    )
    return list(windows[:count])
