"""The sitemap index: the site's fixed pages, the tag pages, and each content app's own
sitemaps."""

import functools
import operator

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from taggit.models import Tag

from blog.sitemaps import PostSitemap
from cms.page_cache.cache import reads_query
from cms.page_cache.dependencies import shows
from cms.page_cache.kept import kept_response
from cms.publishing.sitemaps import LivePublishableSitemap
from films.sitemaps import FilmSitemap, ScreeningSitemap
from interviews.sitemaps import InterviewSitemap
from outreach.sitemaps import HostFilmSitemap, ResourceSitemap

from .tags import tagged_models


class SectionSitemap(Sitemap):
    """The site's fixed pages, named by URL name."""

    url_names = ["home", "films:list", "interviews:list", "films:screenings",
                 "films:screenings-past", "films:watch", "blog:list", "outreach:resources",
                 "outreach:host"]  # fmt: skip
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class TagSitemap(LivePublishableSitemap):
    """The tag pages that answer: tags some live page has (a tag page with none is a 404).

    Read as values, ``limit`` URLs a page, like every live sitemap: a tag is listed when a
    live page of any tagged kind has it, the rule of the tag page (``config.tags``).
    """

    model = Tag
    lastmod_field = None  # a tag page changes with its newest page; one row read is not enough

    def rows(self) -> QuerySet:
        models = tagged_models()
        shows(Tag, *models)  # lists read in subqueries, which the page cache does not see
        has_live = [Exists(model.objects.live().filter(tags=OuterRef("pk"))) for model in models]
        return Tag.objects.filter(functools.reduce(operator.or_, has_live)).order_by("slug", "pk")

    @cached_property
    def address_parts(self) -> tuple[str, str]:
        """A tag page's address around its slug (taggit's tags have no ``get_absolute_url``)."""
        before, _, after = reverse("tag", kwargs={"slug": self.url_mark}).partition(self.url_mark)
        return before, after


SITEMAPS = {
    "pages": SectionSitemap,
    "films": FilmSitemap,
    "screenings": ScreeningSitemap,
    "interviews": InterviewSitemap,
    "news": PostSitemap,
    "resources": ResourceSitemap,
    "tags": TagSitemap,
    "hosting": HostFilmSitemap,
}


def index(request: HttpRequest, **kwargs) -> HttpResponse:
    """The sitemap index, kept rendered for as long as what it counts is unchanged."""
    return kept_response(request, "sitemap-index", sitemap_views.index, **kwargs)


def section(request: HttpRequest, **kwargs) -> HttpResponse:
    """A section's sitemap page, kept rendered for as long as what it lists is unchanged."""
    return kept_response(request, "sitemap", sitemap_views.sitemap, **kwargs)


sitemap = reads_query(section, "p")  # a section's pages past its limit of URLs
