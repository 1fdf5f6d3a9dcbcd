"""Where and until when a film can be watched: its availability windows.

A window is one platform's offer of the film (the national broadcast, the series' free
streaming site and app, the members' tier, another service, rental, an educational
licence) for some countries, from one moment to another or with no end. Whether a window
is open is a query, like ``live()``: a window opens at ``starts_at`` (to the second) and
has closed at ``ends_at``. The "Where to watch" box, the ``/watch/`` page and its feed, and
the film's ``WatchAction`` structured data all read the windows through these QuerySets.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, DateTimeField, Min, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cms.page_cache.dependencies import shows
from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet
from cms.publishing.models import CalendarEvent

DAY = timedelta(days=1)
LAST_CHANCE = 7 * DAY  # "Last chance: leaves in 3 days" in a window's last week
ARRIVING_SOON = 30 * DAY  # the /watch/ page's "arriving" and "leaving" lists
LEAVING_SOON = 14 * DAY
CHANGING_SOON = 14 * DAY  # the dashboard's "opening or closing" panel
NO_END = datetime(9999, 12, 31, tzinfo=UTC)


@functools.cache
def countries() -> dict[str, str]:
    """ISO 3166 country codes and their names, from the time zone database's ``iso3166.tab``.

    The same database ``zoneinfo`` reads for screenings' time zones: the system's copy, or
    the ``tzdata`` package where the system has none. Kept up to date with time zones, and
    offline: no list of our own and no other package.
    """
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "iso3166.tab"
        if table.is_file():
            text = table.read_text(encoding="utf-8")
            break
    else:
        text = (
            importlib.resources.files("tzdata.zoneinfo")
            .joinpath("iso3166.tab")
            .read_text(encoding="utf-8")
        )
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0].strip(): row[1].strip() for row in rows if len(row) >= 2}


def parse_regions(value) -> list[str]:
    """Country codes typed or stored ("us, ca" or ["US"]) as a sorted upper-case list.

    Raises ``ValidationError`` naming every code that is not an ISO 3166 country.
    """
    if isinstance(value, str):
        codes = value.replace(",", " ").split()
    elif isinstance(value, list | tuple) and all(isinstance(code, str) for code in value):
        codes = list(value)
    else:
        raise ValidationError(_("Give country codes as a list, e.g. US CA."), code="invalid")
    codes = sorted({code.strip().upper() for code in codes if code.strip()})
    unknown = [code for code in codes if code not in countries()]
    if unknown:
        raise ValidationError(
            _("Unknown country code: %(codes)s. Use two-letter ISO codes such as US, CA, GB."),
            code="unknown_country",
            params={"codes": ", ".join(unknown)},
        )
    return codes


def regions_overlap(first: list[str], second: list[str]) -> bool:
    """Whether two windows' countries meet: no countries means everywhere."""
    return not first or not second or bool(set(first) & set(second))


def screening_model():
    """``films.models.Screening``, reached through the film relation: ``films.models`` imports
    this module, so importing it back would make a cycle."""
    film = AvailabilityWindow._meta.get_field("film").related_model
    return film._meta.get_field("screenings").related_model


