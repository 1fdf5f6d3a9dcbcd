"""Public pages for interviews."""

from cms.publishing.views import LivePublishableListView, PublishableDetailView
from films.schema_org import video_objects

from . import schema_org
from .models import Interview

SECTION = ("Interviews", "interviews:list")


class InterviewListView(LivePublishableListView):
    model = Interview
    section = SECTION


class InterviewDetailView(PublishableDetailView):
    model = Interview
    section = SECTION

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_structured_data(self) -> list[dict]:
        video = video_objects([self.object.video], self.request)
        return [schema_org.article(self.object, self.request), *video]
