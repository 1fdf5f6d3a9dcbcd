"""Public pages for interviews."""

from cms.views import LivePublishableListView, PublishableDetailView

from .models import Interview


class InterviewListView(LivePublishableListView):
    model = Interview


class InterviewDetailView(PublishableDetailView):
    model = Interview

    def get_queryset(self):
        return super().get_queryset().for_detail()
