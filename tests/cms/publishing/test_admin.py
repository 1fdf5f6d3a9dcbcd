"""The admin of publishable pages, used by an editor (staff, in Editors, not a superuser)."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview
from tests.admin_forms import change_form_data, interview_form
from tests.factories import FilmFactory, InterviewFactory, PostFactory


@pytest.mark.django_db
def test_editor_is_staff_in_the_editors_group_and_not_superuser(editor):
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]


@pytest.mark.django_db
def test_editor_sees_content_but_cannot_manage_users_or_groups(logged_in_editor):
    index = logged_in_editor.get(reverse("admin:index")).content.decode()
    for label in ("Interviews", "Films", "Screenings", "Posts", "Images", "People"):
        assert label in index
    assert "/admin/auth/user/" not in index
    assert logged_in_editor.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert logged_in_editor.get(reverse("admin:auth_group_changelist")).status_code == 403


@pytest.mark.django_db
def test_unpublish_action_hides_content_at_once(editor_client):
    post = PostFactory()
    viewer = Client()
    assert viewer.get(post.get_absolute_url()).status_code == 200
    editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "unpublish", "_selected_action": [post.pk], "post": "yes"},
    )
    assert viewer.get(post.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_view_on_site_works_for_a_draft(editor_client):
    interview = InterviewFactory(status="draft", publish_at=None)
    change_page = editor_client.get(
        reverse("admin:interviews_interview_change", args=[interview.pk])
    ).content.decode()
    assert "View on site" in change_page
    preview = editor_client.get(interview.get_absolute_url())
    assert preview.status_code == 200
    assert "Preview — not published" in preview.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "admin:interviews_interview_changelist",
        "admin:films_film_changelist",
        "admin:blog_post_changelist",
        "admin:films_screening_changelist",
        "admin:cms_image_changelist",
        "admin:films_person_changelist",
    ],
)
def test_every_list_answers_search(editor_client, url):
    InterviewFactory(title="Findable")
    for query in ("", "?q=Findable", "?q=%27%22%3B--"):
        assert editor_client.get(reverse(url) + query).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "shown"),
    [("live", "Live one"), ("draft", "Draft one"), ("scheduled", "Future one"),
     ("expired", "Gone one")],
)  # fmt: skip
def test_publishing_state_filter(editor_client, state, shown):
    now = timezone.now()
    InterviewFactory(title="Live one")
    InterviewFactory(title="Draft one", status="draft", publish_at=None)
    InterviewFactory(title="Future one", publish_at=now + timedelta(days=1))
    InterviewFactory(title="Gone one", publish_at=now - timedelta(days=2),
                     expire_at=now - timedelta(days=1))  # fmt: skip
    page = editor_client.get(
        reverse("admin:interviews_interview_changelist") + f"?state={state}"
    ).content.decode()
    titles = {"Live one", "Draft one", "Future one", "Gone one"}
    assert shown in page
    assert not [t for t in titles - {shown} if f">{t}<" in page]


@pytest.mark.django_db
def test_autocomplete_finds_films_and_people(editor_client):
    FilmFactory(title="Never Sorry")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Never", "app_label": "interviews", "model_name": "interview",
         "field_name": "film"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Never Sorry"]


# --- Bad input: a message on the field, nothing stored ------------------------------------


@pytest.mark.django_db
def test_duplicate_slug_is_refused_on_the_field(editor_client):
    existing = InterviewFactory(slug="taken")
    count = Interview.objects.count()
    response = editor_client.post(
        reverse("admin:interviews_interview_add"),
        interview_form(existing.film, [("Q?", "<p>A</p>")], slug="taken"),
    )
    assert response.status_code == 200
    assert "Interview with this Slug already exists." in response.content.decode()
    assert Interview.objects.count() == count


@pytest.mark.django_db
def test_expiry_before_publishing_is_refused(editor_client):
    film = FilmFactory()
    data = interview_form(film, [("Q?", "<p>A</p>")]) | {
        "publish_at_0": "2027-01-02", "publish_at_1": "10:00",
        "expire_at_0": "2027-01-01", "expire_at_1": "10:00",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:interviews_interview_add"), data)
    assert response.status_code == 200
    assert "The expiry must come after the publishing time." in response.content.decode()
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_editors_group_comes_from_the_migrations():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_interview", "add_questionanswer", "delete_post", "add_image",
            "change_screening", "add_tag"} <= codenames  # fmt: skip
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


@pytest.mark.django_db
def test_list_shows_when_a_scheduled_item_goes_live(editor_client, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    InterviewFactory(title="Soon", publish_at=timezone.now().replace(year=2031, month=2, day=25,
                     hour=6, minute=0, second=0, microsecond=0))  # fmt: skip
    page = editor_client.get(reverse("admin:interviews_interview_changelist")).content.decode()
    assert "Scheduled for Feb. 24, 2031" in page  # 06:00 UTC is the evening before in California


@pytest.mark.django_db
def test_bulk_actions_record_who_and_write_the_history(editor_client, editor):

    post = PostFactory(status="draft", publish_at=None)
    url = reverse("admin:blog_post_changelist")
    editor_client.post(url, {"action": "publish_now", "_selected_action": [post.pk], "post": "yes"})
    editor_client.post(url, {"action": "unpublish", "_selected_action": [post.pk], "post": "yes"})
    post.refresh_from_db()
    assert post.updated_by == editor
    messages = list(
        LogEntry.objects.filter(object_id=str(post.pk))
        .order_by("id")
        .values_list("change_message", flat=True)
    )
    assert messages == ["Published.", "Unpublished."]


@pytest.mark.django_db
def test_a_content_page_keeps_its_share_link_and_version_comparison(editor_client):
    film = FilmFactory()
    for title in ("First title", "Second title"):
        change = editor_client.get(reverse("admin:films_film_change", args=[film.pk]))
        editor_client.post(
            reverse("admin:films_film_change", args=[film.pk]),
            change_form_data(change) | {"title": title},
        )
    change = editor_client.get(reverse("admin:films_film_change", args=[film.pk]))
    history = editor_client.get(reverse("admin:films_film_history", args=[film.pk]))
    assert "Share a preview" in change.content.decode()
    assert "Compare the selected versions" in history.content.decode()


@pytest.mark.django_db
def test_a_garbled_edit_token_is_refused_politely(editor_client):
    interview = InterviewFactory()
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    data = change_form_data(editor_client.get(url)) | {"edit_token": "vabc", "title": "New"}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "saved this page at" in response.content.decode()
    interview.refresh_from_db()
    assert interview.title != "New"
