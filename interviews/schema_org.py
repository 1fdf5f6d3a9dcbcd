"""schema.org description of an interview: an ``Article`` about its film's ``Movie``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest

from cms.richtext import plain_text
from cms.schema_org import CONTEXT, absolute, image_url, iso, organization
from films.models import Credit
from films.schema_org import movie

from .models import Interview


def byline_author(byline: str, request: HttpRequest) -> dict:
    """A byline naming the organisation itself ("Independent Lens") is the organisation."""
    if not byline or byline.casefold() in settings.SITE_NAME.casefold():
        return organization(request)
    return {"@type": "Person", "name": byline}


def article(interview: Interview, request: HttpRequest) -> dict:
    """The interview as an ``Article`` about its live film, naming its interviewees.

    Reads the people and the film's directors here (one query each), the tags through the
    page's shared read (``shown_tags``), so only a page that builds it pays for them.
    """
    film = interview.live_film
    if film is not None:
        credits = Credit.objects.select_related("person")
        prefetch_related_objects([film], Prefetch("credits", queryset=credits))
    people = list(interview.interviewees.all())
    return {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": interview.title[:110],
        "description": plain_text(interview.search_description or interview.intro)[:300],
        "url": absolute(request, interview.get_absolute_url()),
        "mainEntityOfPage": absolute(request, interview.get_absolute_url()),
        "datePublished": iso(interview.publish_at),
        "dateModified": iso(interview.updated_at),
        "author": byline_author(interview.byline, request),
        "publisher": organization(request),
        "image": image_url(request, interview.image),
        "about": movie(film, request, summary=True) if film else None,
        "mentions": [{"@type": "Person", "name": person.name} for person in people],
        "keywords": ", ".join(tag.name for tag in interview.shown_tags()),
        "articleSection": "Interviews",
    }
