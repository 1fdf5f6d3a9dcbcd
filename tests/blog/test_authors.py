"""A post's authors: staff accounts shown by full name, and guests' names as printed."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from blog.models import Post
from tests.factories import PostFactory, StaffAuthorFactory, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    post = PostFactory(title="Festival news", bylines="  Guest Writer \n\nSam O’Neil, Jr.\n")
    post.authors.add(
        StaffAuthorFactory(
            username="zoe-login-7q", first_name="Zoe", last_name="Zed", email="zoe@x.org"
        ),
        StaffAuthorFactory(
            username="ann-login-7q", first_name="Ann", last_name="Abbott", email="ann@x.org"
        ),
    )
    return post


NAMES = ["Ann Abbott", "Zoe Zed", "Guest Writer", "Sam O’Neil, Jr."]


def test_author_names_are_staff_by_surname_then_guests_as_written(post):
    assert post.author_names() == NAMES
    assert post.feed_author() == ", ".join(NAMES)


def test_a_staff_account_without_a_name_is_never_shown_by_its_login(post):
    nameless = StaffAuthorFactory(username="login-only", first_name="", last_name="")
    post.authors.add(nameless)
    assert post.author_names() == NAMES


@pytest.mark.parametrize("page", ["detail", "list"])
def test_pages_show_the_names_and_never_a_login_or_address(client, post, page):
    url = post.get_absolute_url() if page == "detail" else reverse("blog:list")
    html = client.get(url).content.decode()
    meta = BeautifulSoup(html, "html.parser").select_one("main .meta").get_text(" ", strip=True)
    assert "By Ann Abbott, Zoe Zed, Guest Writer, Sam O’Neil, Jr." in meta
    for private in ("@x.org", "login-7q"):
        assert private not in html


def test_a_post_without_authors_has_no_byline(client):
    post = PostFactory()
    meta = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    assert "By " not in meta.select_one("main .meta").get_text()


@pytest.mark.parametrize("name", ["blog:feed", "blog:feed-atom"])
def test_feeds_name_the_authors_without_their_addresses(client, post, name):
    xml = client.get(reverse(name)).content.decode()
    assert "Ann Abbott, Zoe Zed, Guest Writer, Sam O’Neil, Jr." in xml
    assert "@x.org" not in xml


def test_json_ld_names_each_author_as_a_person(client, post):
    soup = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    article = next(block for block in blocks if block.get("@type") == "Article")
    assert article["author"] == [{"@type": "Person", "name": name} for name in NAMES]
    assert "@x.org" not in str(blocks)


def test_json_ld_falls_back_to_the_organisation(client):
    post = PostFactory()
    soup = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    article = next(block for block in blocks if block.get("@type") == "Article")
    assert article["author"]["@type"] == "Organization"


def change_url(post: Post) -> str:
    return reverse("admin:blog_post_change", args=[post.pk])


def test_the_admin_picker_offers_named_staff_only_by_full_name(client):
    user_model = get_user_model()
    StaffAuthorFactory(username="ann", first_name="Ann", last_name="Abbott", email="a@x.org")
    StaffAuthorFactory(username="nameless", first_name="", last_name="")
    user_model.objects.create_user("reader", first_name="Rita", last_name="Reader")
    editor = make_editor()
    client.force_login(editor)
    response = client.get(change_url(PostFactory()))
    field = response.context["adminform"].form.fields["authors"]
    assert [label for _, label in field.choices] == ["Ann Abbott"]
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one("#id_authors")
    assert [label.get_text(strip=True) for label in box.select("label")] == ["Ann Abbott"]
    assert "a@x.org" not in response.content.decode()
    assert soup.select_one("textarea#id_bylines") is not None


def authors_form(post: Post, data: dict, editor=None):
    """The post admin's form, reduced to the byline fields, as an editor gets it."""
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get(change_url(post))
    request.user = editor or make_editor()
    model_admin = site._registry[Post]
    form_class = model_admin.get_form(request, post, fields=["title", "authors", "bylines"])
    return form_class(data, instance=post)


def test_an_editor_saves_staff_authors_and_bylines():
    ann = StaffAuthorFactory(first_name="Ann", last_name="Abbott")
    post = PostFactory(title="To sign")
    form = authors_form(
        post, {"title": "To sign", "authors": [ann.pk], "bylines": "Guest Writer\r\nOther Guest"}
    )
    assert form.is_valid(), form.errors
    form.save()
    post.refresh_from_db()
    assert post.author_names() == ["Ann Abbott", "Guest Writer", "Other Guest"]


def test_an_account_that_is_not_named_staff_is_refused_and_nothing_changes():
    reader = get_user_model().objects.create_user("reader", first_name="Rita", last_name="R")
    nameless = StaffAuthorFactory(first_name="", last_name="")
    post = PostFactory(title="Unsigned", bylines="Kept Guest")
    editor = make_editor()
    for account in (reader, nameless):
        data = {"title": "Changed", "authors": [account.pk], "bylines": "X"}
        form = authors_form(post, data, editor)
        assert not form.is_valid()
        assert "Select a valid choice" in str(form.errors["authors"])
    post.refresh_from_db()
    assert (post.title, post.bylines, list(post.authors.all())) == ("Unsigned", "Kept Guest", [])
