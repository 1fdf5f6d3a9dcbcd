"""The autosave endpoints: who may use them, what they keep, and when the copy goes away."""

import json
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from cms.editing.models import Autosave
from interviews.models import Interview
from tests.admin_forms import change_form_data
from tests.factories import InterviewFactory, PostFactory, QuestionAnswerFactory, make_editor

PAIRS = "pairs"  # the question/answer inline's prefix


def draft():
    """A draft without a date: its form posts no publishing fields, only content."""
    return PostFactory(status="draft", publish_at=None)


def autosave_url(obj=None, model="blog_post") -> str:
    if obj is None:
        return reverse(f"admin:{model}_autosave_add")
    return reverse(f"admin:{model}_autosave", args=[obj.pk])


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **extra)


def form_state(**fields) -> dict:
    return {"fields": {name: [value] for name, value in fields.items()}, "labels": {}}


def stored(user, obj):
    return Autosave.objects.for_form(
        user, ContentType.objects.get_for_model(type(obj)), None if obj.pk is None else obj.pk
    )


@pytest.mark.django_db
def test_autosave_keeps_the_form_for_this_editor_only_and_publishes_nothing(editor_client, editor):
    post = PostFactory(title="As published")
    response = post_json(editor_client, autosave_url(post), form_state(title="Half written"))
    assert response.status_code == 200
    assert "autosaved at" in response.json()["message"]
    autosave = stored(editor, post).get()
    assert autosave.data == {"fields": {"title": ["Half written"]}, "labels": {}}
    post.refresh_from_db()
    assert post.title == "As published"
    # A second autosave replaces the first: one copy per editor and form.
    post_json(editor_client, autosave_url(post), form_state(title="Written"))
    assert stored(editor, post).get().data["fields"]["title"] == ["Written"]


