"""Outreach's pages in the sitemap: live resources, with the picture each is shared with, if it
has one, and each live film's "Host a screening" page."""

from django.urls import reverse
from django.utils.functional import cached_property

from cms.publishing.sitemaps import LivePublishableSitemap
from films.models import Film

from .resources import Resource


class ResourceSitemap(LivePublishableSitemap):
    model = Resource
    changefreq = "monthly"
    image_field = "social_image"


class HostFilmSitemap(LivePublishableSitemap):
    """Each live film's "Host a screening" page, where a partner who searched for it lands."""

    model = Film
    changefreq = "monthly"
    lastmod_field = None  # the form changes with the site, not with the film's edits

    @cached_property
    def address_parts(self) -> tuple[str, str]:
        """The host page's address around the film's slug (the film's own address is not it)."""
        mark = self.url_mark
        before, _, after = reverse("outreach:host-film", kwargs={"slug": mark}).partition(mark)
        return before, after
