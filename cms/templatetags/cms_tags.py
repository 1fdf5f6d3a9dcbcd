"""Template helpers shared by every app."""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe

from cms import schema_org
from cms.fixed_urls import fixed_url
from cms.media.pictures import DEFAULT_WIDTHS, picture_html
from cms.richtext import plain_text
from cms.stylesheet import inline_stylesheet

register = template.Library()

# ``{% fixed_url name %}``: ``{% url name %}`` of a page whose address takes no arguments.
register.simple_tag(fixed_url)

_settings_generation = 0


@receiver(setting_changed)
def forget_unchanging_parts(**kwargs) -> None:
    global _settings_generation
    _settings_generation += 1


class UnchangingNode(template.Node):
    """A part made from settings and the values it names alone, rendered once per process."""

    def __init__(self, nodelist: template.NodeList, name: str, values: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values
        # Held by the node, so a template reloaded in development is rendered afresh.
        self.made: dict[tuple, SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        values = tuple(value.resolve(context) for value in self.values)
        key = (_settings_generation, get_urlconf(), get_script_prefix(), *values)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return made


@register.tag
def unchanging(parser: template.base.Parser, token: template.base.Token) -> UnchangingNode:
    """``{% unchanging "name" value ... %}...{% endunchanging %}``: the site's frame (its
    head links, its header), which shows no content and no viewer, made once per process
    for each set of ``value``s, the only things the part may vary by.

    The frame names a dozen addresses and static files on every page; rendering it each
    time was a fifth of a page whose content parts are kept. What varies per request (a
    preview's banner, the page's title) stays outside.
    """
    name, *values = token.split_contents()[1:]
    nodelist = parser.parse(("endunchanging",))
    parser.delete_first_token()
    return UnchangingNode(nodelist, name, [parser.compile_filter(value) for value in values])


@register.simple_tag
def site_stylesheet() -> str:
    """The site's stylesheet in a ``<style>`` element: no request stands before the first
    paint; the Content-Security-Policy allows it by hash (``cms.stylesheet``)."""
    return mark_safe(f"<style>{inline_stylesheet()[0]}</style>")  # noqa: S308 (our own file)


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """``url`` made absolute for this request; already-absolute URLs (object storage) pass."""
    return context["request"].build_absolute_uri(url)


@register.simple_tag
def picture(image, sizes: str = "100vw", widths: str = DEFAULT_WIDTHS, crop: str = "",
            css_class: str = "", load: str = "lazy") -> str:  # fmt: skip
    """A responsive ``<picture>`` of a library image (``cms.media.pictures``)."""
    return picture_html(image, sizes, widths, crop, css_class, load)


# A card's picture is as wide as its grid's column (site.css): 1.25rem page margins, columns
# 1.5rem apart, the page at most 72rem wide. ``.cards`` has columns of 16rem at least: two
# from 36rem, and from 53.5rem three or four, none wider than 22rem. ``.post-list`` has 20rem
# columns: two from 44rem, three of at most 23rem from 65.5rem. An article's ``aside`` is a
# column of 20rem beside it from 64rem, and below it before.
CARD_COLUMNS = {
    "cards": "(min-width: 53.5rem) 22rem, (min-width: 36rem) calc(50vw - 2rem)",
    "posts": "(min-width: 65.5rem) 23rem, (min-width: 44rem) calc(50vw - 2rem)",
    "aside": "(min-width: 64rem) 20rem",
}
ONE_COLUMN = "calc(100vw - 2.5rem)"
# Below 36rem a ``.card--row`` shows its picture this wide beside its text.
ROW_BELOW, ROW_PICTURE = "36rem", "7.5rem"


@register.simple_tag
def card_sizes(grid: str = "cards", row: bool = False) -> str:
    """The ``sizes`` of a card's picture in ``grid`` (``CARD_COLUMNS``), a row on a phone if
    ``row``: a browser picks the rendition before it lays the page out."""
    if not row:
        return f"{CARD_COLUMNS[grid]}, {ONE_COLUMN}"
    return f"{CARD_COLUMNS[grid]}, (min-width: {ROW_BELOW}) {ONE_COLUMN}, {ROW_PICTURE}"


# The most cards a grid shows side by side: ``.cards`` (16rem columns) in the 72rem page.
CARDS_IN_FIRST_ROW = 4


@register.filter
def card_loading(counter: int) -> str:
    """How the picture of the card at ``forloop.counter`` in a grid loads (``LOADING``).

    The first card's is first: on a phone it is the only one in view. The rest of a wide
    screen's first row load at once too, since any of them may be the largest painted and a
    lazy one waits for layout before it even starts; but not ahead of the first, whose bytes
    a phone would otherwise share with three pictures below the fold.
    """
    if counter == 1:
        return "first"
    return "eager" if counter <= CARDS_IN_FIRST_ROW else "lazy"


@register.simple_tag(takes_context=True)
def editor_dashboard(context) -> dict:
    """The signed-in editor's drafts, what goes out in the next week, what just went out."""
    from cms.publishing.dashboard import dashboard

    return dashboard(context["request"].user)


@register.inclusion_tag("includes/meta.html", takes_context=True)
def page_meta(context, title: str = "", description: str = "", image=None,
              kind: str = "website") -> dict:  # fmt: skip
    """Canonical URL, description, OpenGraph and Twitter card tags, for every page.

    The canonical URL is the page's address without its query string, except the number
    of a paginated list's page past the first. Pages without a usable image share the
    site's default card.
    """
    request = context["request"]
    canonical = request.build_absolute_uri(request.path)
    page_obj = context.get("page_obj")
    if context.get("is_paginated") and page_obj is not None and page_obj.number > 1:
        canonical += f"?page={page_obj.number}"
    description = plain_text(str(description or settings.SITE_TAGLINE))
    if len(description) > 300:
        description = description[:297].rsplit(" ", 1)[0] + "…"
    image_url = schema_org.image_url(request, image)
    return {
        "canonical": canonical,
        "title": title or settings.SITE_NAME,
        "description": description,
        "kind": kind,
        "image_url": image_url or schema_org.default_image_url(request),
        "image_alt": image.alt_text if image_url else settings.SITE_NAME,
        "card": "summary_large_image" if image_url else "summary",
        "site_name": settings.SITE_NAME,
        "is_preview": context.get("is_preview", False),
    }


@register.simple_tag
def json_ld(data: dict) -> str:
    return schema_org.script(data)
