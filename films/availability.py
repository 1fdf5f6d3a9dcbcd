"""Where and until when a film can be watched: its availability windows.

A window is one platform's offer of the film (the national broadcast, the series' free
streaming site and app, the members' tier, another service, rental, an educational
licence) for some countries, from one moment to another or with no end.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent


class AvailabilityWindow(PublicContent):
    """One platform's offer of a film, for some countries, from ``starts_at`` to ``ends_at``."""

    class Platform(models.TextChoices):
        BROADCAST = "broadcast", _("National broadcast")
        FREE_STREAMING = "free_streaming", _("The series' free streaming site and app")
        MEMBERS = "members", _("Members' streaming")
        STREAMING = "streaming", _("Another streaming service")
        RENT_OR_BUY = "rent_or_buy", _("Rental or purchase")
        EDUCATIONAL = "educational", _("Educational licence")

    film = models.ForeignKey(
        "films.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="windows"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    service = models.CharField(
        _("service"), max_length=100, blank=True,
        help_text=_("The name viewers know it by, e.g. “PBS App” or “Kanopy”."),
    )  # fmt: skip
    url = models.URLField(_("link"), max_length=500, blank=True)
    regions = models.JSONField(
        _("countries"), default=list, blank=True,
        help_text=_("ISO country codes, e.g. US CA. Leave empty for everywhere."),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Leave empty if it has no end.")
    )
    price_note = models.CharField(
        _("price or note"), max_length=100, blank=True,
        help_text=_("For example “Free” or “With PBS Passport”."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("where to watch")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.film}: {self.get_platform_display()}"
