"""Saved HTML pages: the article without the site around it, its markup kept safe."""

import pytest

from interviews.importing.article import ArticleError
from interviews.importing.html_page import parse_html


def test_html_without_any_title_is_refused():
    with pytest.raises(ArticleError, match="No title"):
        parse_html("<html><body><p>Why? Because.</p></body></html>")


def test_html_keeps_safe_inline_markup_in_answers():
    parsed = parse_html(
        "<h1>T</h1><p><strong>Q one?</strong></p>"
        "<p>See <a href='https://example.org' onclick='x()'>this</a> <em>now</em>.</p>"
        "<p><strong>Q two?</strong> Plain.</p>"
    )
    assert parsed.pairs[0].answer_html == (
        '<p>See <a href="https://example.org" rel="noopener noreferrer">this</a> <em>now</em>.</p>'
    )


def test_a_bare_blog_heading_before_the_article_does_not_swallow_it():
    parsed = parse_html(
        "<body><p>From our blog</p><p>Old news</p><p>June 1, 2023</p><p>Excerpt.</p>"
        "<h1>The title</h1><p>Why? Because.</p></body>"
    )
    assert parsed.title == "The title"
    assert [p.question for p in parsed.pairs] == ["Why?"]
