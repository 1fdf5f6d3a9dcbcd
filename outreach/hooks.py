"""What outreach adds to the pages of the apps below it, declared through ``cms.related``:
films and screenings cannot import outreach, so outreach tells them what to show."""

from __future__ import annotations

from django.urls import reverse

from cms import related


def host_this_film_text(film) -> str:
    return "Host a screening of this film"


def host_this_film_url(film) -> str:
    return reverse("outreach:host-film", kwargs={"slug": film.slug})


def rsvp_text(screening) -> str:
    return "RSVP here (free)"


def rsvp_url(screening) -> str | None:
    """The RSVP page, for a screening that takes RSVPs on this site and is open."""
    guestlist = getattr(screening, "guestlist", None)
    if guestlist is None or not guestlist.is_open:
        return None
    return reverse("outreach:rsvp", kwargs={"uid": screening.uid})


def resources_about(film) -> list:
    from .resources import Resource

    return list(Resource.objects.live().filter(film=film).for_cards().order_by("kind", "title"))


def register() -> None:
    related.register_action(
        "films.Film",
        related.RelatedAction(group="screenings", text=host_this_film_text, url=host_this_film_url),
    )
    related.register_action(
        "films.Screening", related.RelatedAction(group="tickets", text=rsvp_text, url=rsvp_url)
    )
    related.register(
        "films.Film",
        related.RelatedSection(
            heading="Resources", anchor="resources", pages=resources_about, summary="summary"
        ),
    )
