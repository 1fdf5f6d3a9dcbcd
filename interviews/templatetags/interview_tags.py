"""Interview content for pages outside the interview app: home and film pages."""

from django import template

from interviews.models import Interview

register = template.Library()


@register.simple_tag
def featured_interview() -> Interview | None:
    """The newest live featured interview, or the newest live one if none is featured."""
    live = Interview.objects.live().for_listing()
    return live.order_by("-is_featured", "-publish_at", "-id").first()


@register.simple_tag
def latest_interviews(count: int = 4, exclude=None) -> list[Interview]:
    live = Interview.objects.live().for_listing()
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    return list(live[:count])


@register.simple_tag
def interviews_about(film) -> list[Interview]:
    """Live interviews about a film."""
    return list(Interview.objects.live().filter(film=film).for_listing()[:12])


@register.simple_tag
def related_interviews(interview: Interview, count: int = 3) -> list[Interview]:
    """Other live interviews about the same film, else the newest other ones."""
    others = Interview.objects.live().for_listing().exclude(pk=interview.pk)
    if interview.film_id:
        same_film = list(others.filter(film_id=interview.film_id)[:count])
        if same_film:
            return same_film
    return list(others[:count])
