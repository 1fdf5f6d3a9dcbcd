"""The site-wide pages: home, tag pages, robots.txt, the favicon, health and error pages."""

from __future__ import annotations

import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from taggit.models import Tag

from cms.page_cache.cache import not_cached
from cms.views import PageMetadataMixin

from .schema_org import website
from .tags import live_with_tag


class HomeView(PageMetadataMixin, TemplateView):
    """The front page; its sections come from the content apps' template tags."""

    template_name = "config/home.html"

    def get_structured_data(self) -> list[dict]:
        return [website(self.request)]


class TagDetailView(PageMetadataMixin, TemplateView):
    """All live content with one tag, grouped by kind of content.

    The view loads the tag alone; the sections are read by the page's kept part
    (``sections``), so a page whose part is kept costs no query for them.
    """

    template_name = "config/tag_detail.html"
    items_per_kind = 50

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    @cached_property
    def sections(self) -> list[dict]:
        """Per kind of content, its live pages with the tag; a 404 when there are none.

        Read while the page's part is rendered: a part is kept only once it rendered some
        content, and is thrown away when any list of tagged content changes (a page
        tagged, untagged, published or expired), so a kept part always stands for content.
        """
        sections = []
        for model, pages in live_with_tag(self.tag):
            items = list(pages.for_cards()[: self.items_per_kind])
            if items:
                sections.append({"label": model._meta.verbose_name_plural, "items": items})
        if not sections:
            raise Http404("No live content has this tag.")
        return sections

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return [*super().get_breadcrumbs(), (f"Tagged “{self.tag.name}”", self.request.path)]


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def robots_txt(request: HttpRequest) -> HttpResponse:
    share_prefix = reverse("share", kwargs={"token": "x"}).rsplit("x", 1)[0]
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {share_prefix}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 "back in a moment" when the database cannot be reached.

    Renders without touching the database, since that may be what failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        add_never_cache_headers(response)
        return response
    return render(request, "500.html", status=500)


@not_cached
def health(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the database does, for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
