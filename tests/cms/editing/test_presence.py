"""Presence: who else has a page's form open, kept by a heartbeat, gone when it stops."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from cms.editing.models import Autosave, Presence
from tests.factories import PostFactory, make_editor


def change_url(post) -> str:
    return reverse("admin:blog_post_change", args=[post.pk])


def presence_url(post) -> str:
    return reverse("admin:blog_post_presence", args=[post.pk])


@pytest.fixture
def ann(db):
    user = make_editor("ann")
    user.first_name = "Ann"
    user.save()
    return user


@pytest.fixture
def ann_client(ann):
    client = Client()
    client.force_login(ann)
    return client


@pytest.mark.django_db
def test_opening_the_form_shows_who_else_has_it_open_and_since_when(
    editor_client, ann_client, editor
):
    post = PostFactory()
    ann_client.get(change_url(post))
    Presence.objects.update(started_at="2026-11-28T09:02:00+00:00")
    editor_client.cookies["editor_tz"] = "Europe/Berlin"
    page = editor_client.get(change_url(post)).content.decode()
    assert "Ann has been editing since" in page
    assert "10:02" in page
    assert Presence.objects.filter(user=editor).exists()  # the editor is present now too
    # Ann is not told about herself, but about the editor (no full name: the user name).
    assert "ed has been editing since" in ann_client.get(change_url(post)).content.decode()
    assert "Ann has been editing" not in ann_client.get(change_url(post)).content.decode()


@pytest.mark.django_db
def test_the_heartbeat_keeps_the_visit_and_answers_with_the_others(editor_client, ann_client):
    post = PostFactory()
    ann_client.post(presence_url(post))
    response = editor_client.post(presence_url(post))
    assert response.status_code == 200
    assert [text.split(" since ")[0] for text in response.json()["others"]] == [
        "Ann has been editing"
    ]


@pytest.mark.django_db
def test_a_visit_without_heartbeat_lapses_and_starts_again_later(
    editor_client, ann_client, ann, settings
):
    settings.CMS_PRESENCE_STALE_SECONDS = 90
    post = PostFactory()
    ann_client.post(presence_url(post))
    long_ago = timezone.now() - timedelta(seconds=91)
    Presence.objects.update(started_at=long_ago - timedelta(hours=1), seen_at=long_ago)
    assert editor_client.post(presence_url(post)).json()["others"] == []
    assert "Ann has been editing" not in editor_client.get(change_url(post)).content.decode()
    assert not Presence.objects.filter(user=ann).exists()  # lapsed visits are deleted
    ann_client.post(presence_url(post))
    assert Presence.objects.get(user=ann).started_at > long_ago  # "since" starts again


@pytest.mark.django_db
def test_a_heartbeat_within_the_stale_time_keeps_since(ann_client, ann, settings):
    settings.CMS_PRESENCE_STALE_SECONDS = 90
    post = PostFactory()
    ann_client.post(presence_url(post))
    earlier = timezone.now() - timedelta(seconds=60)
    Presence.objects.update(started_at=earlier - timedelta(minutes=20), seen_at=earlier)
    ann_client.post(presence_url(post))
    presence = Presence.objects.get(user=ann)
    assert presence.started_at == earlier - timedelta(minutes=20)
    assert presence.seen_at > earlier


@pytest.mark.django_db
def test_leaving_ends_the_visit_at_once(editor_client, ann_client, ann):
    post = PostFactory()
    ann_client.post(presence_url(post))
    assert ann_client.post(presence_url(post), {"leave": "1"}).status_code == 204
    assert not Presence.objects.filter(user=ann).exists()
    assert editor_client.post(presence_url(post)).json()["others"] == []


@pytest.mark.django_db
def test_heartbeat_needs_post_and_the_change_permission(client, editor_client):
    post = PostFactory()
    assert editor_client.get(presence_url(post)).status_code == 405
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.post(presence_url(post)).status_code == 403
    assert not Presence.objects.filter(user=viewer).exists()


@pytest.mark.django_db
def test_an_autosave_clears_autosaves_older_than_the_keeping_time(editor_client, ann, settings):
    settings.CMS_AUTOSAVE_KEEP_DAYS = 30
    old, recent = PostFactory(), PostFactory()
    content_type = ContentType.objects.get_for_model(Post)
    for post in (old, recent):
        Autosave.store(ann, content_type, post.pk, {"fields": {}, "labels": {}})
    Autosave.objects.filter(object_id=old.pk).update(saved_at=timezone.now() - timedelta(days=31))
    editor_client.post(
        reverse("admin:blog_post_autosave", args=[recent.pk]),
        '{"fields": {}}',
        content_type="application/json",
    )
    assert sorted(Autosave.objects.values_list("user__username", "object_id")) == [
        ("ann", recent.pk),
        ("ed", recent.pk),
    ]
