"""RSVPs taken on this site for a listed screening, up to its capacity, then a waiting list.

A ``Guestlist`` is public (its screening's page says "RSVP here"), so it is ``PublicContent``
and a change to it refreshes cached pages. An ``Rsvp`` is personal data: never on a public
page, in a feed, a sitemap, search or a cache; deleted after the event (``purge_outreach_data``).

Seats are counted, and places given, with the guestlist's row locked: two people pressing
"RSVP" for the last seat at once are served one after the other, never both confirmed.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar

from cms.mail.sending import send_later
from cms.page_cache.keys import record_list
from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet
from films.calendars import screening_event
from films.models import Screening

RSVP_LINK_SALT = "outreach.rsvp"
ICS_MIMETYPE = "text/calendar; method=PUBLISH"  # Django adds "; charset=utf-8" to text parts


def retention_cutoff(at: datetime | None = None) -> datetime:
    """Events that ended before this moment are past retention: their personal data goes."""
    return (at or timezone.now()) - timedelta(days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT)


def ended_before(cutoff: datetime, prefix: str = "") -> Q:
    """A screening (at ``prefix``) that ended, or without an end started, before ``cutoff``."""
    return Q(**{f"{prefix}ends_at__lt": cutoff}) | Q(
        **{f"{prefix}ends_at__isnull": True, f"{prefix}starts_at__lt": cutoff}
    )


class GuestlistQuerySet(PublicContentQuerySet):
    def with_seats_taken(self) -> GuestlistQuerySet:
        """Each list with the seats its confirmed parties hold (``seats_taken``), in the query."""
        confirmed = Q(rsvps__status=Rsvp.Status.CONFIRMED)
        return self.annotate(confirmed_seats=Sum("rsvps__party_size", filter=confirmed))


class GuestlistManager(PublicContentManager.from_queryset(GuestlistQuerySet)):
    def get_by_natural_key(self, screening_uid: str) -> Guestlist:
        return self.get(screening__uid=screening_uid)

    def with_seats_for(self, screening_id: int) -> Guestlist | None:
        """The screening's list with its seats taken, by SQL compiled once per process
        (``PreparedGuestlist``): building it costs more than the RSVP form's kept page."""
        return _prepared_guestlist.get(self.all().db, screening_id)


