import uuid

from django.db.models import QuerySet

from cms.publishing.sitemaps import LivePublishableSitemap

from .models import Film, Screening


class FilmSitemap(LivePublishableSitemap):
    model = Film
    image_field = "poster"


class ScreeningSitemap(LivePublishableSitemap):
    """Screenings of live films; a screening's page changes little once it has passed."""

    model = Screening
    changefreq = "monthly"
    url_field = "uid"
    url_mark = uuid.UUID(int=0)
    lastmod_field = None

    def rows(self) -> QuerySet:
        return Screening.objects.visible().order_by("-starts_at", "-pk")
