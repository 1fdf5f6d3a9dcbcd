"""Anything kept for as long as what it shows is unchanged: a part of a template, a feed's
body, a sitemap's.

``kept(key, build)`` serves what ``build()`` made before while the tokens of every public
row it loaded and every list it read (``keys``) are unchanged, one query, and not past the
next boundary of their models; else it builds afresh and keeps the result. ``{% fragment %}``
and ``{% page_part %}`` (``cms.templatetags.page_cache``) and ``kept_response`` are made of
it. A served value adds its keys to the page around it, so the page is emptied when the
value would be.

Each value also remembers a token of ``*`` (which every change replaces) under which it was
current. Once a request has read ``*`` for one value, any later value of the page kept
under that same token is served with no query: nothing at all changed since it was checked.

Each process also keeps the values it served lately in its own memory (``InProcess``), and
checks those before asking the cache server: their tokens are checked the same way, so a
copy another process's edit made out of date is never served.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from .cache import cache, guarded, seconds_to_keep
from .keys import record, recording
from .models import ContentVersion, version_seen

T = TypeVar("T")

# When the request being served began (set by the page cache's middleware): the moment its
# view's querysets read as "now". A part built later still shows that moment, so it is kept
# only until the first boundary after it, even one that came while the page was built.
page_started: ContextVar[datetime | None] = ContextVar("page_started", default=None)
# Parts every page shows, as this process last made them: (``*`` then, keys, value).
_site_wide: dict[str, tuple[str, frozenset[str], object]] = {}


def saw(version: str) -> None:
    """Note that this request read ``version`` of ``*``, for its later parts to rely on.

    Only inside a request the page cache began (``page_started``): elsewhere (a command, a
    task, a test rendering a template) nothing would forget it when another process saves.
    """
    if page_started.get() is not None:
        version_seen.set(version)


def seen() -> str | None:
    """The token of ``*`` this request read (``saw``), if any."""
    return version_seen.get() if page_started.get() is not None else None


@dataclass
class Kept:
    """A kept value: the tokens of what it showed, when it must go, and a token of ``*`` at
    which it was current (so was every other value current then)."""

    tokens: dict[str, str]
    expires_at: float
    value: object
    version: str = ""


class NotKept(Exception, Generic[T]):  # noqa: N818 - not an error: a value not to keep
    """Raised by a ``build`` whose value must be used once and not kept (a response other
    than a 200, a part holding a viewer's form token)."""

    def __init__(self, value: T) -> None:
        super().__init__()
        self.value = value


def kept_key(name: str, values: Iterable[str], request: HttpRequest | None) -> str:
    """The store's key for ``name`` and ``values``, per scheme and host (pages hold absolute
    addresses)."""
    parts = [name, *values]
    if request is not None:
        origin = getattr(request, "kept_origin", None)
        if origin is None:  # once per request: a page names several parts
            origin = request.kept_origin = f"{request.scheme}://{request.get_host()}"
        parts.append(origin)
    return "kept:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


class InProcess:
    """The kept values this process served lately, newest last, up to a number of bytes.

    Served as the cache server's copy would be (its tokens checked, or trusted under the
    ``*`` this request read), so it saves the trip and the unpickling, never a check. Only
    text and responses are held: their size is known.
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[str, tuple[Kept, int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        """The copy of ``key``, if there is one not past its boundary."""
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0].expires_at <= time.time():
                self._forget(key)
                return None
            self.entries.move_to_end(key)
            return found[0]

    def put(self, key: str, entry: Kept) -> None:
        limit = settings.CMS_KEPT_IN_PROCESS_BYTES
        size = size_of(entry.value)
        with self.lock:
            self._forget(key)
            if size is None or size > limit // 8:
                return
            self.entries[key] = (entry, size)
            self.size += size
            while self.size > limit:
                self._forget(next(iter(self.entries)))

    def forget(self, key: str) -> None:
        with self.lock:
            self._forget(key)

    def _forget(self, key: str) -> None:
        found = self.entries.pop(key, None)
        if found is not None:
            self.size -= found[1]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


def size_of(value: object) -> int | None:
    """Bytes ``value`` holds, near enough: text, or a kept response's parts; None: unknown."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, tuple):
        sizes = [size_of(part) if isinstance(part, str | bytes) else 64 for part in value]
        return sum(sizes) + 64 * len(value)
    return None


in_process = InProcess()


@receiver(setting_changed)
def forget_in_process(**kwargs) -> None:
    in_process.clear()


def kept(key: str, build: Callable[[], T], shows: Iterable[str] = ()) -> T:
    """``build()``, or what it made before while all it showed is unchanged (see the module).

    ``shows``: keys of what the value shows that ``build`` will not load (rows loaded before).
    """
    if not settings.CMS_FRAGMENT_CACHE_ENABLED:
        try:
            return build()
        except NotKept as refused:
            return refused.value
    mine = in_process.get(key)
    found = mine or stored(key)
    version = None
    while found is not None:
        if found.version == seen():
            # Current when ``*`` had the token this page read before: nothing changed since.
            return serve(key, found)
        tokens = ContentVersion.tokens({*found.tokens, ContentVersion.EVERYTHING})
        version = tokens.pop(ContentVersion.EVERYTHING)
        saw(version)
        if found.tokens and tokens == found.tokens:
            return serve(key, as_of(key, found, version))
        in_process.forget(key)
        if found is not mine:
            break
        # This process's copy is out of date: another process may have kept a newer one.
        out_of_date, mine = found.tokens, None
        found = stored(key)
        if found is not None and found.tokens == out_of_date:
            break  # the same value, just found out of date
    if version is None:
        version = ContentVersion.current()
        saw(version)
    started = page_started.get() or timezone.now()
    try:
        with recording() as keys:
            keys.update(shows)
            value = build()
    except NotKept as refused:
        return refused.value
    after = ContentVersion.tokens({*keys, ContentVersion.EVERYTHING})
    if after.pop(ContentVersion.EVERYTHING) != version:
        version_seen.set(None)  # something committed meanwhile: the page is of two versions
    else:
        seconds = seconds_to_keep(version, keys, built_from=started)
        if seconds > 0:
            entry = Kept(after, time.time() + seconds, value, version)
            guarded(lambda: cache().set(key, entry, seconds))
            in_process.put(key, entry)
    return value


def stored(key: str) -> Kept | None:
    """The cache server's copy of ``key``, if it has one not past its boundary."""
    found = guarded(lambda: cache().get(key))
    return found if isinstance(found, Kept) and found.expires_at > time.time() else None


def serve(key: str, found: Kept) -> T:
    """``found``'s value, its keys added to the page around it, the copy kept in process."""
    record(*found.tokens)
    in_process.put(key, found)
    return found.value  # type: ignore[return-value]


def as_of(key: str, found: Kept, version: str) -> Kept:
    """``found``, checked current under ``version`` of ``*``: marked so where it is kept,
    so the next page reading this ``*`` serves it with no query (its value never changes)."""
    seconds = found.expires_at - time.time()
    if found.version == version or seconds <= 1:
        return found
    revised = Kept(found.tokens, found.expires_at, found.value, version)
    guarded(lambda: cache().set(key, revised, seconds))
    return revised


def kept_site_wide(key: str, build: Callable[[], T]) -> T:
    """``build()`` for a part every page shows alike (the footer), made once per version.

    Any save anywhere moves ``*``. So when a part kept earlier on this page was checked
    against ``*``, what this process made under that same token is current: served with no
    query of its own. On a page with no kept part before it (search, a private link, a 404)
    it is an ordinary kept value: one query for its tokens, not the queries that build it.
    """
    version = seen()
    if version is None:
        return kept(kept_key(key, (), None), build)
    found = _site_wide.get(key)
    if found is not None and found[0] == version:
        record(*found[1])
        return found[2]  # type: ignore[return-value]
    with recording() as keys:
        value = build()
    _site_wide[key] = (version, frozenset(keys), value)
    return value


def kept_while_nothing_changes(key: str, build: Callable[[], T], store: BaseCache) -> T:
    """``build()`` for a value any public row may change: search results, whose words may
    match any page.

    Kept in ``store`` under the token of ``*``, which every change replaces, so any change at
    all makes it afresh; and never past the next boundary of any public model (a page going
    live or expiring, a screening starting). Served for one query, the token, which then
    also serves the site-wide parts of the page (``kept_site_wide``), and any value made
    within ``build`` (none when this request read the token already). The token is read
    from the database, so a store of one process's memory is as current as a shared one.
    """
    if not settings.CMS_FRAGMENT_CACHE_ENABLED:
        return build()
    version = seen()  # read for an earlier value of this page (or one around this one)
    if version is None:
        version = ContentVersion.current()
        saw(version)
    stored = f"{key}:{version}"
    found = guarded(lambda: store.get(stored))
    if isinstance(found, Kept) and found.expires_at > time.time():
        return found.value  # type: ignore[return-value]
    started = page_started.get() or timezone.now()
    value = build()
    if ContentVersion.current() != version:
        version_seen.set(None)  # something committed meanwhile: not kept
        return value
    seconds = seconds_to_keep(version, built_from=started)
    if seconds > 0:
        entry = Kept({}, time.time() + seconds, value)
        guarded(lambda: store.set(stored, entry, seconds))
    return value


def kept_response(request: HttpRequest, name: str, view: Callable[..., HttpResponse],
                  *args, **kwargs) -> HttpResponse:  # fmt: skip
    """``view``'s response, its body and headers kept per page address (``kept``).

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
        if not response.has_header("ETag"):
            # Hashed once here, not by ConditionalGetMiddleware at each serving: a large
            # body (a sitemap page of 1,000 addresses) would cost an MD5 per request.
            set_response_etag(response)
        return response.status_code, response.content, dict(response.headers)

    made = kept(kept_key(name, [page], request), build)
    if isinstance(made, HttpResponse):
        return made
    status, content, headers = made
    return HttpResponse(content, status=status, headers=headers)