class AvailabilityWindowQuerySet(PublicContentQuerySet):
    """Windows by where they stand at a moment; every public list reads them through here."""

    def open_now(self, at: datetime | None = None) -> AvailabilityWindowQuerySet:
        """Open at ``at``: started (at that very second or before) and not yet ended."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))

    def not_closed(self, at: datetime | None = None) -> AvailabilityWindowQuerySet:
        """Open now or still to open: what the "Where to watch" box lists."""
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))

    def opening_soon(
        self, at: datetime | None = None, days: int = ARRIVING_SOON.days
    ) -> AvailabilityWindowQuerySet:
        """Not open yet, opening within ``days`` of ``at``."""
        at = at or timezone.now()
        return self.filter(starts_at__gt=at, starts_at__lte=at + timedelta(days=days))

    def closing_soon(
        self, at: datetime | None = None, days: int = LEAVING_SOON.days
    ) -> AvailabilityWindowQuerySet:
        """Open now, ending within ``days`` of ``at``."""
        at = at or timezone.now()
        return self.open_now(at).filter(ends_at__lte=at + timedelta(days=days))

    def newly_opened(self, at: datetime | None = None) -> AvailabilityWindowQuerySet:
        """Windows open at ``at``, the most recently opened first: the /watch/ feed."""
        return self.open_now(at).order_by("-starts_at", "-id")

    def by_platform(self) -> AvailabilityWindowQuerySet:
        """Ordered by platform as ``Platform`` lists them, then by film, for grouping."""
        order = Case(
            *(When(platform=value, then=n) for n, value in enumerate(self.model.Platform.values)),
            default=len(self.model.Platform.values),
        )
        return self.order_by(order, "film__title", "starts_at", "id")

    def changing_soon(
        self, at: datetime | None = None, days: int = CHANGING_SOON.days
    ) -> AvailabilityWindowQuerySet:
        """Opening or closing within ``days`` of ``at``: the editors' dashboard."""
        at = at or timezone.now()
        until = at + timedelta(days=days)
        opening = Q(starts_at__gt=at, starts_at__lte=until)
        closing = Q(ends_at__gt=at, ends_at__lte=until)
        return self.filter(opening | closing)

    def for_region(self, code: str) -> AvailabilityWindowQuerySet:
        """Windows a viewer in country ``code`` may use: those for it or for everywhere.

        The codes are stored validated (two capital letters), so looking for ``"US"`` in the
        stored JSON text is exact, and works alike on every database.
        """
        code = code.strip().upper()
        if code not in countries():
            return self.none()
        stored = Cast("regions", TextField())
        return self.alias(regions_text=stored).filter(
            Q(regions_text="[]") | Q(regions_text__contains=f'"{code}"')
        )

    def of_live_films(self) -> AvailabilityWindowQuerySet:
        """Windows of films viewers may see, with the film."""
        films = self.model._meta.get_field("film").related_model.objects.live()
        return self.filter(film__in=films).select_related("film")

    def with_next_broadcast(self, at: datetime | None = None) -> AvailabilityWindowQuerySet:
        """Annotate each window with the film's next broadcast airing in it, in the same query.

        The first broadcast screening, not cancelled, starting in the window and not before
        ``at``: for a broadcast window not open yet, its premiere. Read by ``next_airing``.
        """
        Screening = screening_model()
        at = at or timezone.now()
        window_end = Coalesce(OuterRef("ends_at"), Value(NO_END, output_field=DateTimeField()))
        airings = (
            Screening.objects.filter(film=OuterRef("film"), kind=Screening.Kind.BROADCAST)
            .exclude(status=Screening.Status.CANCELLED)
            .filter(starts_at__gte=OuterRef("starts_at"), starts_at__lt=window_end)
            .filter(starts_at__gte=at)
            .order_by("starts_at", "id")
        )
        return self.annotate(
            airing_starts_at=Subquery(airings.values("starts_at")[:1]),
            airing_time_zone=Subquery(airings.values("time_zone")[:1]),
            airing_local_time=Subquery(airings.values("local_broadcast_time")[:1]),
        )


class AvailabilityWindowManager(PublicContentManager.from_queryset(AvailabilityWindowQuerySet)):
    def get_by_natural_key(self, uid: str) -> AvailabilityWindow:
        return self.get(uid=uid)


