"""cms.related: an app shows its pages on another app's page without that app knowing it."""

import pytest

from cms import related
from films.models import Film
from tests.factories import FilmFactory, InterviewFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_the_film_page_shows_the_sections_the_apps_above_declared():
    film = FilmFactory()
    interview = InterviewFactory(film=film, search_description="About the film")
    post = PostFactory(related_film=film, dek="News of the film")
    sections = related.sections_about(film)
    assert [(s["heading"], s["anchor"]) for s in sections] == [
        ("Interviews", "interviews"),
        ("News", "news"),
    ]
    assert sections[0]["cards"] == [{"item": interview, "summary": "About the film"}]
    assert sections[1]["cards"] == [{"item": post, "summary": "News of the film"}]


def test_a_section_without_pages_is_left_out_but_its_feed_is_linked(client):
    film = FilmFactory()
    assert related.sections_about(film) == []
    assert related.feeds_about(film) == [
        {
            "title": f"Interviews: {film}",
            "url": f"/interviews/film/{film.slug}/feed/atom/",
            "type": "application/atom+xml",
        },
        {
            "title": f"Interviews: {film}",
            "url": f"/interviews/film/{film.slug}/feed/",
            "type": "application/rss+xml",
        },
    ]
    page = client.get(film.get_absolute_url()).content.decode()
    assert 'id="interviews-heading"' not in page
    assert f'href="/interviews/film/{film.slug}/feed/atom/"' in page


def test_registering_the_same_section_twice_shows_it_once():
    section = related.RelatedSection("Extra", "extra", pages=lambda film: [film], summary="title")
    try:
        related.register("films.Film", section)
        related.register("films.Film", section)
        film = FilmFactory(title="Shown once")
        extra = [s for s in related.sections_about(film) if s["anchor"] == "extra"]
        assert extra == [
            {
                "heading": "Extra",
                "anchor": "extra",
                "cards": [{"item": film, "summary": "Shown once"}],
            }
        ]
    finally:
        related._sections[Film._meta.label].remove(section)
