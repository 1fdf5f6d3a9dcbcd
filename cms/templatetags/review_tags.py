"""The reviewers' queue on the admin dashboard."""

from __future__ import annotations

from django import template

from cms.publishing.dashboard import admin_url, publishable_models
from cms.publishing.review import Review, may_approve

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context) -> list[dict] | None:
    """Pages waiting for review that the signed-in user may approve, oldest first; None for
    someone who approves nothing (the dashboard then leaves the section out)."""
    user = context["request"].user
    if not any(may_approve(user, model) for model in publishable_models()):
        return None
    return [
        {"review": review, "item": review.page, "kind": review.page._meta.verbose_name,
         "url": admin_url(review.page)}
        for review in Review.objects.queue_for(user)
    ]  # fmt: skip
