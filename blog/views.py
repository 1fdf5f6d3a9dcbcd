"""Public pages for the organisation's news."""

from cms.views import LivePublishableListView, PublishableDetailView

from .models import Post


class PostListView(LivePublishableListView):
    model = Post
    paginate_by = 10


class PostDetailView(PublishableDetailView):
    model = Post

    def get_queryset(self):
        return super().get_queryset().for_detail()
