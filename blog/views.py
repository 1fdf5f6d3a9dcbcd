"""Public pages for the organisation's news."""

from cms.publishing.views import (
    LivePublishableListView,
    PublishableDetailView,
    RowsBuiltInPartMixin,
)

from .models import Post

SECTION = ("Blog", "blog:list")


class PostListView(RowsBuiltInPartMixin, LivePublishableListView):
    """The news, newest first, ten a page; the rows are read inside the page's kept parts
    (``RowsBuiltInPartMixin``), and a page past the end is a 404 then."""

    model = Post
    paginate_by = 10
    section = SECTION

    def page_number(self) -> int:
        """The page number asked for, for the title: the page itself checks it."""
        asked = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or ""
        return int(asked) if asked.isdigit() else 1


class PostDetailView(PublishableDetailView):
    """A post's page: its row alone here; each kept part of the template loads what it shows
    (``Post.live_related_film``, ``shown_video``...), its ``Article`` JSON-LD included."""

    model = Post
    section = SECTION
    prepared_lookup = True  # the public queryset selects the post's own columns alone
