from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        from django.urls import reverse

        from cms import related

        from .models import Interview

        related.register(
            "films.Film",
            related.RelatedSection(
                heading="Interviews",
                anchor="interviews",
                pages=Interview.objects.about_film,
                summary="search_description",
                feed=lambda film: reverse("interviews:film-feed-atom", args=[film.slug]),
                rss_feed=lambda film: reverse("interviews:film-feed", args=[film.slug]),
            ),
        )
