"""Public pages for the organisation's news."""

from cms.publishing.views import LivePublishableListView, PublishableDetailView
from films.schema_org import video_objects

from . import schema_org
from .models import Post

SECTION = ("Blog", "blog:list")


class PostListView(LivePublishableListView):
    model = Post
    paginate_by = 10
    section = SECTION


class PostDetailView(PublishableDetailView):
    model = Post
    section = SECTION

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_structured_data(self) -> list[dict]:
        video = video_objects([self.object.video], self.request)
        return [schema_org.article(self.object, self.request), *video]
