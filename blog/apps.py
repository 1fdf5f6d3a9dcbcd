from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self) -> None:
        from cms import related

        from .models import Post

        related.register(
            "films.Film",
            related.RelatedSection(
                heading="News", anchor="news", pages=Post.objects.about_film, summary="dek"
            ),
        )
