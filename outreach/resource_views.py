"""Public pages of engagement resources: the filterable list, a resource, its PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_cache_control

from cms.page_cache.cache import not_cached
from cms.publishing.views import LivePublishableListView, PublishableDetailView, can_preview

from . import schema_org
from .resource_forms import ResourceFilterForm
from .resources import Resource

SECTION = ("Resources", "outreach:resources")


class ResourceListView(LivePublishableListView):
    """Every live resource, filterable by film, audience, grade band, subject and language.

    Unknown filter values are ignored and said so on the page, which is then not cached
    (there is no end to them). The count is of the filtered rows, not of every live one.
    """

    model = Resource
    template_name = "outreach/resources/resource_list.html"
    paginate_by = 20
    paginator_class = Paginator
    query_parameters = ("film", "audience", "grade", "subject", "language")  # cms.page_cache
    section = SECTION

    def get_queryset(self):
        live = Resource.objects.live()
        self.filter_form = ResourceFilterForm(self.request.GET or None, live=live)
        resources = live.for_listing()
        if self.filter_form.is_bound:
            resources = self.filter_form.filter(resources)
            if self.filter_form.errors:
                self.request.page_key = None  # its kept part too: there is no end to them
        return resources

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filter_form.errors:
            patch_cache_control(response, no_store=True)
        return response


class ResourceDetailView(PublishableDetailView):
    """A resource's page: its row alone here; the kept parts of the template load what they
    show (``Resource.with_contents``), its ``LearningResource`` JSON-LD included."""

    model = Resource
    template_name = "outreach/resources/resource_detail.html"
    section = SECTION
    prepared_lookup = True  # the public queryset selects the resource's own columns alone

    def learning_resource(self) -> dict:
        """The page's JSON-LD, made from the head's kept part (not with the view's context)."""
        return schema_org.learning_resource(self.object.with_contents(), self.request)


@not_cached  # a file, streamed: never a page to keep
def download(request: HttpRequest, slug: str) -> FileResponse:
    """The resource's PDF, as an attachment that no browser will read as anything else.

    Live resources only; staff who may preview resources also get a draft's file, to
    check what they uploaded.
    """
    preview = can_preview(request.user, Resource)
    resources = Resource.objects.with_live_flag() if preview else Resource.objects.live()
    resource = get_object_or_404(resources, slug=slug)
    if not resource.file:
        raise Http404("This resource is a link, not a file.")
    try:
        stored = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=resource.download_filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not getattr(resource, "is_live", True):  # a draft's file, for staff: kept nowhere
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
