"""The stylesheet inlined in every page: its fonts' addresses made absolute, its CSP hash."""

import base64
import hashlib

import pytest

from cms import stylesheet


def test_relative_urls_become_static_urls_and_the_others_are_kept():
    css = (
        '@font-face { src: url("../fonts/a.woff2") format("woff2"); }\n'
        ".x { background: url(../img/b.svg); }\n"
        '.y { background: url("data:image/svg+xml,<svg/>"); mask: url(#m); }\n'
        ".z { background: url(/media/c.png), url('https://example.org/d.png'); }"
    )
    made = stylesheet.absolute_urls(css, "css/site.css")
    assert 'url("/static/fonts/a.woff2")' in made
    assert 'url("/static/img/b.svg")' in made
    assert 'url("data:image/svg+xml,<svg/>")' in made and "url(#m)" in made
    assert "url(/media/c.png)" in made and "url('https://example.org/d.png')" in made


def test_the_hash_is_the_sha256_of_the_text_pages_carry():
    css, source = stylesheet.stylesheet_with_hash()
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert source == f"'sha256-{digest}'"
    assert "../fonts/" not in css and '"/static/fonts/' in css


def test_pages_carry_the_rules_without_the_comments_or_the_indentation():
    css, _ = stylesheet.stylesheet_with_hash()
    source = stylesheet.stylesheet_source()
    assert "/*" in source and "/*" not in css and "\n  " not in css
    assert len(css) < len(source) * 0.85
    assert ".breadcrumbs" in css and "@font-face" in css


def test_a_stylesheet_that_would_close_its_style_element_is_refused(monkeypatch):
    monkeypatch.setattr(stylesheet, "stylesheet_source", lambda: "p{content:'</style>'}")
    with pytest.raises(ValueError, match="</"):
        stylesheet.stylesheet_with_hash()


def test_read_once_per_process_but_afresh_on_every_page_under_debug(monkeypatch, settings):
    reads = []
    monkeypatch.setattr(stylesheet, "stylesheet_source", lambda: reads.append(1) or "p{}")
    stylesheet.cached_stylesheet_with_hash.cache_clear()
    try:
        settings.DEBUG = False
        stylesheet.inline_stylesheet(), stylesheet.inline_stylesheet()
        assert len(reads) == 1
        settings.DEBUG = True
        stylesheet.inline_stylesheet(), stylesheet.inline_stylesheet()
        assert len(reads) == 3
    finally:
        stylesheet.cached_stylesheet_with_hash.cache_clear()
