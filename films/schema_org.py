"""schema.org descriptions of films (``Movie``, with a ``WatchAction`` for each open window to
watch it) and screenings (``ScreeningEvent``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from cms.richtext import plain_text
from cms.schema_org import CONTEXT, absolute, image_url, iso

from .availability import AvailabilityWindow, windows_shown
from .models import Credit, Film, Screening

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
