"""Every role × every action, through the admin's forms, bulk actions and review steps.

Refused actions must leave the stored page exactly as it was.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.publishing.permissions import ROLE_GROUPS
from cms.publishing.review import Review
from interviews.models import Interview
from tests.admin_forms import change_form_data, interview_form
from tests.cms.publishing.roles import ROLES, make_user
from tests.factories import FilmFactory, InterviewFactory

pytestmark = pytest.mark.django_db

# Who may do what: the matrix the issue asks for (True: allowed).
ALLOWED = {
    "view": {"contributor": True, "editor": True, "reviewer": True, "administrator": True},
    "add": {"contributor": True, "editor": True, "reviewer": False, "administrator": True},
    "change": {"contributor": True, "editor": True, "reviewer": False, "administrator": True},
    "change_live": {
        "contributor": False, "editor": True, "reviewer": False, "administrator": True,
    },
    "delete": {"contributor": True, "editor": True, "reviewer": False, "administrator": True},
    "delete_others": {
        "contributor": False, "editor": True, "reviewer": False, "administrator": True,
    },
    "publish": {"contributor": False, "editor": True, "reviewer": False, "administrator": True},
    "schedule": {
        "contributor": False, "editor": True, "reviewer": False, "administrator": True,
    },
    "unpublish": {
        "contributor": False, "editor": True, "reviewer": False, "administrator": True,
    },
    "approve": {"contributor": False, "editor": True, "reviewer": True, "administrator": True},
    "import": {"contributor": True, "editor": True, "reviewer": False, "administrator": True},
    "manage_users": {
        "contributor": False, "editor": False, "reviewer": False, "administrator": True,
    },
}  # fmt: skip


def cases(action: str) -> list:
    return [pytest.param(role, ALLOWED[action][role], id=role) for role in ROLES]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(interview: Interview, **changes) -> dict:
    """The change form's data as an administrator's browser would post it, plus changes."""
    reader = get_user_model().objects.create_superuser(f"reader{interview.pk}", password="x")
    response = client_of(reader).get(change_url(interview))
    return change_form_data(response) | changes


def change_url(interview: Interview) -> str:
    return reverse("admin:interviews_interview_change", args=[interview.pk])


def stored(interview: Interview) -> tuple:
    fresh = Interview.objects.get(pk=interview.pk)
    return fresh.title, fresh.status, fresh.publish_at, fresh.updated_at


def bulk(client: Client, action: str, *pages) -> None:
    """A bulk action, confirmed where the admin asks first ("post": "yes")."""
    chosen = [p.pk for p in pages]
    client.post(reverse("admin:interviews_interview_changelist"),
                {"action": action, "_selected_action": chosen, "post": "yes"})  # fmt: skip


def draft(**fields) -> Interview:
    return InterviewFactory(status="draft", publish_at=None, **fields)


def test_every_role_is_a_group_from_the_migrations():
    for role in ROLES:
        make_user(role)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS.values())
    assert not get_user_model().objects.filter(is_superuser=True).exists()


@pytest.mark.parametrize(("role", "allowed"), cases("view"))
def test_view(role, allowed):
    interview = InterviewFactory()
    client = client_of(make_user(role))
    assert client.get(reverse("admin:interviews_interview_changelist")).status_code == 200
    response = client.get(change_url(interview))
    assert (response.status_code == 200) is allowed
    assert interview.title in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), cases("add"))
def test_add(role, allowed):
    film = FilmFactory()
    client = client_of(make_user(role))
    url = reverse("admin:interviews_interview_add")
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, interview_form(film, [("Why?", "<p>Because.</p>")]))
    assert (response.status_code == 302) is allowed
    added = Interview.objects.filter(slug="laura-poitras-on-citizenfour")
    assert added.exists() is allowed
    if allowed:
        assert added.get().status == "draft"


@pytest.mark.parametrize(("role", "allowed"), cases("change"))
def test_change_a_draft(role, allowed):
    interview = draft()
    client = client_of(make_user(role))
    data = form_data(interview, title="Retitled")
    before = stored(interview)
    response = client.post(change_url(interview), data)
    assert response.status_code == (302 if allowed else 403)
    assert (stored(interview)[0] == "Retitled") is allowed
    if not allowed:
        assert stored(interview) == before


@pytest.mark.parametrize(("role", "allowed"), cases("change_live"))
def test_change_a_live_page(role, allowed):
    """A live page (or a scheduled one) changes only with the publish permission."""
    live = InterviewFactory()
    scheduled = InterviewFactory(publish_at=timezone.now() + timedelta(days=3))
    client = client_of(make_user(role))
    for interview in (live, scheduled):
        data = form_data(interview, title="Retitled")
        before = stored(interview)
        response = client.post(change_url(interview), data)
        assert response.status_code == (302 if allowed else 403)
        if not allowed:
            assert stored(interview) == before
            page = client.get(change_url(interview)).content.decode()
            assert 'name="_save"' not in page  # shown read-only


@pytest.mark.parametrize(("role", "allowed"), cases("delete"))
def test_delete_own_never_published_draft(role, allowed):
    user = make_user(role)
    client = client_of(user)
    interview = draft(updated_by=user)
    url = reverse("admin:interviews_interview_delete", args=[interview.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == (302 if allowed else 403)
    assert Interview.objects.filter(pk=interview.pk).exists() is not allowed


@pytest.mark.parametrize(("role", "allowed"), cases("delete_others"))
def test_delete_someone_elses_or_a_live_page(role, allowed):
    """Also through the bulk "delete selected": one page refused refuses all."""
    other = draft(updated_by=make_user("contributor", "colleague"))
    live = InterviewFactory()
    client = client_of(make_user(role))
    response = client.post(reverse("admin:interviews_interview_delete", args=[live.pk]),
                           {"post": "yes"})  # fmt: skip
    assert response.status_code == (302 if allowed else 403)
    response = client.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert Interview.objects.filter(pk__in=[live.pk, other.pk]).count() == (0 if allowed else 2)


def test_a_contributor_may_not_delete_an_own_draft_that_was_once_published():
    user = make_user("contributor")
    client = client_of(user)
    interview = draft(updated_by=user)
    editor = client_of(make_user("editor"))
    editor.post(change_url(interview), form_data(interview, status="published"))
    bulk(editor, "unpublish", interview)
    assert Interview.objects.get(pk=interview.pk).status == "draft"
    url = reverse("admin:interviews_interview_delete", args=[interview.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Interview.objects.filter(pk=interview.pk).exists()


@pytest.mark.parametrize(("role", "allowed"), cases("publish"))
def test_publish(role, allowed):
    by_form, by_action = draft(), draft()
    client = client_of(make_user(role))
    befores = stored(by_form), stored(by_action)
    response = client.post(change_url(by_form), form_data(by_form, status="published"))
    bulk(client, "publish_now", by_action)
    for interview, before in zip((by_form, by_action), befores, strict=True):
        if allowed:
            assert Interview.objects.live().filter(pk=interview.pk).exists()
        else:
            assert stored(interview) == before
    if role == "contributor":  # the form says why rather than saving
        assert "You may not publish, schedule or unpublish" in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), cases("schedule"))
def test_schedule(role, allowed):
    interview = draft()
    later = (timezone.now() + timedelta(days=5)).replace(microsecond=0, second=0)
    local = timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")
    client = client_of(make_user(role))
    before = stored(interview)
    client.post(change_url(interview),
                form_data(interview, status="scheduled", publish_at=local))  # fmt: skip
    if allowed:
        assert Interview.objects.scheduled().filter(pk=interview.pk, publish_at=later).exists()
    else:
        assert stored(interview) == before


@pytest.mark.parametrize(("role", "allowed"), cases("unpublish"))
def test_unpublish(role, allowed):
    by_form, by_action = InterviewFactory(), InterviewFactory()
    client = client_of(make_user(role))
    befores = stored(by_form), stored(by_action)
    client.post(change_url(by_form), form_data(by_form, status="draft"))
    bulk(client, "unpublish", by_action)
    for interview, before in zip((by_form, by_action), befores, strict=True):
        if allowed:
            assert Interview.objects.get(pk=interview.pk).status == "draft"
        else:
            assert stored(interview) == before


@pytest.mark.parametrize(("role", "allowed"), cases("approve"))
def test_approve(role, allowed):
    """From the review panel and from the list's bulk action."""
    author = make_user("contributor", "author")
    by_panel, by_action = draft(), draft()
    for interview in (by_panel, by_action):
        Review.objects.create(page=interview, submitted_by=author)
    client = client_of(make_user(role))
    befores = stored(by_panel), stored(by_action)
    url = reverse("admin:interviews_interview_review", args=[by_panel.pk, "approve"])
    assert client.post(url).status_code == (302 if allowed else 403)
    bulk(client, "approve_submitted", by_action)
    for interview, before in zip((by_panel, by_action), befores, strict=True):
        review = Review.objects.about(interview).get()
        if allowed:
            assert Interview.objects.live().filter(pk=interview.pk).exists()
            assert review.state == "approved"
        else:
            assert stored(interview) == before
            assert review.state == "pending"


