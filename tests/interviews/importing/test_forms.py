"""The reference article and generated articles, in every text and HTML form, parse alike."""

import pytest
from hypothesis import HealthCheck, given, settings

from interviews.importing.html_page import parse_html
from interviews.importing.plain_text import parse_text
from tests.interviews.importing.articles import (
    ALL_FORMS,
    articles,
    expected,
    reference_article,
    render,
    structure,
)


@pytest.mark.parametrize("form", ALL_FORMS)
def test_reference_article_in_every_form_gives_the_same_structure(form):
    article = reference_article()
    source = render(article, form)
    parsed = parse_html(source) if form.startswith("html") else parse_text(source)
    assert structure(parsed) == expected(article)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles())
@pytest.mark.parametrize("form", ALL_FORMS)
def test_generated_articles_round_trip_through_every_form(form, article):
    source = render(article, form)
    parsed = parse_html(source) if form.startswith("html") else parse_text(source)
    assert structure(parsed) == expected(article)
