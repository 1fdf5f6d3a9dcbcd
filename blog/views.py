"""Public pages for the organisation's news."""

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from cms.publishing.views import LivePublishableListView, PublishableDetailView

from .models import Post

SECTION = ("Blog", "blog:list")


class PostListView(LivePublishableListView):
    """The news, newest first, ten a page.

    The list and its page are read when the page's kept part first uses them (lazily: a
    page whose part is kept builds no query for them); a page past the end is a 404 then.
    """

    model = Post
    paginate_by = 10
    section = SECTION
    context_object_name = "post_list"  # named, so that naming it reads nothing

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.object_list = SimpleLazyObject(self.get_queryset)
        return self.render_to_response(self.get_context_data())

    def paginate_queryset(self, queryset, page_size: int) -> tuple:
        found = cache(lambda: super(PostListView, self).paginate_queryset(queryset, page_size))
        return tuple(SimpleLazyObject(lambda i=i: found()[i]) for i in range(4))

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