@pytest.mark.django_db
def test_the_add_form_has_one_autosave_per_editor_and_model(editor_client, editor):
    for title in ("First try", "Second try"):
        assert post_json(editor_client, autosave_url(), form_state(title=title)).status_code == 200
    content_type = ContentType.objects.get_for_model(Post)
    autosave = Autosave.objects.get(user=editor, content_type=content_type)
    assert autosave.object_id is None
    assert autosave.data["fields"]["title"] == ["Second try"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", 'must be an object with a "fields" object'),
        (b'{"fields": {"title": "not a list"}}', "list of strings"),
        (b'{"fields": {"title": [1]}}', "list of strings"),
        (b'{"fields": {}, "labels": {"film": ["x"]}}', "list of strings"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_the_stored_copy(
    editor_client, editor, body, message
):
    post = PostFactory()
    post_json(editor_client, autosave_url(post), form_state(title="Kept"))
    before = stored(editor, post).get()
    response = post_json(editor_client, autosave_url(post), body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    after = stored(editor, post).get()
    assert (after.data, after.saved_at) == (before.data, before.saved_at)


@pytest.mark.django_db
def test_an_oversized_autosave_is_refused(editor_client, editor, settings):
    settings.CMS_AUTOSAVE_MAX_BYTES = 1024
    post = PostFactory()
    response = post_json(editor_client, autosave_url(post), form_state(body="x" * 2000))
    assert response.status_code == 400
    assert "too large to autosave (limit 1 kB)" in response.json()["error"]
    assert not stored(editor, post).exists()


@pytest.mark.django_db
def test_autosave_needs_post_and_a_csrf_token(editor, client):
    post = PostFactory()
    client.force_login(editor)
    assert client.get(autosave_url(post)).status_code == 405
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    assert post_json(csrf_client, autosave_url(post), form_state(title="x")).status_code == 403
    assert not stored(editor, post).exists()


@pytest.mark.django_db
def test_autosave_needs_the_change_permission_on_the_page(client):
    post = PostFactory()
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert post_json(client, autosave_url(post), form_state(title="x")).status_code == 403
    assert post_json(client, autosave_url(), form_state(title="x")).status_code == 403
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    post = PostFactory()
    response = post_json(client, autosave_url(post), form_state(title="x"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_autosave_of_a_missing_page_is_not_found(editor_client):
    url = reverse("admin:blog_post_autosave", args=[987654])
    assert post_json(editor_client, url, form_state(title="x")).status_code == 404


@pytest.mark.django_db
def test_the_form_offers_the_autosave_back_with_its_time_in_the_editors_zone(editor_client, editor):
    post = PostFactory()
    post_json(editor_client, autosave_url(post), form_state(title="Half written"))
    editor_client.cookies["editor_tz"] = "Europe/Berlin"
    url = reverse("admin:blog_post_change", args=[post.pk])
    now = timezone.now()
    Autosave.objects.update(saved_at=now)  # today: the time alone
    today = now.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).strftime("%H:%M")
    assert f"You have unsaved changes from {today}\n" in editor_client.get(url).content.decode()
    Autosave.objects.update(saved_at="2026-11-20T09:42:00+00:00")  # another day: with the date
    page = editor_client.get(url).content.decode()
    assert "You have unsaved changes from Fri 20 Nov, 10:42" in page
    assert 'id="cms-autosave-restore"' in page
    assert '"title": ["Half written"]' in page  # the data Restore puts back, as JSON


@pytest.mark.django_db
def test_another_editors_autosave_is_never_offered(editor_client):
    post = PostFactory()
    ann = make_editor("ann")
    Autosave.store(ann, ContentType.objects.get_for_model(Post), post.pk,
                   form_state(title="Ann's"))  # fmt: skip
    page = editor_client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    assert "You have unsaved changes" not in page
    assert "Ann's" not in page


@pytest.mark.django_db
def test_inline_rows_round_trip_through_the_autosave(editor_client, editor):
    """What the browser sends, inline rows included, comes back in the page unchanged."""
    interview = InterviewFactory()
    QuestionAnswerFactory(interview=interview, question="First?", answer="<p>One.</p>")
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    data = change_form_data(editor_client.get(url))
    data |= {
        f"{PAIRS}-TOTAL_FORMS": "3",
        f"{PAIRS}-1-question": "Second?",
        f"{PAIRS}-1-answer": "<p>Two, <em>said</em> “she”.</p>",
        f"{PAIRS}-2-question": "Third?",
    }
    state = {
        "fields": {k: (v if isinstance(v, list) else [v]) for k, v in data.items()},
        "labels": {"film": {str(interview.film_id): str(interview.film)}},
    }
    response = post_json(editor_client, autosave_url(interview, "interviews_interview"), state)
    assert response.status_code == 200
    page = editor_client.get(url)
    offered = page.content.decode()
    start = offered.index('<script id="cms-autosave-data" type="application/json">')
    payload = offered[offered.index(">", start) + 1 : offered.index("</script>", start)]
    assert json.loads(payload) == state
    assert Interview.objects.get().pairs.count() == 1  # nothing saved to the page itself


@pytest.mark.django_db
def test_a_save_deletes_the_editors_autosave_of_that_page_only(editor_client, editor):
    post, other = draft(), draft()
    ann = make_editor("ann")
    for obj in (post, other):
        post_json(editor_client, autosave_url(obj), form_state(title="mine"))
    Autosave.store(ann, ContentType.objects.get_for_model(Post), post.pk, form_state())
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = change_form_data(editor_client.get(url)) | {"title": "Saved for real"}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not stored(editor, post).exists()
    assert stored(editor, other).exists()
    assert stored(ann, post).exists()


@pytest.mark.django_db
def test_adding_a_page_deletes_the_add_forms_autosave(editor_client, editor):
    post_json(editor_client, autosave_url(), form_state(title="New"))
    template = draft()
    data = change_form_data(
        editor_client.get(reverse("admin:blog_post_change", args=[template.pk]))
    )
    data |= {"title": "Brand new", "slug": "brand-new", "edit_token": ""}
    response = editor_client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Post.objects.filter(slug="brand-new").exists()
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_a_refused_save_keeps_the_autosave_and_does_not_offer_it_over_the_form(
    editor_client, editor
):
    post = PostFactory()
    post_json(editor_client, autosave_url(post), form_state(title="mine"))
    url = reverse("admin:blog_post_change", args=[post.pk])
    data = change_form_data(editor_client.get(url)) | {"title": ""}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "You have unsaved changes" not in response.content.decode()
    assert stored(editor, post).exists()


@pytest.mark.django_db
def test_discard_deletes_the_autosave_and_reopens_the_form(editor_client, editor):
    post = PostFactory()
    post_json(editor_client, autosave_url(post), form_state(title="mine"))
    response = editor_client.post(reverse("admin:blog_post_autosave_discard", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:blog_post_change", args=[post.pk])
    assert not stored(editor, post).exists()
    page = editor_client.get(response["Location"]).content.decode()
    assert "Your autosaved changes were discarded." in page
    assert "You have unsaved changes" not in page


@pytest.mark.django_db
def test_discard_of_the_add_form_reopens_the_add_form(editor_client, editor):
    post_json(editor_client, autosave_url(), form_state(title="New"))
    response = editor_client.post(reverse("admin:blog_post_autosave_discard_add"))
    assert response["Location"] == reverse("admin:blog_post_add")
    assert not Autosave.objects.exists()
    assert editor_client.get(reverse("admin:blog_post_autosave_discard_add")).status_code == 405


@pytest.mark.django_db
def test_the_offer_warns_when_the_page_was_saved_after_the_autosave(editor_client, editor):
    post = draft()
    url = reverse("admin:blog_post_change", args=[post.pk])
    opened = change_form_data(editor_client.get(url))
    state = {"fields": {"title": ["mine"], "edit_token": [opened["edit_token"]]}, "labels": {}}
    post_json(editor_client, autosave_url(post), state)
    ann = make_editor("ann")
    ann.first_name, ann.last_name = "Ann", "Lee"
    ann.save()
    editor_client.force_login(ann)
    editor_client.post(url, change_form_data(editor_client.get(url)) | {"title": "Ann's"})
    editor_client.force_login(editor)
    page = editor_client.get(url).content.decode()
    assert "Ann Lee saved this page" in page
    assert "after your autosave" in page
