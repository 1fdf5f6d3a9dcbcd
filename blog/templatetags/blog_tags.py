"""Blog content for pages outside the blog: the "From our blog" box."""

from django import template

from blog.models import Post

register = template.Library()


@register.inclusion_tag("blog/includes/from_our_blog.html")
def from_our_blog(count: int = 3, film=None) -> dict:
    """The latest live posts, those about ``film`` (the page's film, if any) first."""
    return {"posts": Post.objects.newest(count, film=film)}
