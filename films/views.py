"""Public pages for films and screenings."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

from cms import related
from cms.publishing.views import LivePublishableListView, PublishableDetailView
from cms.views import PageMetadataMixin

from . import schema_org
from .availability import AvailabilityWindow
from .calendars import calendar_response
from .forms import ScreeningFilterForm
from .models import Credit, Film, Screening

FILMS = ("Films", "films:list")
SCREENINGS = ("Screenings", "films:screenings")


class FilmListView(LivePublishableListView):
    model = Film
    section = FILMS


class FilmDetailView(PublishableDetailView):
    model = Film
    section = FILMS

    def get_structured_data(self) -> list[dict]:
        videos = schema_org.video_objects(self.object.videos.all(), self.request)
        return [schema_org.movie(self.object, self.request), *videos]

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        screenings = self.object.screenings.all()
        return super().get_context_data(
            upcoming_screenings=list(screenings.upcoming()),
            past_screenings=list(screenings.past()),
            related_sections=related.sections_about(self.object),  # interviews, news, ...
            related_feeds=related.feeds_about(self.object),
            related_actions=related.actions_about(self.object),  # host a screening, ...
            related_films=Film.objects.sharing_tags_with(self.object),
            **kwargs,
        )


class ScreeningListView(PageMetadataMixin, ListView):
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
        visible = Screening.objects.visible()
        screenings = visible.past() if self.past else visible.upcoming()
        films = Film.objects.live().order_by("title").values_list("slug", "title")
        cities = screenings.exclude(city="").order_by("city").values_list("city", flat=True)
        self.filter_form = ScreeningFilterForm(
            self.request.GET or None, films=list(films), cities=list(cities.distinct())
        )
        if self.filter_form.is_bound:
            screenings = self.filter_form.filter(screenings)
        return screenings

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, past=self.past, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filter_form.errors:
            # Unknown filter values have no end: such a page is answered, never cached.
            patch_cache_control(response, no_store=True)
        return response


class ScreeningDetailView(PageMetadataMixin, DetailView):
    model = Screening
    slug_field = "uid"
    slug_url_kwarg = "uid"
    section = SCREENINGS

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        screening = self.object
        return [*super().get_breadcrumbs(), (screening.display_title, screening.get_absolute_url())]

    def get_structured_data(self) -> list[dict]:
        return [schema_org.screening_event(self.object, self.request)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related_actions=related.actions_about(self.object),
            **kwargs,  # RSVP here, ...
        )

    def get_queryset(self):
        credits = Credit.objects.select_related("person")
        return (
            Screening.objects.visible()
            .with_has_ended()
            .select_related("film__poster", "film__social_image")
            .prefetch_related(Prefetch("film__credits", queryset=credits))
        )


class WatchView(PageMetadataMixin, TemplateView):
    """What streams now (by platform), what arrives in the next 30 days, what leaves in 14."""

    template_name = "films/watch.html"
    section = FILMS

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return [*super().get_breadcrumbs(), ("Where to watch", self.request.path)]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        windows = AvailabilityWindow.objects.of_live_films().with_next_broadcast(now)
        return super().get_context_data(
            streaming_now=list(windows.open_now(now).by_platform()),
            arriving=list(windows.opening_soon(now).order_by("starts_at", "id")),
            leaving=list(windows.closing_soon(now).order_by("ends_at", "id")),
            **kwargs,
        )


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
