"""Public pages for films and screenings."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, ListView, TemplateView

from cms import related
from cms.page_cache.dependencies import shows
from cms.publishing.views import (
    LivePublishableListView,
    PageInPartMixin,
    PublishableDetailView,
    RowsBuiltInPartMixin,
)
from cms.views import PageMetadataMixin

from .availability import AvailabilityWindow
from .calendars import calendar_response
from .forms import ScreeningFilterForm
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


class ScreeningListView(PageInPartMixin, PageMetadataMixin, ListView):
    """Upcoming screenings (or past ones), filterable by film, kind and city."""

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
        visible = Screening.objects.visible().select_related("film__poster")
        visible = visible.prefetch_related("film__poster__renditions")  # each film's poster
        self.shown = visible.past() if self.past else visible.upcoming()
        if not self.filtered:
            return self.shown
        if self.filter_form.errors:
            self.request.page_key = None  # unknown filter values have no end: keep no part
        return self.filter_form.filter(self.shown)

    @cached_property
    def filtered(self) -> bool:
        return any(self.request.GET.get(name) for name in self.query_parameters)

    @cached_property
    def filter_form(self) -> ScreeningFilterForm:
        """The filters, with the live films and the cities listed offered; built when the list
        is filtered or when the kept part showing the form is rendered afresh."""
        films = Film.objects.live().order_by("title").values_list("slug", "title")
        cities = self.shown.exclude(city="").order_by("city").values_list("city", flat=True)
        data = self.request.GET if self.filtered else None
        return ScreeningFilterForm(data, films=list(films), cities=list(cities.distinct()))

    def get_context_data(self, **kwargs):
        form = SimpleLazyObject(lambda: self.filter_form)  # built in the part, if at all
        return super().get_context_data(filter_form=form, past=self.past, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filtered and self.filter_form.errors:
            # Unknown filter values have no end: such a page is answered, never cached.
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