class AvailabilityWindow(PublicContent):
    """One platform's offer of a film, for some countries, from ``starts_at`` to ``ends_at``.

    Belongs to a ``Film`` (``film.windows``); a broadcast window's premiere is the film's
    broadcast ``Screening`` in it (``with_next_broadcast``).
    """

    class Platform(models.TextChoices):
        BROADCAST = "broadcast", _("National broadcast")
        FREE_STREAMING = "free_streaming", _("The series' free streaming site and app")
        MEMBERS = "members", _("Members' streaming")
        STREAMING = "streaming", _("Another streaming service")
        RENT_OR_BUY = "rent_or_buy", _("Rental or purchase")
        EDUCATIONAL = "educational", _("Educational licence")

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
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

    objects = AvailabilityWindowManager()

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("where to watch")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["film", "starts_at"], name="films_window_film_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="films_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.film}: {self.get_platform_display()}"

    def clean(self) -> None:
        """Refuse, each on its field: an end not after the start, unknown countries, overlaps."""
        super().clean()
        errors = {}
        try:
            self.regions = parse_regions(self.regions)
        except ValidationError as error:
            errors["regions"] = error.messages
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = [_("The end must come after the start.")]
        if not errors and self.starts_at and self.film_id:
            clash = self.overlapping(self.film.windows.exclude(pk=self.pk))
            if clash is not None:
                errors["starts_at"] = [
                    _("This overlaps another %(platform)s window on %(service)s for the same "
                      "countries (%(when)s). Change the dates, the countries or the service.")
                    % {"platform": self.get_platform_display(), "service": clash.service_name,
                       "when": clash.period}
                ]  # fmt: skip
        if errors:
            raise ValidationError(errors)

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    def overlaps(self, other: AvailabilityWindow) -> bool:
        """Same platform and service, times that meet, countries that meet."""
        return (
            self.platform == other.platform
            and self.service.strip().casefold() == other.service.strip().casefold()
            and (other.ends_at is None or self.starts_at < other.ends_at)
            and (self.ends_at is None or other.starts_at < self.ends_at)
            and regions_overlap(self.regions, other.regions)
        )

    def overlapping(self, others) -> AvailabilityWindow | None:
        """The first of ``others`` this window overlaps, if any."""
        return next((other for other in others if self.overlaps(other)), None)

    @property
    def service_name(self) -> str:
        return self.service or str(self.get_platform_display())

    @property
    def period(self) -> str:
        start = date_format(timezone.localtime(self.starts_at), "j M Y")
        if self.ends_at is None:
            return f"from {start}, no end"
        return f"{start} to {date_format(timezone.localtime(self.ends_at), 'j M Y')}"

    @property
    def region_names(self) -> list[str]:
        return [countries().get(code, code) for code in self.regions]

    def is_open(self, at: datetime) -> bool:
        """The rule ``open_now()`` filters on, for one window."""
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)

    def days_left(self, at: datetime) -> int | None:
        """Whole days (rounded up) until an open window ends, within its last week; else None."""
        if not self.is_open(at) or self.ends_at is None or self.ends_at - at > LAST_CHANCE:
            return None
        return math.ceil((self.ends_at - at) / DAY)

    @property
    def next_airing(self):
        """The broadcast screening annotated by ``with_next_broadcast()``, unsaved; or None."""
        Screening = screening_model()
        starts_at = getattr(self, "airing_starts_at", None)
        if starts_at is None:
            return None
        return Screening(
            film_id=self.film_id, kind=Screening.Kind.BROADCAST, starts_at=starts_at,
            time_zone=self.airing_time_zone, local_broadcast_time=self.airing_local_time,
        )  # fmt: skip

    @classmethod
    def next_visibility_change(cls, after: datetime) -> datetime | None:
        """The next moment a window changes what viewers see: it opens, or closes, or a list
        or wording changes ahead of that (arriving within 30 days, leaving within 14, each
        day of the last week's "leaves in N days"). Each is the first ``moment - lead`` after
        ``after``, which is ``Min(moment, moment > after + lead) - lead``: one query.
        """
        start_leads = {f"start_{i}": lead for i, lead in enumerate((timedelta(0), ARRIVING_SOON))}
        end_leads = {f"end_{i}": lead for i, lead in enumerate(
            [DAY * n for n in range(LAST_CHANCE.days + 1)] + [LEAVING_SOON]
        )}  # fmt: skip
        found = cls.objects.aggregate(
            **{name: Min("starts_at", filter=Q(starts_at__gt=after + lead))
               for name, lead in start_leads.items()},
            **{name: Min("ends_at", filter=Q(ends_at__gt=after + lead))
               for name, lead in end_leads.items()},
        )  # fmt: skip
        leads = start_leads | end_leads
        moments = [found[name] - lead for name, lead in leads.items() if found[name] is not None]
        return min(moments, default=None)

    @classmethod
    def calendar_events(cls, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Openings and closings of windows between ``start`` and ``end``."""
        windows = cls.objects.select_related("film")
        events = [
            CalendarEvent(w.starts_at, "window opens", w, topic=w.film)
            for w in windows.filter(starts_at__gte=start, starts_at__lt=end)
        ]
        events += [
            CalendarEvent(w.ends_at, "window closes", w, topic=w.film)
            for w in windows.filter(ends_at__gte=start, ends_at__lt=end)
        ]
        return events


def windows_shown(film, at: datetime | None = None) -> list[AvailabilityWindow]:
    """The film's windows viewers see (open, or still to open), with broadcast airings.

    Fetched once per film object, in one query, and kept on it: the "Where to watch" box and
    the Movie's structured data on the same page share them. Each window carries the moment
    it was judged at (``seen_at``) and whether it was open then (``open_when_seen``), so every
    part of a page tells the same story.
    """
    if not hasattr(film, "_windows_shown"):
        at = at or timezone.now()
        shows(screening_model())  # the airings, read in a subquery: the wording follows them
        windows = list(
            AvailabilityWindow.objects.filter(film=film).not_closed(at).with_next_broadcast(at)
        )
        for window in windows:
            window.film = film
            window.seen_at = at
            window.open_when_seen = window.is_open(at)
        film._windows_shown = windows
    return film._windows_shown
