"""Public pages for films and screenings."""

from django.views.generic import DetailView, ListView

from cms.views import LivePublishableListView, PublishableDetailView

from .forms import ScreeningFilterForm
from .models import Film, Screening


class FilmListView(LivePublishableListView):
    model = Film


class FilmDetailView(PublishableDetailView):
    model = Film

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        screenings = self.object.screenings.all()
        return super().get_context_data(
            upcoming_screenings=list(screenings.upcoming()),
            past_screenings=list(screenings.past()),
            **kwargs,
        )


class ScreeningListView(ListView):
    """Upcoming screenings (or past ones), filterable by film, kind and city."""

    model = Screening
    paginate_by = 25
    past = False
    template_name = "films/screening_list.html"

    def get_queryset(self):
        visible = Screening.objects.visible()
        screenings = visible.past() if self.past else visible.upcoming()
        films = Film.objects.live().order_by("title").only("slug", "title")
        cities = screenings.exclude(city="").order_by("city").values_list("city", flat=True)
        self.filter_form = ScreeningFilterForm(
            self.request.GET or None, films=list(films), cities=list(cities.distinct())
        )
        if self.filter_form.is_bound:
            screenings = self.filter_form.filter(screenings)
        return screenings

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, past=self.past, **kwargs)


class ScreeningDetailView(DetailView):
    model = Screening
    slug_field = "uid"
    slug_url_kwarg = "uid"

    def get_queryset(self):
        return Screening.objects.visible().with_has_ended()
