from cms.publishing.sitemaps import LivePublishableSitemap

from .models import Film, Screening


class FilmSitemap(LivePublishableSitemap):
    model = Film
    image_field = "poster"


class ScreeningSitemap(LivePublishableSitemap):
    """Screenings of live films; a screening's page changes little once it has passed."""

    changefreq = "monthly"

    def items(self):
        return Screening.objects.visible().order_by("-starts_at", "pk")

    def lastmod(self, item):
        return None
