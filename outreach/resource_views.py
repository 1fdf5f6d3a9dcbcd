"""Public pages of engagement resources: the filterable list, a resource, its PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language

from cms.page_cache.cache import not_cached
from cms.page_cache.kept import kept, kept_key
from cms.publishing.views import (
    LivePublishableListView,
    PublishableDetailView,
    RowsBuiltInPartMixin,
    can_preview,
)

from . import schema_org
from .resource_forms import FilterChoices, ResourceFilterForm
from .resources import Resource, ResourceQuerySet

SECTION = ("Resources", "outreach:resources")


class ResourceListView(RowsBuiltInPartMixin, LivePublishableListView):
    """Every live resource, filterable by film, audience, grade band, subject and language.

    The rows, their count and the filter form are read inside the page's kept parts
    (``RowsBuiltInPartMixin``): a kept page checks its filters against the values offered, kept
    on their own (``FilterChoices``), and builds no query. Unknown filter values are ignored
    and said so on the page, which is then not cached (there is no end to them). The count
    is of the filtered rows, not of every live one.
    """

    model = Resource
    template_name = "outreach/resources/resource_list.html"
    paginate_by = 20
    paginator_class = Paginator
    query_parameters = ("film", "audience", "grade", "subject", "language")  # cms.page_cache
    section = SECTION

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filtered = any(request.GET.get(name) for name in self.query_parameters)
        unknown = filtered and bool(self.filter_form.errors)
        if unknown:
            request.page_key = None  # its kept parts too: there is no end to them
        response = super().get(request, *args, **kwargs)
        if unknown:
            patch_cache_control(response, no_store=True)
        return response

    @cached_property
    def filter_form(self) -> ResourceFilterForm:
        """The filters, offering what live resources are about (kept while unchanged)."""
        key = kept_key("resource-filter-choices", [get_language()], None)
        offered = kept(key, lambda: FilterChoices.of(Resource.objects.live()))
        return ResourceFilterForm(self.request.GET or None, offered=offered)

    def get_queryset(self):
        """The rows, filtered, built only when a part reads them."""
        return SimpleLazyObject(self.rows)

    def rows(self) -> ResourceQuerySet:
        resources = Resource.objects.live().for_listing()
        return self.filter_form.filter(resources) if self.filter_form.is_bound else resources

    def page_number(self) -> int:
        """The page number asked for, for the title: the page's part checks it."""
        asked = self.request.GET.get(self.page_kwarg) or ""
        return int(asked) if asked.isdigit() else 1

    def get_context_data(self, **kwargs):
        form = SimpleLazyObject(lambda: self.filter_form)  # built in the part, if at all
        return super().get_context_data(filter_form=form, **kwargs)


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
