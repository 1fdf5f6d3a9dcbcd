"""The site's stylesheet, inlined in each page's head so the first paint waits for no request.

On a phone's network a ``<link rel="stylesheet">`` costs a round trip before anything is
drawn (Lighthouse's render-blocking audit, issue 17). The stylesheet is small (21 KB minified,
about 6 KB compressed, sent with the page's own compression), so every public page carries it in one
``<style>`` element, which the Content-Security-Policy allows by its SHA-256 hash, never by
``'unsafe-inline'``. The text and its hash are made once per process, so a page the page
cache stored stays valid for as long as the process that serves it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import posixpath
import re

import rcssmin
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

STYLESHEET = "css/site.css"

# A relative ``url(...)``: the fonts. Absolute URLs, data: URIs and fragments are kept.
RELATIVE_URL = re.compile(r"""url\((["']?)(?![a-z]+:|/|#)([^"')]+)\1\)""", re.I)


def stylesheet_source(name: str = STYLESHEET) -> str:
    """The stylesheet as written (from the static folders, or as collected if they are gone)."""
    found = finders.find(name)
    if found:
        with open(found, encoding="utf-8") as source:
            return source.read()
    with staticfiles_storage.open(name) as collected:
        return collected.read().decode("utf-8")


def absolute_urls(css: str, name: str = STYLESHEET) -> str:
    """``css`` with each relative ``url()`` replaced by its static URL (hashed in production).

    Inlined in a page, a relative URL would resolve against the page's address.
    """
    folder = posixpath.dirname(name)

    def absolute(match: re.Match) -> str:
        path = posixpath.normpath(posixpath.join(folder, match.group(2)))
        return f'url("{static(path)}")'

    return RELATIVE_URL.sub(absolute, css)


def inline_stylesheet() -> tuple[str, str]:
    """The stylesheet's text ready for a ``<style>`` element, and its CSP source expression.

    Made once per process; read afresh on every page under ``DEBUG``, so an edit to the
    stylesheet shows on the next reload while developing.
    """
    return stylesheet_with_hash() if settings.DEBUG else cached_stylesheet_with_hash()


def stylesheet_with_hash() -> tuple[str, str]:
    # Minified: every page carries it, and its comments' words must not read as the page's.
    css = absolute_urls(rcssmin.cssmin(stylesheet_source()))
    if "</" in css:
        raise ValueError(f"{STYLESHEET} holds '</', which would end its <style> element early")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


cached_stylesheet_with_hash = functools.cache(stylesheet_with_hash)
