"""schema.org descriptions of films (``Movie``) and screenings (``ScreeningEvent``)."""

from __future__ import annotations

from django.http import HttpRequest

from cms.richtext import plain_text
from cms.schema_org import CONTEXT, absolute, image_url, iso

from .models import Credit, Film, Screening

ROLE_PROPERTIES = {
    Credit.Role.DIRECTOR: "director",
    Credit.Role.PRODUCER: "producer",
}
ONLINE_KINDS = {Screening.Kind.BROADCAST, Screening.Kind.STREAMING, Screening.Kind.VIRTUAL}
EVENT_STATUS = {
    Screening.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Screening.Status.CANCELLED: "https://schema.org/EventCancelled",
    Screening.Status.POSTPONED: "https://schema.org/EventPostponed",
}


def iso_duration(minutes: int | None) -> str | None:
    """ISO 8601 duration: 91 minutes is ``PT1H31M``."""
    if not minutes:
        return None
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def person(credit: Credit) -> dict:
    return {"@type": "Person", "name": credit.person.name}


def movie(film: Film, request: HttpRequest, *, summary: bool = False) -> dict:
    """A film as a ``Movie``; ``summary`` for a film mentioned by another page."""
    data = {
        "@type": "Movie",
        "name": film.title,
        "url": absolute(request, film.get_absolute_url()),
        "dateCreated": str(film.year) if film.year else None,
        "director": [person(c) for c in film.credits.all() if c.role == Credit.Role.DIRECTOR],
    }
    if summary:
        return data
    data.update(
        {
            "@context": CONTEXT,
            "description": plain_text(film.logline or film.synopsis)[:300],
            "duration": iso_duration(film.runtime_minutes),
            "image": image_url(request, film.image),
            "producer": [p for c in film.credits.all()
                         if c.role == Credit.Role.PRODUCER for p in [person(c)]],
            "keywords": ", ".join(tag.name for tag in film.tags.all()),
            "sameAs": film.official_site,
            "trailer": {"@type": "VideoObject", "name": f"{film.title}: trailer",
                        "embedUrl": film.trailer_url} if film.trailer_url else None,
        }
    )  # fmt: skip
    return data


def location(screening: Screening, request: HttpRequest) -> dict:
    if screening.kind in ONLINE_KINDS:
        return {
            "@type": "VirtualLocation",
            "name": screening.venue,
            "url": screening.tickets_url or absolute(request, screening.get_absolute_url()),
        }
    return {
        "@type": "Place",
        "name": screening.venue,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": screening.address,
            "addressLocality": screening.city,
            "addressRegion": screening.region,
            "addressCountry": screening.country,
        },
    }


def screening_event(screening: Screening, request: HttpRequest) -> dict:
    """A screening as a ``ScreeningEvent``, its times with the venue's UTC offset."""
    online = screening.kind in ONLINE_KINDS
    film = screening.film
    return {
        "@context": CONTEXT,
        "@type": "ScreeningEvent",
        "name": screening.display_title,
        "url": absolute(request, screening.get_absolute_url()),
        "description": screening.notes or f"{film.title} at {screening.venue}",
        "startDate": iso(screening.local_start),
        "endDate": iso(screening.local_end),
        "eventStatus": EVENT_STATUS.get(screening.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": location(screening, request),
        "workPresented": movie(film, request, summary=True),
        "image": image_url(request, film.image),
        "offers": {
            "@type": "Offer",
            "url": screening.tickets_url,
            "availability": "https://schema.org/SoldOut"
            if screening.status == Screening.Status.SOLD_OUT
            else None,
        }
        if screening.tickets_url
        else None,
    }
