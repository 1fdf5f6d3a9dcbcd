"""Live resources in the sitemap, with the picture each is shared with, if it has one."""

from cms.publishing.sitemaps import LivePublishableSitemap

from .resources import Resource


class ResourceSitemap(LivePublishableSitemap):
    model = Resource
    changefreq = "monthly"
    image_field = "social_image"
