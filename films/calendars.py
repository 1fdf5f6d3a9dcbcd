"""Screenings as iCalendar (RFC 5545) files, built with the icalendar library.

A venue screening carries its time zone (``TZID`` with a ``VTIMEZONE``); a national
broadcast "at 10 PM local time" is a floating time, 10 PM wherever the calendar is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Screening

UID_DOMAIN = "screenings.outreach-cms"  # UIDs must not change with the host name
STATUS = {
    Screening.Status.CANCELLED: "CANCELLED",
    Screening.Status.POSTPONED: "TENTATIVE",
}


def screening_event(screening: Screening, request: HttpRequest) -> Event:
    event = Event()
    event.add("uid", f"{screening.uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    start, end = screening.local_start, screening.local_end
    if screening.local_broadcast_time:
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None) if end else None
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    title = screening.film.title
    if screening.title and screening.title != title:
        title = f"{title}: {screening.title}"
    event.add("summary", title)
    location = ", ".join(p for p in (screening.venue, screening.address, screening.place) if p)
    event.add("location", location)
    event.add("url", request.build_absolute_uri(screening.get_absolute_url()))
    event.add("status", STATUS.get(screening.status, "CONFIRMED"))
    details = [screening.film.logline, screening.notes]
    if screening.local_broadcast_time:
        details.append("Airs at this time in every time zone; check local listings.")
    if screening.tickets_url:
        details.append(f"Tickets: {screening.tickets_url}")
    event.add("description", "\n\n".join(d for d in details if d))
    return event


def calendar_response(
    screenings: Iterable[Screening], name: str, request: HttpRequest, filename: str = ""
) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Screenings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for screening in screenings:
        calendar.add_component(screening_event(screening, request))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
