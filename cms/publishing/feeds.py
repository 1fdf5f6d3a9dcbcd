"""What every feed of publishable pages shares (dates, categories, the hero image), and the
view that keeps each feed's body rendered for as long as what it lists is unchanged."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from cms.page_cache.kept import kept_response


class PublishableFeedMixin:
    limit = 30
    summary = ""

    def summary_text(self, obj) -> str:
        """The feed's one-line summary as plain text; feeds about one thing override it."""
        return self.summary

    def description(self, obj) -> str:
        """RSS readers take a channel's description as HTML: names in it are escaped."""
        return escape(self.summary_text(obj))

    def subtitle(self, obj) -> str:
        return self.summary_text(obj)  # an Atom subtitle is plain text (no type attribute)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.feed_description()

    def author_name(self) -> str:
        """The feed's author: Atom needs one on the feed or on every entry (RFC 4287 4.1.1),
        and an entry with no byline of its own falls back on the organisation."""
        return settings.SITE_NAME

    def item_author_name(self, item) -> str | None:
        """The byline, or None when there is none: syndication then leaves the element out
        rather than writing an empty ``<author><name/></author>`` (feedvalidator warns)."""
        return item.feed_author() or None

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


def feed_view(feed_class: type[Feed]):
    """A view making one feed object per request (feeds here keep the request on ``self``),
    its body kept rendered for as long as what it lists is unchanged (``kept_response``)."""

    def make(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return feed_class()(request, *args, **kwargs)

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return kept_response(request, "feed", make, *args, **kwargs)

    view.feed_class = feed_class
    return view
