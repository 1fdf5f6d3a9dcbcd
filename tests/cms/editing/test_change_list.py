"""The change list names the pages other editors have open, at a constant cost."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from blog.models import Post
from cms.editing.models import Presence
from tests.factories import PostFactory, make_editor

LIST_URL = "admin:blog_post_changelist"


def open_by(user, *posts) -> None:
    content_type = ContentType.objects.get_for_model(Post)
    for post in posts:
        Presence.beat(user, content_type, post.pk)


@pytest.mark.django_db
def test_the_list_names_pages_open_in_another_editors_form(editor_client, editor):
    open_page, closed_page = PostFactory(title="Open one"), PostFactory(title="Closed one")
    ann = make_editor("ann")
    open_by(ann, open_page)
    open_by(editor, closed_page)  # the editor's own visit is not news to them
    page = editor_client.get(reverse(LIST_URL)).content.decode()
    notice = page[page.index('id="cms-open-by-others"') :]
    notice = notice[: notice.index("</div>")]
    assert "Open one" in notice and "ann has been editing since" in notice
    assert reverse("admin:blog_post_change", args=[open_page.pk]) in notice
    assert "Closed one" not in notice


@pytest.mark.django_db
def test_no_notice_when_nobody_else_is_editing(editor_client):
    PostFactory()
    assert 'id="cms-open-by-others"' not in editor_client.get(reverse(LIST_URL)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("pages", [1, 6])
def test_the_lists_queries_do_not_grow_with_pages_or_editors(
    editor_client, django_assert_num_queries, pages
):
    posts = [PostFactory() for _ in range(pages)]
    for number in range(pages):
        open_by(make_editor(f"colleague{number}"), *posts)
    editor_client.get(reverse(LIST_URL))  # content types and sessions warmed up
    with django_assert_num_queries(LIST_QUERIES):
        response = editor_client.get(reverse(LIST_URL))
    assert response.content.decode().count("has been editing since") == pages * pages


# Session, user, permissions ×2, filter choices (films, tags), counts ×2, the page of rows,
# the date hierarchy ×2 ... and ONE for the presences of every listed page, whoever is there.
LIST_QUERIES = 14
