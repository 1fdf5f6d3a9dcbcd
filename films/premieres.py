"""A film's broadcast premiere, and pages that go live some hours before or after it.

The premiere is the film's earliest broadcast screening that is not cancelled. A national
broadcast "at 10 PM local time" (``Screening.local_broadcast_time``) stores its wall clock
in the screening's ``time_zone``; its premiere is that wall clock in the series' home zone
(``settings.SERIES_TIME_ZONE``), the first 10 PM the series counts from.

The premiere is computed in the database (``premiere_subquery``), so an interview or a post
timed to it (``premiere_offset_hours``) follows a moved or cancelled premiere with no job
and no stored copy: ``PremiereTimedQuerySet`` makes it part of the model's ``live()``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cms.publishing.models import Publishable, PublishableQuerySet

from .models import Screening

# An offset is hours around one evening's broadcast; a month either side is already generous.
MAX_OFFSET_HOURS = 30 * 24


class WallClockIn(models.Func):
    """The moment ``moment``'s wall clock in the zone named by ``zone`` shows in ``other_zone``.

    "10 PM in Los Angeles" read as "10 PM in New York". SQLite has no time zones of its own:
    Django's SQLite backend registers ``django_datetime_trunc``, which converts between zones
    in Python; PostgreSQL converts with ``AT TIME ZONE``.
    """

    output_field = models.DateTimeField()

    def __init__(self, moment, zone, other_zone: str, **extra):
        super().__init__(moment, zone, Value(other_zone), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        moment, zone, other_zone = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"(({moment[0]} AT TIME ZONE {zone[0]}) AT TIME ZONE {other_zone[0]})"
        return sql, (*moment[1], *zone[1], *other_zone[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        moment, zone, other_zone = (compiler.compile(e) for e in self.get_source_expressions())
        wall_clock = f"django_datetime_trunc('second', {moment[0]}, {zone[0]}, 'UTC')"
        sql = f"django_datetime_trunc('second', {wall_clock}, 'UTC', {other_zone[0]})"
        return sql, (*moment[1], *zone[1], *other_zone[1])


def premiere_moment() -> Case:
    """A screening's moment as a premiere: a floating broadcast counts on the series' clock."""
    floating = Q(local_broadcast_time=True) & ~Q(time_zone=settings.SERIES_TIME_ZONE)
    return Case(
        When(floating, then=WallClockIn(F("starts_at"), F("time_zone"), settings.SERIES_TIME_ZONE)),
        default=F("starts_at"),
        output_field=models.DateTimeField(),
    )


def premieres() -> models.QuerySet:
    """Screenings that can be a premiere, earliest first, each with its ``premiere_at``."""
    return (
        Screening.objects.filter(kind=Screening.Kind.BROADCAST)
        .exclude(status=Screening.Status.CANCELLED)
        .annotate(premiere_at=premiere_moment())
        .order_by("premiere_at", "pk")
    )


def premiere_subquery(film_ref: str) -> Subquery:
    """The premiere of the film the outer row's ``film_ref`` points at (NULL: none)."""
    first = premieres().filter(film=OuterRef(film_ref)).values("premiere_at")[:1]
    return Subquery(first, output_field=models.DateTimeField())


def premiere_of(film) -> datetime | None:
    """``film``'s premiere, by the same query the pages timed to it use (None: none)."""
    if film is None or film.pk is None:
        return None
    return premieres().filter(film=film).values_list("premiere_at", flat=True).first()


