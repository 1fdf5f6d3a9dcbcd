"""RSS 2.0 and Atom feeds of the organisation's news."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from cms.publishing.feeds import PublishableFeedMixin

from .models import Post


class LatestPostsFeed(PublishableFeedMixin, Feed):
    title = "News"
    link = reverse_lazy("blog:list")
    summary = "News from the organisation."

    def items(self):
        return Post.objects.live().for_listing().prefetch_related("tags")[: self.limit]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
