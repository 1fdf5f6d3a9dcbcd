"""The sitemap index: the site's fixed pages, and each content app's own sitemaps."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from blog.sitemaps import PostSitemap
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
