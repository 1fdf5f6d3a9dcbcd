"""schema.org description of a news post: an ``Article``, about its film when it has one."""

from __future__ import annotations

from django.http import HttpRequest

from cms.richtext import plain_text
from cms.schema_org import CONTEXT, absolute, image_url, iso, organization
from films.schema_org import movie

from .models import Post


def article(post: Post, request: HttpRequest) -> dict:
    film = post.live_related_film
    authors = [{"@type": "Person", "name": name} for name in post.author_names()]
    return {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": post.title[:110],
        "description": plain_text(post.search_description or post.dek or post.body)[:300],
        "url": absolute(request, post.get_absolute_url()),
        "mainEntityOfPage": absolute(request, post.get_absolute_url()),
        "datePublished": iso(post.publish_at),
        "dateModified": iso(post.updated_at),
        "author": authors or organization(request),
        "publisher": organization(request),
        "image": image_url(request, post.image),
        "about": movie(film, request, summary=True) if film else None,
        "keywords": ", ".join(tag.name for tag in post.shown_tags()),
        "articleSection": "News",
    }
