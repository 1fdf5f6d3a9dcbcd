"""A community partner's request to host a screening, and the editors' decision on it.

Nothing here is public: contact details stay in this table, the host sees the request
through a private link (``private_links``), and only an approved request becomes a listed
``films.Screening``, carrying the organisation's name and the venue, never the contact.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion import register as keep_history

from cms.mail.sending import send_later
from films.models import Film, OnTheVenueClock, time_zone_choices

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

    def kept(self, at: datetime | None = None) -> HostRequestQuerySet:
        """Requests not yet past retention: those a private link may still show."""
        at = at or timezone.now()
        cutoff = at - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT)
        return self.filter(Q(ends_at__gte=cutoff) | Q(ends_at__isnull=True, starts_at__gte=cutoff))

    def refused_by_daily_limit(
        self, *, address: str = "", email: str = "", at: datetime | None = None
    ) -> bool:
        """Whether ``address`` (a digest) or ``email`` has sent its day's share of requests.

        Counted from the requests stored in the last 24 hours: exact whichever process
        served the earlier ones, and nothing to keep beside the table (no cache server).
        """
        since = self.since((at or timezone.now()) - timedelta(days=1))
        if address:
            sent = since.from_address(address).count()
            if sent >= settings.OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY:
                return True
        if email:
            sent = since.by_email(email).count()
            if sent >= settings.OUTREACH_REQUESTS_PER_EMAIL_PER_DAY:
                return True
        return False


class HostRequestManager(models.Manager.from_queryset(HostRequestQuerySet)):
    def get_by_natural_key(self, uid: str) -> HostRequest:
        return self.get(uid=uid)


@keep_history()  # every step (submitted, changed, approved, ...) is a revision with a comment
class HostRequest(OnTheVenueClock, models.Model):
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

    objects = HostRequestManager()  # fixtures name a request by its uid

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

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    def clean(self) -> None:
        super().clean()
        self.check_end_after_start()

    @property
    def when(self) -> str:
        """The date and times on the venue's clock, as the host typed them, and the zone.

        Formatted here, not by the ``date`` filter, which would show them on the site's clock.
        """
        start, end = self.local_start, self.local_end
        text = f"{start:%A, %B} {start.day}, {start:%Y, %H:%M}"
        if end is not None:
            text += f"–{end:%H:%M}"
        return f"{text} ({self.time_zone.replace('_', ' ')})"

    @property
    def is_open(self) -> bool:
        """Whether the host may still change or withdraw it: until editors decide."""
        return self.status == self.Status.NEW

    @property
    def accessibility(self) -> list[str]:
        """What the host offers, as viewers read it on the listed screening."""
        labels = [
            str(self._meta.get_field(name).verbose_name)
            for name in ("captions", "sign_language", "step_free", "assistive_listening")
            if getattr(self, name)
        ]
        return [label[:1].upper() + label[1:] for label in labels]  # "ASL ..." stays upper

    @property
    def reference(self) -> str:
        """How the outbox names messages about this request (deleted with it)."""
        return f"outreach.host-request:{self.uid}"

    def private_path(self) -> str:
        from .private_links import token_for

        return reverse("outreach:host-request", kwargs={"token": token_for(self, HOST_LINK_SALT)})

    # The host's own steps, through the form and the private link.

    class AlreadyDecided(Exception):
        """The host changed a request that editors decided on meanwhile."""

    def save_by_host(self, comment: str, *, mail: str, context: dict) -> None:
        """Save what the host sent, as a revision with ``comment``, and queue their e-mail.

        One transaction: the request, its history and the message are kept together or
        not at all. ``mail`` names a template under ``outreach/mail/``; ``context`` holds
        what the view alone knows, such as the absolute private link. A stored request is
        locked and checked first: if editors decided on it since the host's page was read,
        nothing is saved (``AlreadyDecided``) rather than the decision overwritten.
        """
        self.updated_at = timezone.now()
        with transaction.atomic(), reversion.create_revision(atomic=False):
            if self.pk is not None:
                stored = HostRequest.objects.select_for_update().filter(pk=self.pk)
                if stored.values_list("status", flat=True).first() != self.Status.NEW:
                    raise self.AlreadyDecided(self.uid)
            reversion.set_comment(comment)
            self.save()
            send_later(
                self.email, f"outreach/mail/{mail}",
                {"host_request": self, "site_name": settings.SITE_NAME, **context},
                reference=self.reference,
            )  # fmt: skip

    def withdraw(self, *, context: dict) -> None:
        """The host calls it off before editors decide: kept, marked withdrawn, mailed."""
        self.status = self.Status.WITHDRAWN
        self.save_by_host("Withdrawn by the host", mail="host_request_withdrawn", context=context)

    # Editors' decisions: approving lists the screening, declining says why (outreach/admin.py).

    def decision_refusal(self) -> str | None:
        """Why editors can no longer decide on this request, or None while it is open."""
        from django.utils.formats import date_format

        if self.status == self.Status.NEW:
            return None
        if self.status == self.Status.WITHDRAWN:
            return str(_("The host withdrew this request: it can no longer be decided."))
        decided = _("approved") if self.status == self.Status.APPROVED else _("declined")
        if self.decided_at is None:
            return str(_("This request was already %(decided)s.") % {"decided": decided})
        when = date_format(timezone.localtime(self.decided_at), "DATETIME_FORMAT")
        return str(
            _("This request was already %(decided)s on %(when)s.")
            % {"decided": decided, "when": when}
        )

    def approval_problems(self, at: datetime | None = None) -> dict[str, str]:
        """What stops approval now, by field ("__all__" for the request as a whole).

        A request must be open, name the film to list (the host may have asked for any
        film: the editor picks one), and start in the future.
        """
        from django.core.exceptions import NON_FIELD_ERRORS
        from django.utils.formats import date_format

        if refusal := self.decision_refusal():
            return {NON_FIELD_ERRORS: refusal}
        problems = {}
        if self.film_id is None:
            problems["film"] = str(
                _("The host would show any film: choose the film to list, then approve.")
            )
        if self.starts_at <= (at or timezone.now()):
            when = date_format(self.local_start, "DATETIME_FORMAT")
            problems["starts_at"] = str(
                _("It starts %(when)s, which is past: correct the date with the host, "
                  "or decline.") % {"when": when}
            )  # fmt: skip
        return problems

    def _lock_for_decision(self) -> None:
        """Re-read the status under a row lock: two editors never decide the same request."""
        current = (
            HostRequest.objects.select_for_update().only("status", "decided_at").get(pk=self.pk)
        )
        self.status, self.decided_at = current.status, current.decided_at

    @property
    def listed_accessibility(self) -> str:
        """The features offered, as the screening lists them ("Captions, ASL or other ...")."""
        return ", ".join(self.accessibility)

    def approve(self, by: models.Model, origin: str) -> models.Model:
        """List the request as a community (or virtual) screening and tell the host.

        One transaction: the screening (and its guestlist when the host takes RSVPs here),
        the decision, its revision and the host's e-mail are kept together or not at all.
        The screening carries the organisation and the venue, never a contact detail or
        the note. ``origin`` is the site's absolute root, for the links in the e-mail.
        Returns the listed ``films.Screening``; raises ValidationError (by field) when the
        request cannot be approved, having changed nothing.
        """
        from urllib.parse import urljoin

        import reversion
        from django.db import transaction

        from cms.mail.sending import send_later
        from films.models import Screening

        from .guestlists import Guestlist
        from .places import country_name

        with transaction.atomic():
            self._lock_for_decision()
            if problems := self.approval_problems():
                raise ValidationError(problems)
            online = self.format == self.Format.ONLINE
            screening = Screening.objects.create(
                film=self.film,
                kind=Screening.Kind.VIRTUAL if online else Screening.Kind.COMMUNITY,
                venue=self.venue_name,
                address=self.address,
                postcode=self.postal_code,
                city=self.city,
                region=self.region,
                country=country_name(self.country),
                time_zone=self.time_zone,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                organizer=self.organisation,
                accessibility=self.listed_accessibility,
                status=Screening.Status.SCHEDULED,
            )
            if self.takes_rsvps:
                Guestlist.objects.create(screening=screening, capacity=self.audience_size)
            self._record_decision(by, self.Status.APPROVED, screening=screening)
            with reversion.create_revision():
                self.save()
                reversion.add_to_revision(screening)
                reversion.set_user(by)
                reversion.set_comment(f"Approved by {self.editor_name(by)}: listed as {screening}")
            send_later(
                self.email, "outreach/mail/host_request_approved",
                {**self._mail_context(origin),
                 "screening": screening,
                 "screening_url": urljoin(origin, screening.get_absolute_url()),
                 "takes_rsvps": self.takes_rsvps},
                reference=self.reference,
            )  # fmt: skip
        return screening

    def decline(self, by: models.Model, reason: str, origin: str) -> None:
        """Decline with a reason, which the host is e-mailed; recorded in the history.

        Raises ValidationError without changing anything when the reason is empty or the
        request is no longer open.
        """
        import reversion
        from django.db import transaction

        from cms.mail.sending import send_later

        reason = reason.strip()
        if not reason:
            raise ValidationError(
                {"decline_reason": _("Write the reason: the host is e-mailed it.")}
            )
        with transaction.atomic():
            self._lock_for_decision()
            if refusal := self.decision_refusal():
                raise ValidationError(refusal)
            self.decline_reason = reason
            self._record_decision(by, self.Status.DECLINED)
            with reversion.create_revision():
                self.save()
                reversion.set_user(by)
                reversion.set_comment(f"Declined: {reason}")
            send_later(
                self.email, "outreach/mail/host_request_declined",
                {**self._mail_context(origin), "reason": reason},
                reference=self.reference,
            )  # fmt: skip

    @staticmethod
    def editor_name(user: models.Model) -> str:
        """How the history and messages name an editor: full name, else user name."""
        return user.get_full_name() or user.get_username()

    def _record_decision(self, by: models.Model, status: str, screening=None) -> None:
        now = timezone.now()
        self.status, self.decided_at, self.decided_by = status, now, by
        self.updated_at = now
        if screening is not None:
            self.screening = screening

    def _mail_context(self, origin: str) -> dict:
        from urllib.parse import urljoin

        return {
            "host_request": self,
            "site_name": settings.SITE_NAME,
            "private_url": urljoin(origin, self.private_path()),
            "host_url": urljoin(origin, reverse("outreach:host")),
        }

    @classmethod
    def needs_attention(cls, user: models.Model) -> list:
        """The dashboard's "2 new host requests", linked to the queue filtered to them."""
        from django.utils.translation import ngettext

        from cms.attention import Attention

        if not user.has_perm(f"{cls._meta.app_label}.view_{cls._meta.model_name}"):
            return []
        count = cls.objects.pending().count()
        url = reverse("admin:outreach_hostrequest_changelist") + "?status__exact=new"
        text = ngettext("%(count)s new host request", "%(count)s new host requests", count)
        return [Attention(text % {"count": count}, count, url)]