@pytest.mark.parametrize(("role", "allowed"), cases("import"))
def test_import(role, allowed):
    client = client_of(make_user(role))
    response = client.get(reverse("admin:interviews_interview_import"))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("role", "allowed"), cases("manage_users"))
def test_manage_users(role, allowed):
    client = client_of(make_user(role))
    status = 200 if allowed else 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == status
    assert client.get(reverse("admin:auth_group_changelist")).status_code == status
    client.post(reverse("admin:auth_user_add"), {
        "username": "newcomer", "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1", "usable_password": "true",
    })  # fmt: skip
    assert get_user_model().objects.filter(username="newcomer").exists() is allowed


@pytest.mark.django_db
def test_a_contributor_cannot_take_down_a_live_page_through_an_old_draft_version():
    """Reversion reverts before the form checks permissions; the page as it stands counts."""
    import reversion
    from reversion.models import Version

    from tests.factories import InterviewFactory

    with reversion.create_revision():
        interview = InterviewFactory(title="Old draft title", status="draft", publish_at=None)
    with reversion.create_revision():
        interview.title, interview.status = "Live title", "published"
        interview.publish_at = timezone.now()
        interview.save()
    old = Version.objects.get_for_object(interview).last()
    client = Client()
    client.force_login(make_user("contributor", "cora"))
    url = f"/admin/interviews/interview/{interview.pk}/history/{old.pk}/"
    assert client.get(url).status_code == 200  # looking at an old version is harmless
    assert client.post(url, {"title": "Old draft title", "status": "draft"}).status_code == 403
    interview.refresh_from_db()
    assert (interview.title, interview.status) == ("Live title", "published")
    assert Interview.objects.live().filter(pk=interview.pk).exists()


@pytest.mark.django_db
def test_a_draft_waiting_for_review_is_read_only_to_its_contributor():
    """What reviewers approve is what they read: the author waits, or is sent it back."""
    from tests.factories import InterviewFactory

    author = make_user("contributor", "cora")
    interview = InterviewFactory(title="Submitted", status="draft", publish_at=None)
    Review.objects.create(page=interview, submitted_by=author)
    client = Client()
    client.force_login(author)
    response = client.post(f"/admin/interviews/interview/{interview.pk}/change/", {"title": "X"})
    assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.title == "Submitted"
