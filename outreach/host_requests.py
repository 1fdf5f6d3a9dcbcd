"""A community partner's request to host a screening, and the editors' decision on it.

Nothing here is public: contact details stay in this table, the host sees the request
through a private link (``private_links``), and only an approved request becomes a listed
``films.Screening``, carrying the organisation's name and the venue, never the contact.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion import register as keep_history

from films.models import Film, time_zone_choices

from .places import country_choices

HOST_LINK_SALT = "outreach.host-request"


class HostRequestQuerySet(models.QuerySet):
    def pending(self) -> HostRequestQuerySet:
        return self.filter(status=HostRequest.Status.NEW)

    def since(self, moment: datetime) -> HostRequestQuerySet:
        return self.filter(created_at__gte=moment)

    def from_address(self, digest: str) -> HostRequestQuerySet:
        return self.filter(submitted_from=digest)

    def by_email(self, email: str) -> HostRequestQuerySet:
        return self.filter(email__iexact=email)

    def past_retention(self, at: datetime | None = None) -> HostRequestQuerySet:
        """Requests whose event ended more than ``OUTREACH_KEEP_DAYS_AFTER_EVENT`` days ago."""
        at = at or timezone.now()
        cutoff = at - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT)
        return self.filter(Q(ends_at__lt=cutoff) | Q(ends_at__isnull=True, starts_at__lt=cutoff))


@keep_history()  # every step (submitted, changed, approved, ...) is a revision with a comment
class HostRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Format(models.TextChoices):
        IN_PERSON = "in-person", _("In person")
        ONLINE = "online", _("Online")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    film = models.ForeignKey(
        Film, on_delete=models.SET_NULL, null=True, blank=True, related_name="host_requests",
        verbose_name=_("film"), help_text=_("Empty: the host would show any of our films."),
    )  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120)
    region = models.CharField(_("region or state"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=time_zone_choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    audience_size = models.PositiveIntegerField(
        _("expected audience"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    takes_rsvps = models.BooleanField(
        _("RSVPs on this site"), default=True,
        help_text=_("Take RSVPs on the screening's page, up to the expected audience."),
    )  # fmt: skip
    captions = models.BooleanField(_("captions"), default=False)
    sign_language = models.BooleanField(_("ASL or other sign language"), default=False)
    step_free = models.BooleanField(_("step-free access"), default=False)
    assistive_listening = models.BooleanField(_("assistive listening"), default=False)
    note = models.TextField(_("note"), blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    screening = models.OneToOneField(
        "films.Screening", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="host_request", verbose_name=_("listed screening"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    submitted_from = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = HostRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("host request")
        verbose_name_plural = _("host requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email", "created_at"], name="outreach_request_email")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="outreach_request_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.city} ({self.local_start:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime | None:
        return timezone.localtime(self.ends_at, self.zone) if self.ends_at else None

    @property
    def is_open(self) -> bool:
        """Whether the host may still change or withdraw it: until editors decide."""
        return self.status == self.Status.NEW

    @property
    def accessibility(self) -> list[str]:
        """What the host offers, as viewers read it on the listed screening."""
        return [
            str(self._meta.get_field(name).verbose_name).capitalize()
            for name in ("captions", "sign_language", "step_free", "assistive_listening")
            if getattr(self, name)
        ]

    @property
    def reference(self) -> str:
        """How the outbox names messages about this request (deleted with it)."""
        return f"outreach.host-request:{self.uid}"

    def private_path(self) -> str:
        from .private_links import token_for

        return reverse("outreach:host-request", kwargs={"token": token_for(self, HOST_LINK_SALT)})
