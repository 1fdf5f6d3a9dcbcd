"""News posts in the site search."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cms.searching import Entry, SearchDocument, plain, tag_names, tidy

from .models import Post


class PostDocument(SearchDocument):
    model = Post
    verbose_name = _("News")
    verbose_name_plural = _("News")
    depends_on = ("authors", "tags")

    def rows(self):
        return Post.objects.prefetch_related("tags", "authors")

    def visible(self):
        return Post.objects.live()

    def fields(self, post: Post) -> Entry:
        return Entry(
            title=post.title,
            keywords=" ".join([tag_names(post), *post.author_names()]),
            summary=tidy(post.dek, post.search_description),
            body=plain(post.body),
            url=post.get_absolute_url(),
            date=post.publish_at,
        )
