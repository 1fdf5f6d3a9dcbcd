"""Public pages for films and screenings."""

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, ListView, TemplateView

from cms import related
from cms.page_cache.dependencies import shows
from cms.publishing.views import (
    LivePublishableListView,
    PublishableDetailView,
    RowsBuiltInPartMixin,
)
from cms.views import PageMetadataMixin

from .availability import AvailabilityWindow
from .calendars import calendar_response
from .forms import FILTER_CHOICES_MOST, ScreeningFilterForm
from .models import Film, Screening

FILMS = ("Films", "films:list")
SCREENINGS = ("Screenings", "films:screenings")


class FilmListView(RowsBuiltInPartMixin, LivePublishableListView):
    model = Film
    section = FILMS


class FilmDetailView(PublishableDetailView):
    """A film's page: its row alone here, enough to answer 404 and to check the kept parts.

    Each part of the template (``{% page_part %}``: the head, the main column) loads what it
    shows when it is rendered, so a page whose parts are kept makes one query per part and
    none for the credits, screenings, interviews and news it shows.
    """

    model = Film
    section = FILMS
    prepared_lookup = True  # live() selects the film's own columns alone

    def get_structured_data(self) -> list[dict]:
        return []  # the Movie is made inside the head's kept part ({% film_structured_data %})

    def film_details(self) -> Film:
        """The film with its pictures, credits, tags and videos, loaded afresh at each call.

        Each kept part that shows them calls it once, so each part records every row it shows
        even when the other part was rendered first.
        """
        return Film.objects.for_detail().get(pk=self.object.pk)

    @cached_property
    def related_feeds(self) -> list[dict]:
        return related.feeds_about(self.object)

    @cached_property
    def upcoming_screenings(self) -> list:
        return list(self.object.screenings.upcoming())

    @cached_property
    def past_screenings(self) -> list:
        return list(self.object.screenings.past())

    @cached_property
    def related_sections(self) -> list[dict]:
        return related.sections_about(self.object)  # interviews, news, ...

    @cached_property
    def related_actions(self) -> dict[str, list[dict]]:
        return related.actions_about(self.object)  # host a screening, ...

    @cached_property
    def related_films(self) -> list[Film]:
        return Film.objects.sharing_tags_with(self.object)


