"""The kept parts of the site-wide and blog pages, feeds and sitemaps: an edit of
anything shown inside a kept part shows on the next view, and no viewer's state is kept."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import FilmFactory, InterviewFactory, PostFactory

pytestmark = pytest.mark.django_db


def seen_after_edit(client, address: str, row, field: str = "title") -> None:
    """View ``address`` twice (the second from the kept part), rename ``row``, view again."""
    old = getattr(row, field)
    client.get(address)
    assert old in client.get(address).content.decode()
    setattr(row, field, "Renamed by an editor")
    row.save()
    page = client.get(address).content.decode()
    assert "Renamed by an editor" in page and old not in page


def test_home_shows_an_edit_of_its_featured_interview(client):
    seen_after_edit(client, "/", InterviewFactory(is_featured=True))


def test_the_blog_list_shows_an_edited_post(client):
    seen_after_edit(client, "/blog/", PostFactory())


def test_a_post_page_shows_an_edit_of_its_film(client):
    post = PostFactory(related_film=FilmFactory())
    seen_after_edit(client, post.get_absolute_url(), post.related_film)


def test_a_post_page_shows_its_own_edit_in_the_head_too(client):
    post = PostFactory(title="Old title")
    seen_after_edit(client, post.get_absolute_url(), post)


def test_a_tag_page_shows_an_edit_and_is_a_404_once_nothing_live_has_the_tag(client):
    post = PostFactory()
    post.tags.add("shared")
    seen_after_edit(client, "/tags/shared/", post)
    post.tags.clear()
    assert client.get("/tags/shared/").status_code == 404


def test_feeds_show_an_edited_post(client):
    seen_after_edit(client, "/blog/feed/", PostFactory())


def test_a_tag_feed_shows_an_edited_post(client):
    post = PostFactory()
    post.tags.add("shared")
    seen_after_edit(client, "/tags/shared/feed/atom/", post)


def test_a_sitemap_lists_a_new_post_at_once(client):
    client.get("/sitemap-news.xml")
    post = PostFactory()
    assert post.get_absolute_url() in client.get("/sitemap-news.xml").content.decode()
    post.slug = "moved-elsewhere"
    post.save()
    assert "/blog/moved-elsewhere/" in client.get("/sitemap-news.xml").content.decode()


def test_a_staff_viewer_gets_the_page_made_for_them_and_leaves_nothing_kept(client):
    post = PostFactory()
    staff = get_user_model().objects.create_user("ed", password="x", is_staff=True)
    client.force_login(staff)
    assert post.title in client.get("/blog/").content.decode()
    client.logout()
    post.title = "Renamed by an editor"
    post.save()
    assert "Renamed by an editor" in client.get("/blog/").content.decode()
