"""Public pages for interviews."""

from cms.publishing.views import (
    LivePublishableListView,
    PublishableDetailView,
    RowsBuiltInPartMixin,
)

from .models import Interview

SECTION = ("Interviews", "interviews:list")


class InterviewListView(RowsBuiltInPartMixin, LivePublishableListView):
    """The interviews, newest first; its head and list are kept parts of the page."""

    model = Interview
    section = SECTION


class InterviewDetailView(PublishableDetailView):
    """An interview's page: its row alone here; each kept part of the template loads what it
    shows (``Interview.contents``, ``live_film``...), its ``Article`` JSON-LD included."""

    model = Interview
    section = SECTION
    prepared_lookup = True  # for_detail() selects the interview's own columns alone

    def get_queryset(self):
        return super().get_queryset().for_detail()
