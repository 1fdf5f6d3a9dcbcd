"""Interview content for pages outside the interview app: home and other interviews."""

from django import template
from django.db.models import Case, Value, When

from interviews.models import Interview

register = template.Library()


@register.simple_tag
def featured_interview() -> Interview | None:
    """The newest live featured interview, or the newest live one if none is featured."""
    live = Interview.objects.live().for_cards()
    return live.order_by("-is_featured", "-publish_at", "-id").first()


@register.simple_tag
def latest_interviews(count: int = 4, exclude=None) -> list[Interview]:
    live = Interview.objects.live().for_cards()
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    return list(live[:count])


@register.simple_tag
def related_interviews(interview: Interview, count: int = 3) -> list[Interview]:
    """Other live interviews, those about the same film first, in one query."""
    same_film = Case(When(film_id=interview.film_id, then=Value(0)), default=Value(1))
    others = Interview.objects.live().exclude(pk=interview.pk).for_cards()
    return list(others.order_by(same_film, "-publish_at", "-id")[:count])
