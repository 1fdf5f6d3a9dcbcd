"""Share links: a draft shown to someone without an account, until expiry or revocation."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.publishing.models import ShareLink
from tests.factories import InterviewFactory, PostFactory


@pytest.fixture
def draft(db):
    return InterviewFactory(title="Embargoed conversation", status="draft", publish_at=None)


def create_link(editor_client, obj, days: int = 3) -> ShareLink:
    url = reverse("admin:interviews_interview_share", args=[obj.pk])
    response = editor_client.post(url, {"action": "create", "days": days, "note": "the lawyer"})
    assert response.status_code == 302
    return ShareLink.objects.get()


@pytest.mark.django_db
def test_a_share_link_shows_the_latest_saved_draft_without_an_account(editor_client, draft):
    link = create_link(editor_client, draft)
    assert link.created_by.username == "ed" and link.note == "the lawyer"
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)
    page = editor_client.get(reverse("admin:interviews_interview_share", args=[draft.pk]))
    assert f"/share/{link.token}/" in page.content.decode()

    viewer = Client()
    assert viewer.get(draft.get_absolute_url()).status_code == 404  # still a draft
    draft.title = "Embargoed conversation, corrected"
    draft.save()
    response = viewer.get(link.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed conversation, corrected" in html
    assert "Preview — not published" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("breakage", ["expired", "revoked", "tampered", "deleted"])
def test_a_dead_link_answers_404_and_reveals_nothing(editor_client, draft, breakage):
    link = create_link(editor_client, draft)
    token = link.token
    match breakage:
        case "expired":
            ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        case "revoked":
            url = reverse("admin:interviews_interview_share", args=[draft.pk])
            editor_client.post(url, {"action": "revoke", "link": link.pk})
            assert ShareLink.objects.get().revoked_at is not None
        case "tampered":
            token = token[:-1] + ("A" if token[-1] != "A" else "B")
        case "deleted":
            draft.delete()
    response = Client().get(reverse("share", kwargs={"token": token}))
    assert response.status_code == 404
    assert "Embargoed" not in response.content.decode()


@pytest.mark.django_db
def test_a_link_opens_only_its_own_page(editor_client, draft):
    link = create_link(editor_client, draft)
    other = InterviewFactory(title="Another draft", status="draft", publish_at=None)
    viewer = Client()
    assert viewer.get(link.get_absolute_url()).status_code == 200
    assert viewer.get(other.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_share_days_must_be_sensible(editor_client, draft):
    url = reverse("admin:interviews_interview_share", args=[draft.pk])
    for days in ("0", "-3", "abc", "1000"):
        response = editor_client.post(url, {"action": "create", "days": days})
        assert response.status_code == 200
    assert not ShareLink.objects.exists()


@pytest.mark.django_db
def test_viewers_without_change_permission_cannot_share(client, django_user_model):
    post = PostFactory(status="draft", publish_at=None)
    staff = django_user_model.objects.create_user("s", password="x-long-password", is_staff=True)
    client.force_login(staff)
    response = client.post(reverse("admin:blog_post_share", args=[post.pk]), {"action": "create"})
    assert response.status_code in (403, 404)
    assert not ShareLink.objects.exists()


def test_robots_keeps_share_links_out(client):
    assert "Disallow: /share/" in client.get("/robots.txt").content.decode()


@pytest.mark.django_db
def test_revoking_with_a_garbled_link_id_changes_nothing(editor_client):
    interview = InterviewFactory(status="draft", publish_at=None)
    url = reverse("admin:interviews_interview_share", args=[interview.pk])
    editor_client.post(url, {"action": "create", "days": 2})
    response = editor_client.post(url, {"action": "revoke", "link": "abc"})
    assert response.status_code == 302
    assert ShareLink.objects.get().revoked_at is None