class AboutAFilm(models.Model):
    """What a page about a film (an interview, a post) may add: one of the film's videos,
    and a go-live moment counted from the film's premiere (``PremiereTimedQuerySet``)."""

    video = models.ForeignKey(
        "films.Video", verbose_name=_("video"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("A trailer or clip of the film, shown with the page."),
    )  # fmt: skip
    premiere_offset_hours = models.IntegerField(
        _("hours from the premiere"), null=True, blank=True,
        help_text=_("Go live this many hours after the film's broadcast premiere (negative: "
                    "before it), instead of at a fixed time."),
    )  # fmt: skip

    class Meta:
        abstract = True

    def shown_video(self):
        """The placed video with its poster's pictures (a ``films.Video``, or None), read once
        for the page's player and its structured data."""
        if self.video_id is None:
            return None
        if not type(self).video.is_cached(self):
            videos = self._meta.get_field("video").related_model.objects
            videos = videos.select_related("poster").prefetch_related("poster__renditions")
            self.video = videos.filter(pk=self.video_id).first()
        return self.video


def boundary_indexes(prefix: str) -> list[models.Index]:
    """Indexes of the rows that may still go live or expire by themselves (an expiry, a time
    from a premiere), so the page cache's next boundary (``next_visibility_change``, of
    ``PremiereTimedQuerySet.may_change_after``) is read without a scan of every row.
    ``prefix`` names them for their model."""
    return [
        models.Index(
            fields=["expire_at"], condition=Q(expire_at__isnull=False),
            name=f"{prefix}_expiring_idx",
        ),
        models.Index(
            fields=["premiere_offset_hours"], condition=Q(premiere_offset_hours__isnull=False),
            name=f"{prefix}_premiere_timed_idx",
        ),
    ]  # fmt: skip


class PremiereTimedQuerySet(PublishableQuerySet):
    """Pages that may go live at a number of hours from their film's premiere.

    A row with ``premiere_offset_hours`` goes live at premiere + offset, whatever its
    ``publish_at``; with no premiere (none scheduled, cancelled, deleted, or no film) it is
    not live. Other rows follow the kit's rule unchanged. A subclass names the row's foreign
    key to ``films.Film`` in ``premiere_film``.
    """

    premiere_film: str

    def live_condition(self, at: datetime | None = None) -> Q:
        at = at or timezone.now()
        not_expired = Q(expire_at__isnull=True) | Q(expire_at__gt=at)
        fixed = Q(premiere_offset_hours__isnull=True, publish_at__lte=at)
        timed = Q(premiere_offset_hours__isnull=False) & Q(
            LessThanOrEqual(self.premiere_go_live(), Value(at))
        )
        return Q(status=Publishable.Status.PUBLISHED) & (fixed | timed) & not_expired

    def scheduled_condition(self, at: datetime | None = None) -> Q:
        at = at or timezone.now()
        fixed = Q(premiere_offset_hours__isnull=True, publish_at__gt=at)
        timed = Q(premiere_offset_hours__isnull=False) & Q(
            GreaterThan(self.premiere_go_live(), Value(at))
        )
        return Q(status=Publishable.Status.PUBLISHED) & (fixed | timed)

    def goes_live_at(self) -> models.Expression:
        return Case(
            When(premiere_offset_hours__isnull=False, then=self.premiere_go_live()),
            default=F("publish_at"),
            output_field=models.DateTimeField(),
        )

    def may_change_after(self, at: datetime) -> Q:
        """Every row timed to a premiere too: its moment is not in ``publish_at``."""
        return super().may_change_after(at) | Q(premiere_offset_hours__isnull=False)

    def with_state(self, at: datetime | None = None) -> PremiereTimedQuerySet:
        """The kit's ``is_live`` and ``state``, and ``goes_live_at`` for the admin to show
        (None: timed to a premiere there is not)."""
        return super().with_state(at).annotate(goes_live_at=self.goes_live_at())

    def premiere_go_live(self) -> models.Expression:
        """premiere + ``premiere_offset_hours`` hours (NULL: no premiere)."""
        offset = models.ExpressionWrapper(
            F("premiere_offset_hours") * Value(timedelta(hours=1)),
            output_field=models.DurationField(),  # so SQLite adds it as a duration
        )
        return models.ExpressionWrapper(
            premiere_subquery(self.premiere_film) + offset, output_field=models.DateTimeField()
        )


def goes_live_text(row) -> str:
    """When ``row`` (from ``with_state()``) goes live, on the editor's clock, for the admin."""
    moment = getattr(row, "goes_live_at", None)
    if moment is not None:
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if row.premiere_offset_hours is not None and row.pk:
        return str(_("Not while the film has no broadcast premiere"))
    return "-"


class PremiereTimedFormMixin:
    """For the admin form of a model with a ``PremiereTimedQuerySet``: checks the offset.

    An offset needs a film with a premiere and stays within ``MAX_OFFSET_HOURS``; otherwise
    the field is refused and nothing is stored. An accepted offset also sets ``publish_at``
    to the moment it gives, for the dates lists and feeds show and sort by; ``live()`` reads
    the premiere itself, so a premiere moved later moves the go-live without a save.
    """

    def clean(self):
        cleaned = super().clean()
        offset = cleaned.get("premiere_offset_hours")
        if offset is None:
            return cleaned
        if abs(offset) > MAX_OFFSET_HOURS:
            self.add_error("premiere_offset_hours", _(
                "At most %(hours)d hours (%(days)d days) before or after the premiere."
            ) % {"hours": MAX_OFFSET_HOURS, "days": MAX_OFFSET_HOURS // 24})  # fmt: skip
            return cleaned
        film_field = self._meta.model.objects.all().premiere_film
        film = cleaned.get(film_field)
        premiere = premiere_of(film)
        if film is None:
            self.add_error("premiere_offset_hours", _(
                "Choose the film first: the hours count from its broadcast premiere."
            ))  # fmt: skip
        elif premiere is None:
            self.add_error("premiere_offset_hours", _(
                "“%(film)s” has no broadcast premiere (none is scheduled, or it was cancelled). "
                "Schedule its broadcast, or clear this field and set a publishing time."
            ) % {"film": film})  # fmt: skip
        else:
            cleaned["publish_at"] = premiere + timedelta(hours=offset)
        return cleaned
