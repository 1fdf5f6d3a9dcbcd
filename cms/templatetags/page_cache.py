"""``{% fragment %}``: a part of a page kept rendered for as long as what it shows is unchanged.

    {% load page_cache %}
    {% fragment "interview-body" interview %} ... {% endfragment %}

The HTML is kept in the page cache's store under the fragment's name, the keys of the
objects named (and the host and scheme, for absolute addresses), with the tokens of every
key recorded while it rendered: each public row loaded and each list read
(``cms.page_cache.keys``), and the objects named with the rows loaded with them before the
block began (its hero picture, its film). Served only while those tokens are unchanged (one
query) and not past the next boundary of the models it shows, so an edit of any row shown
inside (a pair, a figure, its picture, the film) makes it render afresh. A served fragment
adds its keys to the page around it, so the page is emptied when the fragment would be.
Like ``{% page_part %}``, it is kept and served only on a page any viewer is shown alike (an
anonymous GET of a cacheable view): a preview or a share link renders the same objects with
other addresses.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString, mark_safe

from cms.page_cache.kept import NotKept, kept, kept_key, kept_site_wide
from cms.page_cache.keys import keys_of, object_key

register = template.Library()
CSRF_USED = "CSRF_COOKIE_NEEDS_UPDATE"  # set by django.middleware.csrf.get_token


def fragment_key(name: str, values: list, context: template.Context) -> str:
    named = [object_key(value) if isinstance(value, models.Model) else repr(value)
             for value in values]  # fmt: skip
    return kept_key(f"fragment:{name}", named, context.get("request"))


def shown_with(instance: models.Model, depth: int = 2) -> set[str]:
    """The keys of ``instance`` and of the rows already loaded with it (``select_related``,
    a followed foreign key, ``prefetch_related``): the fragment shows them, yet loads none.
    """
    found = set(keys_of(instance))
    if depth == 0:
        return found
    related = [*instance._state.fields_cache.values()]
    for rows in getattr(instance, "_prefetched_objects_cache", {}).values():
        related += list(rows)
    for row in related:
        if isinstance(row, models.Model):
            found |= shown_with(row, depth - 1)
    return found


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name, values: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def key(self, context: template.Context, values: list) -> str | None:
        """None (render afresh, keep nothing) unless the page is one any viewer is shown
        alike: a preview or share link renders the same objects with other addresses."""
        if getattr(context.get("request"), "page_key", None) is None:
            return None
        return fragment_key(str(self.name.resolve(context)), values, context)

    def may_keep(self, context: template.Context) -> bool:
        return True

    def render(self, context: template.Context) -> SafeString:
        if not settings.CMS_FRAGMENT_CACHE_ENABLED:
            return self.nodelist.render(context)
        values = [value.resolve(context) for value in self.values]
        key = self.key(context, values)
        if key is None:
            return self.nodelist.render(context)
        shown: set[str] = set()
        for value in values:
            if isinstance(value, models.Model):
                shown |= shown_with(value)

        def build() -> str:
            html = str(self.nodelist.render(context))
            if not self.may_keep(context):
                raise NotKept(html)
            return html

        return mark_safe(kept(key, build, shown))  # noqa: S308 - this template's, escaped


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """``{% fragment "name" object ... %}...{% endfragment %}``; see the module."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name, then what it shows.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]),
                        [parser.compile_filter(bit) for bit in bits[2:]])  # fmt: skip


class PagePartNode(FragmentNode):
    """A fragment keyed by the page's own address, kept only where any viewer sees the same."""

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is not None:
            request.META.pop(CSRF_USED, None)
        return super().render(context)

    def may_keep(self, context: template.Context) -> bool:
        """Not if it holds this viewer's form token (a form slipped into a shared page)."""
        return not context["request"].META.get(CSRF_USED)

    def key(self, context: template.Context, values: list) -> str | None:
        request = context.get("request")
        page = getattr(request, "page_key", None)
        if page is None:
            return None  # a signed-in editor, a form, a preview: built for this request only
        return fragment_key(str(self.name.resolve(context)), [page], context)


@register.tag
def page_part(parser: template.base.Parser, token: template.base.Token) -> PagePartNode:
    """``{% page_part "main" object ... %}...{% endpage_part %}``: a part of a public page kept
    per page address and per version of what it shows (the objects named, and all it loads).

    For the body of a page whose view is cached (``cms.page_cache``): an anonymous GET, its
    key the page's (scheme, host, path and the parameters the view reads). Elsewhere it is
    rendered every time.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% page_part %} needs a name.")
    nodelist = parser.parse(("endpage_part",))
    parser.delete_first_token()
    return PagePartNode(nodelist, parser.compile_filter(bits[1]),
                        [parser.compile_filter(bit) for bit in bits[2:]])  # fmt: skip


class SiteWideNode(template.Node):
    """A part every page shows alike (``kept_site_wide``): usually no query of its own."""

    def __init__(self, nodelist: template.NodeList, name) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> SafeString:
        if not settings.CMS_FRAGMENT_CACHE_ENABLED:
            return self.nodelist.render(context)
        key = f"site-wide:{self.name.resolve(context)}"
        html = kept_site_wide(key, lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308 - this template's own output, escaped


@register.tag
def site_wide(parser: template.base.Parser, token: template.base.Token) -> SiteWideNode:
    """``{% site_wide "name" %}...{% endsite_wide %}``: the same on every page (a footer)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% site_wide %} takes one name.")
    nodelist = parser.parse(("endsite_wide",))
    parser.delete_first_token()
    return SiteWideNode(nodelist, parser.compile_filter(bits[1]))
