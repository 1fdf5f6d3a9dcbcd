"""The sitemap index: the site's fixed pages, and each content app's own sitemaps."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from blog.sitemaps import PostSitemap
from cms.page_cache.cache import reads_query
from cms.page_cache.kept import kept_response
from films.sitemaps import FilmSitemap, ScreeningSitemap
from interviews.sitemaps import InterviewSitemap
from outreach.sitemaps import ResourceSitemap


class SectionSitemap(Sitemap):
    """The site's fixed pages, named by URL name."""

    url_names = ["home", "films:list", "interviews:list", "films:screenings", "films:watch",
                 "blog:list", "outreach:resources"]  # fmt: skip
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": SectionSitemap,
    "films": FilmSitemap,
    "screenings": ScreeningSitemap,
    "interviews": InterviewSitemap,
    "news": PostSitemap,
    "resources": ResourceSitemap,
}


def index(request: HttpRequest, **kwargs) -> HttpResponse:
    """The sitemap index, kept rendered for as long as what it counts is unchanged."""
    return kept_response(request, "sitemap-index", sitemap_views.index, **kwargs)


def section(request: HttpRequest, **kwargs) -> HttpResponse:
    """A section's sitemap page, kept rendered for as long as what it lists is unchanged."""
    return kept_response(request, "sitemap", sitemap_views.sitemap, **kwargs)


sitemap = reads_query(section, "p")  # a section's pages past its limit of URLs
