"""schema.org descriptions of films (``Movie``, with a ``WatchAction`` for each open window to
watch it) and screenings (``ScreeningEvent``)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from cms import related
from cms.richtext import plain_text
from cms.schema_org import CONTEXT, absolute, image_url, iso, organization

from .availability import AvailabilityWindow, windows_shown
from .models import Credit, Film, Screening, country_currency

Platform = AvailabilityWindow.Platform
# The kind of access each platform offers, in the words Google's watch actions use.
OFFER_CATEGORY = {
    Platform.BROADCAST: "free",
    Platform.FREE_STREAMING: "free",
    Platform.MEMBERS: "subscription",
    Platform.STREAMING: "externalSubscription",
    Platform.RENT_OR_BUY: "rental",
    Platform.EDUCATIONAL: "purchase",
}
WEB = ["https://schema.org/DesktopWebPlatform", "https://schema.org/MobileWebPlatform"]
APPS = ["https://schema.org/IOSPlatform", "https://schema.org/AndroidPlatform"]
# The series' own streaming is a site *and* an app; elsewhere we know only the web address.
ACTION_PLATFORMS = {Platform.FREE_STREAMING: WEB + APPS, Platform.MEMBERS: WEB + APPS}

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


def directors(film: Film) -> list[dict]:
    """The film's directors as ``Person``s, from its credits (prefetched by the caller)."""
    return [person(c) for c in film.credits.all() if c.role == Credit.Role.DIRECTOR]


def movie(film: Film, request: HttpRequest, *, summary: bool = False) -> dict:
    """A film as a ``Movie``; ``summary`` for a film mentioned by another page."""
    data = {
        "@type": "Movie",
        "name": film.title,
        "url": absolute(request, film.get_absolute_url()),
        "dateCreated": str(film.year) if film.year else None,
        "director": directors(film),
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
            "potentialAction": [watch_action(w) for w in windows_shown(film)
                                if w.open_when_seen and w.url],
        }
    )  # fmt: skip
    return data


def watch_action(window: AvailabilityWindow) -> dict:
    """An open window as a ``WatchAction``: where to watch, on what, on which terms."""
    category = OFFER_CATEGORY[window.platform]
    return {
        "@type": "WatchAction",
        "name": window.service_name,
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": window.url,
            "actionPlatform": ACTION_PLATFORMS.get(window.platform, WEB),
        },
        "expectsAcceptanceOf": {
            "@type": "Offer",
            "category": category,
            "price": 0 if category == "free" else None,
            "description": window.price_note,
            "availabilityStarts": iso(timezone.localtime(window.starts_at)),
            "availabilityEnds": iso(timezone.localtime(window.ends_at)) if window.ends_at else None,
            # No countries: everywhere, and the empty list is left out.
            "eligibleRegion": [{"@type": "Country", "name": code} for code in window.regions],
        },
    }


def location(screening: Screening, request: HttpRequest) -> dict:
    """Where to attend: the broadcast's or stream's page, or the venue's postal address with
    its country as an ISO 3166-1 alpha-2 code (a name Google cannot read is left out)."""
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
            "postalCode": screening.postcode,
            "addressCountry": screening.country_code,
        },
    }


def event_time(screening: Screening, moment: datetime | None) -> str | None:
    """A screening time as ISO 8601: on the venue's clock with its UTC offset, or, for a
    national broadcast "at 10 PM local time" (``local_broadcast_time``), as a local date-time
    with no offset (``2026-12-01T22:00:00``). That broadcast is no single instant: it airs at
    10 PM in every zone, as the page and the ``.ics`` (a floating time) say, so an offset would
    pin it to one zone's 10 PM and tell viewers elsewhere the wrong hour."""
    if moment is None:
        return None
    if screening.local_broadcast_time:
        return moment.replace(tzinfo=None).isoformat()
    return iso(moment)


def organizer(screening: Screening, request: HttpRequest) -> dict:
    """Who presents it: the host named on the screening (a library, a festival), else us."""
    if screening.organizer:
        return {"@type": "Organization", "name": screening.organizer}
    return organization(request)


def offer(screening: Screening, request: HttpRequest) -> dict | None:
    """The way in, for a screening with tickets or RSVPs: the tickets link, else the RSVP
    page on this site (an app offers it as a "tickets" action, ``cms.related``). RSVPs taken
    here are free, so that offer has a price of 0 in the country's currency; a tickets
    link's price is the seller's to say and is left out. None for a screening without either.
    """
    if screening.tickets_url:
        url, free = screening.tickets_url, False
    elif rsvp := next(iter(related.actions_about(screening).get("tickets", [])), None):
        url, free = absolute(request, rsvp["url"]), True
    else:
        return None
    sold_out = screening.status == Screening.Status.SOLD_OUT
    return {
        "@type": "Offer",
        "url": url,
        "price": 0 if free else None,
        "priceCurrency": country_currency(screening.country) if free else None,
        "availability": "https://schema.org/SoldOut" if sold_out else "https://schema.org/InStock",
    }


def screening_event(screening: Screening, request: HttpRequest) -> dict:
    """A screening as a ``ScreeningEvent``: its times (``event_time``), place, host, the
    film's directors as its performers and, when it has tickets or RSVPs, its offer.

    ``performer`` names the film's directors, as ``Person``: a screening has no one on stage,
    yet Google's event data asks for a performer (a ``Person`` or ``Organization``), and the
    people a screening presents are the film's makers, as festivals list them with the film.
    """
    online = screening.kind in ONLINE_KINDS
    film = screening.film
    ticket = offer(screening, request)
    # Free to air on public television, or free to RSVP for here.
    free_rsvp = ticket is not None and ticket["price"] == 0
    free = screening.kind == Screening.Kind.BROADCAST or free_rsvp
    return {
        "@context": CONTEXT,
        "@type": "ScreeningEvent",
        "name": screening.display_title,
        "url": absolute(request, screening.get_absolute_url()),
        "description": screening.notes or f"{film.title} at {screening.venue}",
        "startDate": event_time(screening, screening.local_start),
        "endDate": event_time(screening, screening.local_end),
        "eventStatus": EVENT_STATUS.get(screening.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": location(screening, request),
        "organizer": organizer(screening, request),
        "performer": directors(film),
        "workPresented": movie(film, request, summary=True),
        "image": image_url(request, film.image),
        "offers": ticket,
        "isAccessibleForFree": True if free else None,
    }


# Trailers and clips (issue 13), kept with the functions that describe them.
from .videos import Video  # noqa: E402


def video_object(video: Video, request: HttpRequest) -> dict:
    """A trailer or clip as a ``VideoObject``, its player the host's privacy-respecting one.

    For a video whose address can be read (``video.address``); ``video_objects`` skips others.
    """
    address = video.address
    return {
        "@context": CONTEXT,
        "@type": "VideoObject",
        "name": video.title,
        "description": video.description or f"{video.get_kind_display()}: {video.title}",
        "thumbnailUrl": image_url(request, video.poster),
        "uploadDate": iso(video.uploaded_on),
        "duration": video.iso_duration,
        "embedUrl": address.embed_url,
        "url": address.watch_url,
        "accessibilityFeature": ["captions"] if video.has_captions else None,
    }


def video_objects(videos, request: HttpRequest) -> list[dict]:
    """``VideoObject``s of the videos a page shows: ``film.videos.all()``, ``[post.video]``."""
    return [video_object(video, request) for video in videos if video and video.address]
