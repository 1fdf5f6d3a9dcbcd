"""Sitemap building blocks; each content app lists its own pages in its ``sitemaps.py``."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class LivePublishableSitemap(Sitemap):
    """Every live page of ``model``, with the time it last changed."""

    model = None
    changefreq = "weekly"

    def items(self):
        return self.model.objects.live().order_by("-publish_at", "pk")

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    """The site's fixed pages, named by URL name."""

    url_names = ["home", "films:list", "interviews:list", "films:screenings", "blog:list"]
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)
