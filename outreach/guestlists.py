"""RSVPs taken on this site for a listed screening, up to its capacity, then a waiting list.

A ``Guestlist`` is public (its screening's page says "RSVP here"), so it is ``PublicContent``
and a change to it refreshes cached pages. An ``Rsvp`` is personal data: never on a public
page, in a feed, a sitemap, search or a cache; deleted after the event (``purge_outreach_data``).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent
from films.models import Screening

RSVP_LINK_SALT = "outreach.rsvp"


class Guestlist(PublicContent):
    screening = models.OneToOneField(
        Screening, on_delete=models.CASCADE, related_name="guestlist", verbose_name=_("screening")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1)],
        help_text=_("Seats for people who RSVP here; more go on the waiting list."),
    )  # fmt: skip
    is_open = models.BooleanField(
        _("taking RSVPs"), default=True, help_text=_("Untick to stop taking RSVPs.")
    )

    class Meta:
        verbose_name = _("RSVPs on this site")
        verbose_name_plural = _("RSVPs on this site")

    def __str__(self) -> str:
        return str(self.screening)


class RsvpQuerySet(models.QuerySet):
    def confirmed(self) -> RsvpQuerySet:
        return self.filter(status=Rsvp.Status.CONFIRMED)

    def waiting(self) -> RsvpQuerySet:
        return self.filter(status=Rsvp.Status.WAITING).order_by("created_at", "id")

    def active(self) -> RsvpQuerySet:
        return self.exclude(status=Rsvp.Status.CANCELLED)

    def seats(self) -> int:
        return self.aggregate(seats=Sum("party_size"))["seats"] or 0

    def from_address(self, digest: str) -> RsvpQuerySet:
        return self.filter(submitted_from=digest)

    def since(self, moment: datetime) -> RsvpQuerySet:
        return self.filter(created_at__gte=moment)

    def past_retention(self, at: datetime | None = None) -> RsvpQuerySet:
        """RSVPs for events that ended more than ``OUTREACH_KEEP_DAYS_AFTER_EVENT`` days ago."""
        at = at or timezone.now()
        cutoff = at - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT)
        return self.filter(
            Q(guestlist__screening__ends_at__lt=cutoff)
            | Q(guestlist__screening__ends_at__isnull=True,
                guestlist__screening__starts_at__lt=cutoff)
        )  # fmt: skip


class Rsvp(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guestlist = models.ForeignKey(
        Guestlist, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("screening")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    party_size = models.PositiveSmallIntegerField(
        _("party size"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    submitted_from = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = RsvpQuerySet.as_manager()

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guestlist", "email"],
                condition=~Q(status="cancelled"),
                name="outreach_one_rsvp_per_email",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="outreach_party_size"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party_size})"

    @property
    def reference(self) -> str:
        return f"outreach.rsvp:{self.uid}"
