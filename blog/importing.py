"""The interface other apps use to write blog posts; the blog app keeps the rules here.

Another app (the interviews importer, with the "From our blog" box of a legacy page) hands
over ``IncomingPost``s; this module decides which are new and how a post is made from one.
A post is known by the slug of its title: one the site has is left as it is, so editors'
changes are never overwritten. Nothing here knows who is calling.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.text import slugify

from .models import Post


@dataclass(frozen=True)
class IncomingPost:
    """A post another app found and wants on the site: its title, excerpt and publishing time."""

    title: str
    excerpt: str = ""
    publish_at: datetime | None = None

    @property
    def slug(self) -> str:
        """The slug the post has, or would have, on the site: the one it is matched by."""
        return slugify(self.title, allow_unicode=True)[:255]


def new_posts(
    posts: Iterable[IncomingPost], *, publish: bool = False, known_slugs: Collection[str] = ()
) -> list[Post]:
    """Validated, unsaved posts for those the site lacks; the first of each slug only.

    ``known_slugs`` are treated as on the site already (a dry run's earlier posts), so a dry
    run can say exactly which posts the real run will create. Raises ``ValidationError``.
    """
    seen = set(known_slugs)
    result = []
    for incoming in posts:
        slug = incoming.slug
        if slug in seen or Post.objects.filter(slug=slug).exists():
            continue
        post = Post(
            title=incoming.title,
            slug=slug,
            dek=incoming.excerpt,
            body=f"<p>{escape(incoming.excerpt)}</p>" if incoming.excerpt else "",
            publish_at=incoming.publish_at,
            status=Post.Status.PUBLISHED if publish else Post.Status.DRAFT,
        )
        post.full_clean(validate_unique=False)
        seen.add(slug)
        result.append(post)
    return result


def add_posts(posts: Iterable[IncomingPost], *, publish: bool = False) -> list[Post]:
    """Create the posts the site lacks, as drafts unless ``publish``; return those created.

    Call it inside the caller's transaction: a failure then leaves no post behind.
    """
    created = new_posts(posts, publish=publish)
    for post in created:
        post.save()
    return created
