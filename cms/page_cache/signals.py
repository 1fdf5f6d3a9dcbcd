"""Saves, deletions and many-to-many changes of public content, told to the page cache."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import PublicContent, content_changed


def changed(sender, using: str | None = None, action: str = "", **kwargs) -> None:
    if action.startswith("pre_"):
        return  # a many-to-many change is announced twice; its "post_" signal counts
    content_changed(using)


def watch(model: type[models.Model]) -> None:
    """Follow the saves, deletions and many-to-many changes of ``model``'s rows."""
    for signal in (post_save, post_delete):
        signal.connect(changed, sender=model, dispatch_uid=f"page-cache-{model._meta.label}")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"page-cache-{through}")


def public_content_models() -> list[type[PublicContent]]:
    return [model for model in apps.get_models() if issubclass(model, PublicContent)]


def watch_public_content() -> None:
    """Follow every ``PublicContent`` model, whichever app defines it (once apps are ready)."""
    for model in public_content_models():
        watch(model)
