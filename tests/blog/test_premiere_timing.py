"""A post timed to its related film's premiere: on the pages, in the box, in the admin."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from films.models import Screening
from films.premieres import premiere_of
from tests.admin_forms import change_form_data
from tests.factories import FilmFactory, PostFactory, ScreeningFactory, at

PREMIERE = at(2027, 2, 26, 3)
SECOND = timedelta(seconds=1)


def premiere(film, starts_at=PREMIERE, **fields):
    return ScreeningFactory(
        film=film, kind=Screening.Kind.BROADCAST, venue="PBS", starts_at=starts_at, **fields
    )


def is_live(post, at) -> bool:
    return Post.objects.live(at).filter(pk=post.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [-48, 24])
def test_a_post_goes_live_n_hours_from_its_related_films_premiere(hours):
    film = FilmFactory()
    premiere(film)
    post = PostFactory(related_film=film, premiere_offset_hours=hours, publish_at=at(2020, 1, 1))
    go_live = PREMIERE + timedelta(hours=hours)

    assert not is_live(post, go_live - SECOND)
    assert is_live(post, go_live)
    assert Post.next_visibility_change(go_live - SECOND) == go_live


@pytest.mark.django_db
def test_a_post_follows_a_moved_premiere_and_hides_when_it_is_cancelled():
    film = FilmFactory()
    screening = premiere(film)
    post = PostFactory(related_film=film, premiere_offset_hours=-48, publish_at=at(2020, 1, 1))

    screening.starts_at = PREMIERE + timedelta(days=1)
    screening.save()
    assert not is_live(post, PREMIERE - timedelta(hours=48))
    assert is_live(post, PREMIERE - timedelta(hours=24))

    screening.status = Screening.Status.CANCELLED
    screening.save()
    assert not is_live(post, PREMIERE + timedelta(days=365))


@pytest.mark.django_db
def test_the_pages_and_the_box_show_a_timed_post_once_it_is_live(client):
    film = FilmFactory()
    premiere(film, starts_at=timezone.now() + timedelta(hours=1))
    out = PostFactory(title="Two hours before", related_film=film, premiere_offset_hours=-2)
    not_yet = PostFactory(title="Two hours after", related_film=film, premiere_offset_hours=2)

    assert client.get(out.get_absolute_url()).status_code == 200
    assert client.get(not_yet.get_absolute_url()).status_code == 404
    blog = client.get(reverse("blog:list")).content.decode()
    assert "Two hours before" in blog and "Two hours after" not in blog
    assert list(Post.objects.newest()) == [out]


@pytest.mark.django_db
def test_the_admin_refuses_an_offset_from_a_film_with_no_premiere(editor_client):
    film = FilmFactory(title="Never Sorry")
    premiere(film, status=Screening.Status.CANCELLED)
    post = PostFactory(related_film=film)
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = change_form_data(editor_client.get(url)) | {"premiere_offset_hours": "-48"}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["premiere_offset_hours"]
    assert "“Never Sorry” has no broadcast premiere" in errors["premiere_offset_hours"][0]
    assert Post.objects.get(pk=post.pk).premiere_offset_hours is None


@pytest.mark.django_db
def test_the_admin_accepts_an_offset_and_shows_when_the_post_goes_live(editor_client):
    film = FilmFactory()
    premiere(film)
    post = PostFactory(related_film=film)
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = change_form_data(editor_client.get(url)) | {"premiere_offset_hours": "-48"}

    assert editor_client.post(url, data).status_code == 302

    post.refresh_from_db()
    assert (post.premiere_offset_hours, post.publish_at) == (-48, PREMIERE - timedelta(hours=48))
    editor_client.cookies["editor_tz"] = "America/Los_Angeles"
    page = editor_client.get(url).content.decode()
    assert "Goes live at" in page and "Feb. 23, 2027, 7 p.m." in page


@pytest.mark.django_db
def test_the_demo_post_goes_live_48_hours_before_the_demo_films_premiere(demo):
    call_command("loaddata", "demo", verbosity=0)
    call_command("loaddata", "demo", verbosity=0)  # reloads without a duplicate

    post = Post.objects.get(premiere_offset_hours__isnull=False)
    go_live = premiere_of(post.related_film) - timedelta(hours=48)
    assert post.related_film.slug == "ai-weiwei-never-sorry"
    assert post.publish_at == go_live == at(2013, 2, 24, 3)  # the 10 PM premiere, 25 Feb 2013
    assert not is_live(post, go_live - SECOND)
    assert is_live(post, go_live)