class Guestlist(PublicContent):
    """A screening that takes RSVPs on this site, up to ``capacity`` seats."""

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

    objects = GuestlistManager()  # fixtures name a guestlist by its screening

    class Meta:
        verbose_name = _("RSVPs on this site")
        verbose_name_plural = _("RSVPs on this site")

    def __str__(self) -> str:
        return str(self.screening)

    def natural_key(self) -> tuple[str]:
        return self.screening.natural_key()

    natural_key.dependencies = ["films.screening"]

    @property
    def seats_taken(self) -> int:
        """Seats held by confirmed parties (a party of three holds three)."""
        if hasattr(self, "confirmed_seats"):  # read with the list (``with_seats_taken``)
            return self.confirmed_seats or 0
        return self.rsvps.confirmed().seats()

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def max_party_size(self) -> int:
        """The largest party one RSVP may bring: the site's limit, or the whole room if smaller."""
        return min(settings.OUTREACH_MAX_PARTY_SIZE, self.capacity)

    def refusal(self, at: datetime | None = None) -> str:
        """Why no RSVP is taken now (closed, cancelled, started), or "" when they are."""
        at = at or timezone.now()
        screening = self.screening
        if screening.is_cancelled:
            return str(_("This screening has been cancelled."))
        if screening.starts_at <= at:
            return str(_("This screening has already started, so it takes no more RSVPs."))
        if not self.is_open:
            return str(_("This screening is no longer taking RSVPs."))
        return ""

    @property
    def takes_rsvps(self) -> bool:
        return not self.refusal()

    def add_rsvp(self, name: str, email: str, party_size: int, submitted_from: str) -> Rsvp:
        """Put a party on the list: confirmed while it fits in the places left, else waiting.

        Refused with a ``ValidationError`` (nothing stored) when the screening takes no RSVPs,
        the party is larger than ``OUTREACH_MAX_PARTY_SIZE`` or than the room, or the address
        already has an RSVP here that is not cancelled (compared without case).
        """
        with transaction.atomic():
            guestlist = (
                Guestlist.objects.select_for_update().select_related("screening").get(pk=self.pk)
            )  # later RSVPs to this list wait here until this one is counted and stored
            if reason := guestlist.refusal():
                raise ValidationError(reason, code="closed")
            if party_size < 1:
                raise ValidationError(
                    {"party_size": _("A party is at least one person.")}, code="party_size"
                )
            if party_size > guestlist.max_party_size:
                raise ValidationError(
                    {"party_size": guestlist.party_size_message()}, code="party_size"
                )
            if guestlist.rsvps.active().filter(email__iexact=email).exists():
                raise ValidationError(
                    {"email": _("You have already RSVPed; use the link in your e-mail "
                                "to see or cancel it.")},
                    code="duplicate",
                )  # fmt: skip
            fits = party_size <= guestlist.places_left
            return Rsvp.objects.create(
                guestlist=guestlist,
                name=name,
                email=email,
                party_size=party_size,
                status=Rsvp.Status.CONFIRMED if fits else Rsvp.Status.WAITING,
                submitted_from=submitted_from,
            )

    def party_size_message(self) -> str:
        largest = self.max_party_size
        if largest < settings.OUTREACH_MAX_PARTY_SIZE:
            return str(_("This screening has %(n)d places in all, so a party can be at most "
                         "%(n)d people.") % {"n": largest})  # fmt: skip
        return str(_("One RSVP can bring at most %(n)d people; larger groups, please contact "
                     "the host.") % {"n": largest})  # fmt: skip

    def move_up(self, request: HttpRequest) -> list[Rsvp]:
        """Confirm waiting parties, in order of arrival, while places are free; mail each one.

        Call it with the guestlist's row locked (``Rsvp.cancel`` does). A waiting party too
        large for the places now free keeps its place at the head of the line, and smaller
        parties behind it that fit are confirmed: seats left empty at a free screening help
        nobody, one person must not wait on a family of five that may never fit, and the
        large party is still the first considered each time more places free up (the host
        sees the whole list and can make room by hand). Nothing moves once the screening
        has started or been cancelled.
        """
        screening = self.screening
        if screening.is_cancelled or screening.starts_at <= timezone.now():
            return []
        places = self.places_left
        promoted = []
        for rsvp in self.rsvps.waiting():
            if places <= 0:
                break
            if rsvp.party_size > places:
                continue
            rsvp.status = Rsvp.Status.CONFIRMED
            rsvp.updated_at = timezone.now()
            rsvp.save(update_fields=["status", "updated_at"])
            rsvp.guestlist = self
            rsvp.send_mail("outreach/mail/rsvp_promoted", request)
            places -= rsvp.party_size
            promoted.append(rsvp)
        return promoted


class PreparedGuestlist:
    """A screening's guestlist with ``seats_taken``: compiled once per alias with a mark in
    place of the screening's id, its one value that changes between requests, then run
    with the request's own (as ``films.views.PreparedScreening`` does)."""

    SCREENING = -1_734_021_395  # no row has it, no other value of the query is, and it fits
    # any integer column (a value out of range would compile to no query at all)

    def __init__(self) -> None:
        self.prepared: dict[str, tuple[str, list, int]] = {}

    def prepare(self, alias: str) -> tuple[str, list, int]:
        rows = Guestlist.objects.with_seats_taken().filter(screening_id=self.SCREENING)
        sql, params = rows.order_by().query.get_compiler(using=alias).as_sql()
        (at,) = (i for i, value in enumerate(params) if value == self.SCREENING)
        return sql, list(params), at

    def get(self, alias: str, screening_id: int) -> Guestlist | None:
        if alias not in self.prepared:
            self.prepared[alias] = self.prepare(alias)
        sql, params, at = self.prepared[alias]
        values = [*params]
        values[at] = screening_id
        record_list(Guestlist)  # the list read, as the QuerySet would have recorded it
        rows = list(Guestlist.objects.db_manager(alias).raw(sql, values))
        return rows[0] if rows else None


_prepared_guestlist = PreparedGuestlist()


