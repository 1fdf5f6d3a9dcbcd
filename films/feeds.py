"""RSS 2.0 and Atom feeds of the films' windows to watch, the most recently opened first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from cms.publishing.feeds import PublishableFeedMixin

from .availability import AvailabilityWindow
from .templatetags.film_tags import window_wording


class NowWatchingFeed(PublishableFeedMixin, Feed):
    """Each open window of a live film, as it opens; a window leaves the feed when it closes."""

    title = "Where to watch"
    link = reverse_lazy("films:watch")
    summary = "Our films as they arrive on broadcast, streaming and other services."

    def items(self):
        return AvailabilityWindow.objects.of_live_films().newly_opened()[: self.limit]

    def item_title(self, item) -> str:
        return f"{item.film.title}: {item.service_name}"

    def item_description(self, item) -> str:
        """Read as HTML by RSS readers: the editors' words in it are escaped."""
        return escape(" · ".join(part for part in (window_wording(item), item.price_note) if part))

    def item_link(self, item) -> str:
        return item.film.get_absolute_url()

    def item_guid(self, item) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_author_name(self, item) -> None:
        return None

    def item_pubdate(self, item):
        return item.starts_at

    def item_updateddate(self, item):
        return item.starts_at

    def item_categories(self, item) -> list[str]:
        return [str(item.get_platform_display())]

    def item_enclosures(self, item) -> list:
        return []


class NowWatchingAtomFeed(NowWatchingFeed):
    feed_type = Atom1Feed
