"""What "content with this tag" means, for the tag page and the tag feeds alike."""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet
from taggit.models import Tag

from cms.publishing.models import Publishable


def tagged_models() -> list[type[Publishable]]:
    """Every publishable model with tags, found by looking rather than by a list to keep."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and hasattr(model, "tags")
    ]


def live_with_tag(tag: Tag) -> list[tuple[type[Publishable], QuerySet]]:
    """Per kind of content, its live pages with ``tag`` (each caller picks fields and order)."""
    return [(model, model.objects.live().filter(tags=tag)) for model in tagged_models()]
