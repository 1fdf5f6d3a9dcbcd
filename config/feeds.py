"""The tag feeds: every kind of live page with one tag."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from cms.publishing.feeds import PublishableFeedMixin

from .tags import live_with_tag


class TagFeed(PublishableFeedMixin, Feed):
    """Every kind of live page with one tag, newest first; a tag with nothing live is a 404."""

    def get_object(self, request, slug: str) -> Tag:
        tag = get_object_or_404(Tag, slug=slug)
        self.pages = sorted(
            (
                page
                for _model, pages in live_with_tag(tag)
                for page in pages.for_listing().prefetch_related("tags")[: self.limit]
            ),
            key=lambda page: (page.publish_at, page.pk),
            reverse=True,
        )[: self.limit]
        if not self.pages:
            raise Http404("No live content has this tag.")
        return tag

    def title(self, tag: Tag) -> str:
        return f"Tagged “{tag.name}”"

    def link(self, tag: Tag) -> str:
        return reverse("tag", kwargs={"slug": tag.slug})

    def summary_text(self, tag: Tag) -> str:
        return f"Films, interviews and news tagged “{tag.name}”."

    def items(self, tag: Tag) -> list:
        return self.pages


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
