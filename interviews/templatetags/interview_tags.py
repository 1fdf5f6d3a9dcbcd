"""Interview content for pages outside the interview app (home), and parts of its own page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from cms.schema_org import script
from films.schema_org import video_objects
from interviews import schema_org
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
    """Other live interviews, those about the same film first (``related_to``)."""
    return Interview.objects.related_to(interview, count)


@register.simple_tag(takes_context=True)
def interview_structured_data(context: template.Context, interview: Interview) -> SafeString:
    """The page's ``Article`` and its video's ``VideoObject`` as JSON-LD script elements.

    Made by the template, inside the head's kept part, rather than by the view: a page whose
    head is kept loads none of the people, tags and credits it names.
    """
    request = context["request"]
    data = [schema_org.article(interview, request)]
    data += video_objects([interview.shown_video()], request)
    return mark_safe("\n  ".join(script(item) for item in data))  # each escaped by script()
