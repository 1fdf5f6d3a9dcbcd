"""Anonymous viewers see only live content; staff preview the rest, marked and never cached."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import FilmFactory, InterviewFactory, PostFactory

NOT_LIVE = {
    "draft": {"status": "draft", "publish_at": None},
    "scheduled": {"publish_at": timezone.now() + timedelta(days=1)},
    "expired": {
        "publish_at": timezone.now() - timedelta(days=2),
        "expire_at": timezone.now() - timedelta(days=1),
    },
}
FACTORIES = [FilmFactory, InterviewFactory, PostFactory]


@pytest.mark.django_db
@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("state", NOT_LIVE)
def test_anonymous_viewers_get_404_for_content_that_is_not_live(client, factory, state):
    obj = factory(**NOT_LIVE[state])
    assert client.get(obj.get_absolute_url()).status_code == 404
    list_url = obj.get_absolute_url().rsplit("/", 2)[0] + "/"
    assert obj.title not in client.get(list_url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("state", NOT_LIVE)
def test_staff_preview_is_marked_noindex_and_never_cached(editor_client, factory, state):
    obj = factory(**NOT_LIVE[state])
    response = editor_client.get(obj.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not published" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_staff_see_live_pages_without_the_preview_banner(editor_client):
    post = PostFactory()
    response = editor_client.get(post.get_absolute_url())
    assert "Preview — not published" not in response.content.decode()
    assert not response.has_header("X-Robots-Tag")


@pytest.mark.django_db
def test_logged_in_users_who_are_not_staff_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x-long-password")
    client.force_login(user)
    post = PostFactory(status="draft", publish_at=None)
    assert client.get(post.get_absolute_url()).status_code == 404
