"""RSS 2.0 and Atom feeds of interviews, all of them or those about one film."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from cms.publishing.feeds import PublishableFeedMixin
from films.models import Film

from .models import Interview


class LatestInterviewsFeed(PublishableFeedMixin, Feed):
    title = "Interviews"
    link = reverse_lazy("interviews:list")
    summary = "Filmmakers and the people in their films, in their own words."

    def items(self):
        return Interview.objects.live().for_cards().prefetch_related("tags")[: self.limit]


class LatestInterviewsAtomFeed(LatestInterviewsFeed):
    feed_type = Atom1Feed


class FilmInterviewsFeed(LatestInterviewsFeed):
    """Interviews about one live film; an unknown or unpublished film is a 404."""

    def get_object(self, request, slug: str) -> Film:
        return get_object_or_404(Film.objects.live(), slug=slug)

    def title(self, film: Film) -> str:
        return f"Interviews: {film.title}"

    def link(self, film: Film) -> str:
        return film.get_absolute_url()

    def summary_text(self, film: Film) -> str:
        return f"Interviews about {film.title}."

    def items(self, film: Film):
        return (Interview.objects.live().filter(film=film).for_cards().prefetch_related("tags"))[
            : self.limit
        ]


class FilmInterviewsAtomFeed(FilmInterviewsFeed):
    feed_type = Atom1Feed