@receiver(setting_changed)
def forget_prepared_guestlist(**kwargs) -> None:
    _prepared_guestlist.prepared.clear()


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

    def limit_reached(self, digest: str, at: datetime | None = None) -> bool:
        """Whether this address sent ``OUTREACH_RSVPS_PER_ADDRESS_PER_DAY`` RSVPs in 24 hours."""
        at = at or timezone.now()
        recent = self.from_address(digest).since(at - timedelta(days=1))
        return recent.count() >= settings.OUTREACH_RSVPS_PER_ADDRESS_PER_DAY

    def past_retention(self, at: datetime | None = None) -> RsvpQuerySet:
        """RSVPs for events that ended more than ``OUTREACH_KEEP_DAYS_AFTER_EVENT`` days ago."""
        return self.filter(ended_before(retention_cutoff(at), "guestlist__screening__"))

    def within_retention(self, at: datetime | None = None) -> RsvpQuerySet:
        """RSVPs still kept: their private links work."""
        return self.exclude(ended_before(retention_cutoff(at), "guestlist__screening__"))


class RsvpManager(models.Manager.from_queryset(RsvpQuerySet)):
    def get_by_natural_key(self, uid: str) -> Rsvp:
        return self.get(uid=uid)


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

    objects = RsvpManager()  # fixtures and backups name an RSVP by its uid

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

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    natural_key.dependencies = ["outreach.guestlist"]

    @property
    def reference(self) -> str:
        return f"outreach.rsvp:{self.uid}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def can_cancel(self) -> bool:
        """Until the screening starts, an attendee may give their place back."""
        return not self.is_cancelled and self.guestlist.screening.starts_at > timezone.now()

    def private_path(self) -> str:
        """The attendee's own page (status, event, cancel): the link in every mail to them."""
        from .private_links import token_for

        return reverse("outreach:rsvp-page", kwargs={"token": token_for(self, RSVP_LINK_SALT)})

    def cancel(self, request: HttpRequest) -> list[Rsvp]:
        """Give the places back; the waiting list moves up (``Guestlist.move_up``).

        Returns the parties promoted, each already e-mailed "you have a place". Cancelling
        twice does nothing more; after the screening starts it is refused.
        """
        with transaction.atomic():
            guestlist = (
                Guestlist.objects.select_for_update().select_related("screening").get(
                    pk=self.guestlist_id
                )
            )  # fmt: skip
            self.refresh_from_db(fields=["status"])
            self.guestlist = guestlist
            if self.is_cancelled:
                return []
            if not self.can_cancel:
                raise ValidationError(_("The screening has started; there is nothing to cancel."))
            self.status = self.Status.CANCELLED
            self.updated_at = timezone.now()
            self.save(update_fields=["status", "updated_at"])
            return guestlist.move_up(request)

    def send_mail(self, template: str, request: HttpRequest) -> None:
        """Queue ``template`` to the attendee, with the event as an .ics file and their link.

        Call it in the transaction that saved the change the mail is about.
        """
        screening = self.guestlist.screening
        context = {
            "rsvp": self,
            "screening": screening,
            "site_name": settings.SITE_NAME,
            "rsvp_url": request.build_absolute_uri(self.private_path()),
            "screening_url": request.build_absolute_uri(screening.get_absolute_url()),
        }
        attachment = {
            "filename": "screening.ics",
            "content": screening_ics(screening, request),
            "mimetype": ICS_MIMETYPE,
        }
        send_later(self.email, template, context, reference=self.reference,
                   attachments=[attachment])  # fmt: skip


def screening_ics(screening: Screening, request: HttpRequest) -> str:
    """One screening as an iCalendar file to publish (add to one's calendar), as text."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Screenings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(screening_event(screening, request))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("Name", "E-mail", "Party size", "Status", "Received")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets a quote mark."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def rsvps_csv_response(guestlist: Guestlist, filename: str) -> HttpResponse:
    """The guestlist as a CSV download for the host (private link) and editors (admin).

    UTF-8 with a byte order mark so spreadsheets read accented names right; every cell
    neutralised against formulas; times on the venue's clock, as the host knows them;
    never cached anywhere (it is personal data).
    """
    zone = guestlist.screening.zone
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for rsvp in guestlist.rsvps.order_by("created_at", "id"):
        received = timezone.localtime(rsvp.created_at, zone)
        row = (rsvp.name, rsvp.email, rsvp.party_size, rsvp.get_status_display(),
               received.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
