"""The sitemap of live pages; each content app lists its own pages in its ``sitemaps.py``."""

from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap


class LivePublishableSitemap(Sitemap):
    """Every live page of ``model``, with the time it last changed and its hero image.

    ``image_field`` names the foreign key to the picture the page leads with; the sitemap
    template lists it as an image-sitemap entry when viewers may see it.
    """

    model = None
    changefreq = "weekly"
    image_field: str | None = None

    def items(self):
        rows = self.model.objects.live().order_by("-publish_at", "pk")
        if self.image_field:
            rows = rows.select_related(self.image_field)
        return rows

    def lastmod(self, item):
        return item.updated_at

    def images(self, item) -> list:
        image = getattr(item, self.image_field) if self.image_field else None
        return [image] if image is not None and image.is_usable else []

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}/"
        for url in urls:  # media on object storage already has absolute URLs
            url["images"] = [urljoin(origin, image.url) for image in self.images(url["item"])]
        return urls
