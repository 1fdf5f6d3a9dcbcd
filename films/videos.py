"""Trailers and clips: videos hosted by YouTube, Vimeo or PBS, shown here behind a facade."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent


class Video(PublicContent):
    """A trailer or clip of a film, played by its host's player only when a viewer asks."""

    class Kind(models.TextChoices):
        TRAILER = "trailer", _("Trailer")
        CLIP = "clip", _("Clip")

    film = models.ForeignKey(
        "films.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="videos"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TRAILER)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("video address"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    uploaded_on = models.DateField(_("published on"), null=True, blank=True)
    poster = models.ForeignKey(
        "cms.Image", verbose_name=_("poster image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    has_captions = models.BooleanField(_("has captions"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title
