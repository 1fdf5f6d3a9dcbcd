"""The "From our blog" box: posts about the page's film first, then the newest."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post
from tests.factories import FilmFactory, InterviewFactory, PostFactory

pytestmark = pytest.mark.django_db


def posts_at(hours_ago: int, **fields) -> Post:
    return PostFactory(publish_at=timezone.now() - timedelta(hours=hours_ago), **fields)


def test_posts_about_the_film_come_first_then_the_newest():
    film = FilmFactory()
    newest, newer = posts_at(1, title="Newest"), posts_at(2, title="Newer")
    about_old = posts_at(100, title="About the film, old", related_film=film)
    about_new = posts_at(50, title="About the film, newer", related_film=film)
    assert list(Post.objects.newest(3, film=film)) == [about_new, about_old, newest]
    assert list(Post.objects.newest(3)) == [newest, newer, about_new]


def test_a_draft_about_the_film_is_never_shown():
    film = FilmFactory()
    newest = posts_at(1)
    PostFactory(related_film=film, status=Post.Status.DRAFT, publish_at=None)
    assert list(Post.objects.newest(1, film=film)) == [newest]


@pytest.mark.parametrize("about", [0, 1, 30])
def test_the_box_is_one_query_however_many_posts(about):
    film = FilmFactory()
    for n in range(about):
        posts_at(n + 1, related_film=film)
    posts_at(1)
    with CaptureQueriesContext(connection) as queries:
        list(Post.objects.newest(3, film=film))
    assert len(queries) == 1


def test_the_interview_page_starts_its_box_with_posts_about_its_film(client):
    interview = InterviewFactory()
    posts_at(1, title="Unrelated but newest")
    posts_at(200, title="About this very film", related_film=interview.film)
    page = client.get(interview.get_absolute_url()).content.decode()
    box = page[page.index('id="from-our-blog-heading"') :]
    assert box.index("About this very film") < box.index("Unrelated but newest")