class ScreeningListView(RowsBuiltInPartMixin, PageMetadataMixin, ListView):
    """Upcoming screenings (or past ones), filterable by film, kind and city.

    Its rows' QuerySet (the visibility of each screening's film, a subquery) is built only
    when a part reads it: built on every request, it cost a third of a page whose parts are
    kept.
    """

    model = Screening
    paginate_by = 25
    query_parameters = ("film", "kind", "city")  # the filters (and "page"): cms.page_cache
    past = False
    template_name = "films/screening_list.html"
    section = SCREENINGS

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        crumbs = super().get_breadcrumbs()
        return [*crumbs, ("Past screenings", self.request.path)] if self.past else crumbs

    def get_queryset(self):
        if self.keeps_no_page:
            self.request.page_key = None  # keep no part either
        return SimpleLazyObject(self.rows)

    def rows(self) -> QuerySet:
        """The screenings listed: those shown, filtered if asked."""
        return self.filter_form.filter(self.shown) if self.filtered else self.shown

    @cached_property
    def shown(self) -> QuerySet:
        """The visible upcoming (or past) screenings, each with its film's poster."""
        visible = Screening.objects.visible().select_related("film__poster")
        visible = visible.prefetch_related("film__poster__renditions")  # each film's poster
        return visible.past() if self.past else visible.upcoming()

    @cached_property
    def filtered(self) -> bool:
        return any(self.request.GET.get(name) for name in self.query_parameters)

    @cached_property
    def filter_form(self) -> ScreeningFilterForm:
        """The filters, offering the films and cities of the screenings listed (typed past
        ``FILTER_CHOICES_MOST``); built when the list is filtered or when the kept part
        showing the form is rendered afresh."""
        most = FILTER_CHOICES_MOST + 1  # one more than may be listed: enough to know
        films = self.shown.order_by("film__title", "film__slug")
        films = list(films.values_list("film__slug", "film__title").distinct()[:most])
        cities = self.shown.exclude(city="").order_by("city").values_list("city", flat=True)
        data = self.request.GET if self.filtered else None
        asked = data.get("film", "") if data else ""
        if asked and len(films) < most and asked not in {slug for slug, _title in films}:
            # A live film with nothing listed here (an older or bookmarked link): chosen, it
            # lists nothing, and says so; an unknown one is an error.
            films += Film.objects.live().filter(slug=asked).values_list("slug", "title")
        return ScreeningFilterForm(data, films=films, cities=list(cities.distinct()[:most]))

    @cached_property
    def keeps_no_page(self) -> bool:
        """Unknown or typed filter values have no end: such a list is answered, never kept."""
        if not self.filtered:
            return False  # and the form is not built: a kept list needs it only in its part
        return bool(self.filter_form.errors) or self.filter_form.has_typed_values

    def get_context_data(self, **kwargs):
        form = SimpleLazyObject(lambda: self.filter_form)  # built in the part, if at all
        return super().get_context_data(filter_form=form, past=self.past, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.keeps_no_page:
            patch_cache_control(response, no_store=True)
        return response


class ScreeningDetailView(PageMetadataMixin, DetailView):
    """A screening's page: its row with its film's here, enough to answer 404 and to check the
    kept parts; each part (the head, the main column) loads the rest when it is rendered."""

    model = Screening
    slug_field = "uid"
    slug_url_kwarg = "uid"
    section = SCREENINGS

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        screening = self.object
        return [*super().get_breadcrumbs(), (screening.display_title, screening.get_absolute_url())]

    def get_structured_data(self) -> list[dict]:
        return []  # the ScreeningEvent: made in the head part ({% screening_structured_data %})

    @cached_property
    def related_actions(self) -> dict[str, list[dict]]:
        return related.actions_about(self.object)  # RSVP here, ...

    def get_queryset(self):
        return Screening.objects.visible().with_has_ended()

    def get_object(self, queryset=None) -> Screening:
        """The visible screening, by SQL compiled once per process (``PreparedScreening``)."""
        if queryset is not None:
            return super().get_object(queryset)
        screening = prepared_screening.get(self.kwargs[self.slug_url_kwarg])
        if screening is None:
            raise Http404("No screening found matching the query")
        return screening


class PreparedScreening:
    """A visible screening by uid, with ``has_ended``, by SQL the ORM compiles once per alias.

    Compiling the live rule of its film (a subquery) costs more CPU than the rest of the
    page, whose parts are kept. The moment and the uid are the query's only values that
    change between requests: compiled with marks in place of each, run with the request's
    own (as ``cms.publishing.views.PreparedLiveLookup`` does for slugs). The film is loaded
    when first shown (its row by key: one cheap query).
    """

    MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
    UID = uuid.UUID("0badc0de-0000-4000-8000-00000000f11d")

    def __init__(self) -> None:
        self.prepared: dict[str, tuple[str, list, set[int], int]] = {}

    def prepare(self, alias: str) -> tuple[str, list, set[int], int]:
        # Its film by key (EXISTS), not the list of every live film (IN): that list is read
        # in full per request, 0.6 ms of SQLite's time with a thousand films.
        live_film = Film.objects.live(self.MOMENT).filter(pk=OuterRef("film_id"))
        rows = Screening.objects.filter(Exists(live_film))
        rows = rows.with_has_ended(self.MOMENT).filter(uid=self.UID).order_by()
        sql, params = rows.query.get_compiler(using=alias).as_sql()
        ops = connections[alias].ops
        moments = {self.MOMENT, ops.adapt_datetimefield_value(self.MOMENT)}
        uid = Screening._meta.get_field("uid").get_db_prep_value(self.UID, connections[alias])
        found = {i for i, value in enumerate(params) if value in moments}
        (uid_at,) = (i for i, value in enumerate(params) if value == uid)
        return sql, list(params), found, uid_at

    def get(self, uid: uuid.UUID) -> Screening | None:
        alias = Screening.objects.all().db
        if alias not in self.prepared:
            self.prepared[alias] = self.prepare(alias)
        sql, params, moments, uid_at = self.prepared[alias]
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        values = [now if i in moments else value for i, value in enumerate(params)]
        values[uid_at] = Screening._meta.get_field("uid").get_db_prep_value(uid, connection)
        shows(Screening, Film)  # the lists the QuerySet would have recorded
        rows = list(Screening.objects.db_manager(alias).raw(sql, values))
        if not rows:
            return None
        screening = rows[0]
        screening.has_ended = bool(screening.has_ended)  # SQLite answers 0 or 1
        return screening


# Shared by the screening's page and its RSVP form (outreach.rsvp_views).
prepared_screening = PreparedScreening()


@receiver(setting_changed)
def forget_prepared_screening(**kwargs) -> None:
    prepared_screening.prepared.clear()


class WatchView(PageMetadataMixin, TemplateView):
    """What streams now (by platform), what arrives in the next 30 days, what leaves in 14."""

    template_name = "films/watch.html"
    section = FILMS

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return [*super().get_breadcrumbs(), ("Where to watch", self.request.path)]

    @cached_property
    def windows(self):
        """The windows of live films with their next airings, read when the kept part is built."""
        shows(Film, Screening)  # the live films and the airings it reads in subqueries
        return AvailabilityWindow.objects.of_live_films().with_next_broadcast(self.now)

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def streaming_now(self) -> list[AvailabilityWindow]:
        return list(self.windows.open_now(self.now).by_platform())

    @cached_property
    def arriving(self) -> list[AvailabilityWindow]:
        return list(self.windows.opening_soon(self.now).order_by("starts_at", "id"))

    @cached_property
    def leaving(self) -> list[AvailabilityWindow]:
        return list(self.windows.closing_soon(self.now).order_by("ends_at", "id"))


def screening_ics(request: HttpRequest, uid) -> HttpResponse:
    """One screening, to add to a calendar."""
    screening = get_object_or_404(Screening.objects.visible(), uid=uid)
    return calendar_response(
        [screening], screening.display_title, request, filename=f"screening-{uid}.ics"
    )


def film_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """Every screening of a live film: a calendar to subscribe to."""
    film = get_object_or_404(Film.objects.live(), slug=slug)
    screenings = film.screenings.select_related("film").order_by("starts_at")
    return calendar_response(screenings, f"{film.title}: screenings", request)


def upcoming_ics(request: HttpRequest) -> HttpResponse:
    """All upcoming screenings of live films: a calendar to subscribe to."""
    screenings = Screening.objects.visible().upcoming()
    return calendar_response(screenings, f"{settings.SITE_NAME}: screenings", request)
