"""Blog content for pages outside the blog (the "From our blog" box), and parts of its own."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from blog import schema_org
from blog.models import Post
from cms.schema_org import script
from films.schema_org import video_objects

register = template.Library()


@register.inclusion_tag("blog/includes/from_our_blog.html")
def from_our_blog(count: int = 3, film=None) -> dict:
    """The latest live posts, those about ``film`` (the page's film, if any) first."""
    return {"posts": Post.objects.newest(count, film=film)}


@register.simple_tag(takes_context=True)
def post_structured_data(context: template.Context, post: Post) -> SafeString:
    """The post's ``Article`` and its video's ``VideoObject`` as JSON-LD script elements.

    Made by the template, inside the head's kept part, rather than by the view: a page whose
    head is kept loads none of the authors, tags and film it names.
    """
    request = context["request"]
    data = [schema_org.article(post, request), *video_objects([post.shown_video()], request)]
    return mark_safe("\n  ".join(script(item) for item in data))  # each escaped by script()
