"""What every feed of publishable pages shares (dates, categories, the hero image), and the
view that keeps each feed's body rendered for as long as what it lists is unchanged."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from cms.page_cache.cache import cache, guarded, seconds_to_keep
from cms.page_cache.keys import record, recording
from cms.page_cache.models import ContentVersion

T = TypeVar("T")


@dataclass
class Kept:
    """A value kept by ``kept``: the tokens of what it showed, and when it must go."""

    tokens: dict[str, str]
    expires_at: float
    value: object


class PublishableFeedMixin:
    limit = 30
    summary = ""

    def summary_text(self, obj) -> str:
        """The feed's one-line summary as plain text; feeds about one thing override it."""
        return self.summary

    def description(self, obj) -> str:
        """RSS readers take a channel's description as HTML: names in it are escaped."""
        return escape(self.summary_text(obj))

    def subtitle(self, obj) -> str:
        return self.summary_text(obj)  # an Atom subtitle is plain text (no type attribute)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.feed_description()

    def item_author_name(self, item) -> str:
        return item.feed_author()

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        """The hero image, when viewers may see it, as a media enclosure."""
        from django.utils.feedgenerator import Enclosure

        image = item.image
        if image is None or not image.is_usable:
            return []
        try:
            size = image.file.size
        except OSError:
            return []
        mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                "webp": "image/webp", "avif": "image/avif", "gif": "image/gif"}  # fmt: skip
        kind = mime.get(image.file.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        return [Enclosure(self.request.build_absolute_uri(image.url), str(size), kind)]

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def feed_copyright(self) -> str:
        return settings.SITE_NAME


def kept(name: str, values: list, request: HttpRequest, build: Callable[[], T]) -> T:
    """``build()``, kept per ``name``, ``values`` (strings) and host, and per version of all it
    loads.

    What ``{% fragment %}`` does for a part of a template, for any value that pickles (a
    feed's body, a sitemap's): served while the tokens of every row and list ``build`` read
    are unchanged (one query) and not past the next boundary of their models. An exception
    from ``build`` (a 404) keeps nothing.
    """
    if not settings.CMS_FRAGMENT_CACHE_ENABLED:
        return build()
    address = f"{request.scheme}://{request.get_host()}"
    named = "|".join([name, *(str(value) for value in values), address])
    key = "kept:" + hashlib.sha256(named.encode()).hexdigest()
    found = guarded(lambda: cache().get(key))
    known = found.tokens if isinstance(found, Kept) else {}
    tokens = ContentVersion.tokens({*known, ContentVersion.EVERYTHING})
    version = tokens.pop(ContentVersion.EVERYTHING)
    if known and tokens == known and found.expires_at > time.time():
        record(*known)
        return found.value
    with recording() as keys:
        value = build()
    after = ContentVersion.tokens({*keys, ContentVersion.EVERYTHING})
    if after.pop(ContentVersion.EVERYTHING) == version:  # nothing committed meanwhile
        seconds = seconds_to_keep(version, keys)
        if seconds > 0:
            entry = Kept(after, time.time() + seconds, value)
            guarded(lambda: cache().set(key, entry, seconds))
    return value


def kept_response(request: HttpRequest, name: str, view: Callable[..., HttpResponse],
                  *args, **kwargs) -> HttpResponse:  # fmt: skip
    """``view``'s response, its body and headers kept (``kept``) per page address.

    Only for a page any viewer is shown alike (``request.page_key``, set by the page cache
    for anonymous GETs of cacheable views); a response other than a 200 is never kept.
    """
    page = getattr(request, "page_key", None)
    if page is None:
        return view(request, *args, **kwargs)

    def build() -> tuple[int, bytes, dict[str, str]]:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.streaming or response.cookies:
            raise NotKept(response)
        return response.status_code, response.content, dict(response.headers)

    try:
        status, content, headers = kept(name, [page], request, build)
    except NotKept as refused:
        return refused.response
    return HttpResponse(content, status=status, headers=headers)


class NotKept(Exception):  # noqa: N818 - not an error: a response to send as it is
    """A response ``kept_response`` sends without keeping (not a 200)."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def feed_view(feed_class: type[Feed]):
    """A view making one feed object per request (feeds here keep the request on ``self``),
    its body kept rendered for as long as what it lists is unchanged (``kept_response``)."""

    def make(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return feed_class()(request, *args, **kwargs)

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return kept_response(request, "feed", make, *args, **kwargs)

    view.feed_class = feed_class
    return view
