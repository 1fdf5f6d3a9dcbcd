"""What every feed of publishable pages shares: dates, categories, the hero image."""

from django.conf import settings


class PublishableFeedMixin:
    limit = 30

    def item_title(self, item) -> str:
        return item.title

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        """The hero image, when viewers may see it, as a media enclosure."""
        from django.utils.feedgenerator import Enclosure

        image = item.image
        if image is None or not image.is_usable:
            return []
        try:
            size = image.file.size
        except OSError:
            return []
        mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                "webp": "image/webp", "avif": "image/avif", "gif": "image/gif"}  # fmt: skip
        kind = mime.get(image.file.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        return [Enclosure(self.request.build_absolute_uri(image.url), str(size), kind)]

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def feed_copyright(self) -> str:
        return settings.SITE_NAME
