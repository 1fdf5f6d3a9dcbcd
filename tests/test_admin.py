"""The editor's admin, used by a staff member of the Editors group who is not a superuser."""

import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.media.models import Image
from films.models import Screening
from interviews.models import Interview, QuestionAnswer
from tests.admin_forms import change_form_data
from tests.factories import FilmFactory, ImageFactory, InterviewFactory, PostFactory, jpeg_bytes

PASSWORD = "a-long-test-password"


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def interview_form(film, pairs, **fields) -> dict:
    data = {
        "title": "Laura Poitras on Citizenfour",
        "slug": "laura-poitras-on-citizenfour",
        "film": str(film.pk),
        "byline": "Independent Lens",
        "intro": "<p>An introduction.</p>",
        "tags": "surveillance, filmmakers",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "expire_at_0": "",
        "expire_at_1": "",
        **inline_management("pairs", len(pairs)),
        **inline_management("figures", 0),
    }
    for i, (question, answer) in enumerate(pairs):
        data |= {
            f"pairs-{i}-sort_order": str(i + 1),
            f"pairs-{i}-question": question,
            f"pairs-{i}-answer": answer,
            f"pairs-{i}-anchor": "",
        }
    return data | fields


def screening_form(film, **fields) -> dict:
    """The screening admin form's data: a festival screening at a hall, plus ``fields``."""
    return {"film": str(film.pk), "kind": "festival", "status": "scheduled", "venue": "Hall",
            "time_zone": "America/Denver", "ends_at_0": "", "ends_at_1": ""} | fields  # fmt: skip


@pytest.fixture
def logged_in_editor(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "the editor can log in with a password"
    return client


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
def test_editor_journey_create_reorder_publish_and_find_it(logged_in_editor):
    viewer = Client()
    film = FilmFactory()
    add_url = reverse("admin:interviews_interview_add")
    page = logged_in_editor.get(add_url).content.decode()
    assert 'id="pairs-group"' in page and 'id="figures-group"' in page
    assert "admin-reorder.js" in page

    pairs = [("First question?", "<p>One.</p>"), ("Second question?", "<p>Two.</p>"),
             ("Third question?", "<p>Three.</p>")]  # fmt: skip
    response = logged_in_editor.post(add_url, interview_form(film, pairs))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    interview = Interview.objects.get(slug="laura-poitras-on-citizenfour")
    assert interview.status == "draft"
    assert interview.updated_by.username == "ed"
    assert [p.question for p in interview.pairs.all()] == [q for q, _ in pairs]
    assert sorted(interview.tags.names()) == ["filmmakers", "surveillance"]

    # Reorder: the third question moves to the top.
    stored = list(interview.pairs.all())
    data = interview_form(film, pairs) | inline_management("pairs", 3, initial=3)
    for i, (pair, order) in enumerate(zip(stored, [2, 3, 1], strict=True)):
        data |= {f"pairs-{i}-id": str(pair.pk), f"pairs-{i}-interview": str(interview.pk),
                 f"pairs-{i}-sort_order": str(order), f"pairs-{i}-anchor": pair.anchor}  # fmt: skip
    change_url = reverse("admin:interviews_interview_change", args=[interview.pk])
    assert logged_in_editor.post(change_url, data).status_code == 302
    assert [p.question for p in interview.pairs.all()] == [
        "Third question?", "First question?", "Second question?"
    ]  # fmt: skip
    assert [p.sort_order for p in interview.pairs.all()] == [1, 2, 3]

    # Not yet public; then "Publish now" from the list.
    assert "Laura Poitras" not in viewer.get(reverse("interviews:list")).content.decode()
    assert viewer.get(interview.get_absolute_url()).status_code == 404
    response = logged_in_editor.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "publish_now", "_selected_action": [interview.pk]},
    )
    assert response.status_code == 302
    public_list = viewer.get(reverse("interviews:list")).content.decode()
    assert "Laura Poitras on Citizenfour" in public_list
    detail = viewer.get(interview.get_absolute_url()).content.decode()
    assert detail.index("Third question?") < detail.index("First question?")


@pytest.mark.django_db
def test_unpublish_action_hides_content_at_once(editor_client):
    post = PostFactory()
    viewer = Client()
    assert viewer.get(post.get_absolute_url()).status_code == 200
    editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "unpublish", "_selected_action": [post.pk]},
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
def test_interview_list_filters_by_film_tag_and_state(editor_client):
    tagged = InterviewFactory(title="Tagged one")
    tagged.tags.add("china")
    InterviewFactory(title="Untagged one")
    url = reverse("admin:interviews_interview_changelist")
    page = editor_client.get(url + f"?tags__id__exact={tagged.tags.get().pk}").content.decode()
    assert "Tagged one" in page and "Untagged one" not in page
    page = editor_client.get(url + f"?film__id__exact={tagged.film_id}").content.decode()
    assert "Tagged one" in page and "Untagged one" not in page


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
def test_a_pair_with_an_empty_question_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:interviews_interview_add"),
        interview_form(film, [("Fine?", "<p>A</p>"), ("   ", "<p>An answer with no question</p>")]),
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Interview.objects.exists()
    assert not QuestionAnswer.objects.exists()


@pytest.mark.django_db
def test_an_image_without_alt_text_is_refused(editor_client, tmp_path):
    upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "", "caption": "c"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_upload_that_is_not_an_image_is_refused(editor_client):
    upload = SimpleUploadedFile("photo.jpg", b"GIF89a but not really", content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "Something"}
    )
    assert response.status_code == 200
    assert "The file is not an image this site can read." in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_editor_uploads_an_image_with_alt_text(editor_client):
    upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "Ai Weiwei at work"}
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.alt_text == "Ai Weiwei at work" and image.width == 64


@pytest.mark.django_db
def test_a_screening_that_ends_before_it_starts_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film,
            starts_at_0="2027-01-20",
            starts_at_1="18:00",
            ends_at_0="2027-01-20",
            ends_at_1="17:00",
            time_zone="America/Denver",
        ),
    )
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()
    assert not Screening.objects.exists()


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
def test_screening_times_are_typed_on_the_venue_clock(editor_client, client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film,
            venue="Egyptian",
            city="Park City",
            time_zone="America/Denver",
            starts_at_0="2031-01-20",
            starts_at_1="18:00",
            ends_at_0="2031-01-20",
            ends_at_1="19:45",
        ),
    )
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.starts_at.isoformat() == "2031-01-21T01:00:00+00:00"  # 18:00 MST
    assert screening.ends_at.isoformat() == "2031-01-21T02:45:00+00:00"

    change = editor_client.get(reverse("admin:films_screening_change", args=[screening.pk]))
    assert 'name="starts_at_1" value="18:00:00"' in change.content.decode()
    assert "6 PM–7:45 PM MST" in Client().get(screening.get_absolute_url()).content.decode()

    # Saving the form unchanged keeps the instant.
    form = change.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "uid"}
    data |= {"film": str(film.pk), "starts_at_0": "2031-01-20", "starts_at_1": "18:00",
             "ends_at_0": "2031-01-20", "ends_at_1": "19:45"}  # fmt: skip
    data.pop("starts_at"), data.pop("ends_at")
    assert editor_client.post(change.wsgi_request.path, data).status_code == 302
    screening.refresh_from_db()
    assert screening.starts_at.isoformat() == "2031-01-21T01:00:00+00:00"


@pytest.mark.django_db
def test_a_clock_time_skipped_by_daylight_saving_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film, time_zone="Europe/London", starts_at_0="2031-03-30", starts_at_1="01:30"
        ),
    )
    assert "This time does not exist there" in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.django_db
def test_a_london_time_that_new_york_skips_is_accepted(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:films_screening_add"),
        screening_form(
            film, time_zone="Europe/London", starts_at_0="2031-03-09", starts_at_1="02:30"
        ),
    )
    assert response.status_code == 302
    assert Screening.objects.get().starts_at.isoformat() == "2031-03-09T02:30:00+00:00"


@pytest.mark.django_db
def test_an_unchanged_screening_inline_is_not_reported_as_changed():
    from films.forms import ScreeningForm
    from tests.factories import ScreeningFactory

    screening = ScreeningFactory(
        time_zone="America/Denver", starts_at=timezone.now().replace(microsecond=0)
    )
    bound = ScreeningForm(instance=screening)
    data = {name: bound[name].value() for name in bound.fields}
    local = timezone.make_naive(screening.starts_at, screening.zone)
    data |= {"film": screening.film_id, "starts_at_0": local.date().isoformat(),
             "starts_at_1": local.time().isoformat(), "ends_at_0": "", "ends_at_1": ""}  # fmt: skip
    data.pop("starts_at"), data.pop("ends_at")
    form = ScreeningForm(data, instance=screening)
    assert form.is_valid(), form.errors
    assert form.changed_data == []


@pytest.mark.django_db
def test_deleting_a_pair_keeps_each_figure_after_the_same_answer():
    from tests.factories import FigureFactory, QuestionAnswerFactory

    interview = InterviewFactory()
    pairs = [QuestionAnswerFactory(interview=interview, sort_order=n) for n in (1, 2, 3, 4)]
    figure = FigureFactory(interview=interview, sort_order=3)  # after the third pair
    pairs[1].delete()
    interview.renumber_pairs()
    figure.refresh_from_db()
    body = interview.body()
    assert body.index(figure) == body.index(pairs[2]) + 1
    assert figure.sort_order == 2


@pytest.mark.django_db
def test_bulk_actions_record_who_and_write_the_history(editor_client, editor):
    from django.contrib.admin.models import LogEntry

    post = PostFactory(status="draft", publish_at=None)
    url = reverse("admin:blog_post_changelist")
    editor_client.post(url, {"action": "publish_now", "_selected_action": [post.pk]})
    editor_client.post(url, {"action": "unpublish", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.updated_by == editor
    messages = list(
        LogEntry.objects.filter(object_id=str(post.pk))
        .order_by("id")
        .values_list("change_message", flat=True)
    )
    assert messages == ["Published.", "Unpublished."]


def edit_image(client: Client, image: Image, **changes: str):
    """Open an image's change page and save it with ``changes``, as an editor would."""
    url = reverse("admin:cms_image_change", args=[image.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, change_form_data(page) | changes)


@pytest.mark.django_db
def test_an_images_change_page_opens_without_the_content_pages_share_link(editor_client):
    """It once borrowed the content pages' template, whose share link it has no view for."""
    image = ImageFactory()
    page = editor_client.get(reverse("admin:cms_image_change", args=[image.pk]))
    assert page.status_code == 200
    assert "Share a preview" not in page.content.decode()
    assert image.alt_text in page.content.decode()


@pytest.mark.django_db
def test_an_editor_corrects_an_images_alt_text_caption_and_licence(editor_client):
    image = ImageFactory()
    response = edit_image(
        editor_client, image,
        alt_text="Ai Weiwei at his studio", caption="In Beijing", licence_expires_on="2030-06-30",
    )  # fmt: skip
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.caption, str(image.licence_expires_on)) == (
        "Ai Weiwei at his studio", "In Beijing", "2030-06-30"
    )  # fmt: skip


@pytest.mark.django_db
def test_an_images_history_is_djangos_own(editor_client, editor):
    """Version comparison belongs to the content pages; an image lists its admin changes."""
    image = ImageFactory()
    LogEntry.objects.log_actions(
        editor.pk, [image], CHANGE, [{"changed": {"fields": ["Alt text"]}}], single_object=True
    )
    history = editor_client.get(reverse("admin:cms_image_history", args=[image.pk]))
    assert history.status_code == 200
    assert "Compare the selected versions" not in history.content.decode()
    assert "Changed Alt text." in history.content.decode()


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
@pytest.mark.parametrize(
    "start",
    ["9999-12-31", "9999-12-25", "0001-01-01", "0001-01-03", "1899-12-31", "3000-01-01",
     "garbage", "99999999999999999999", "2013-02-30", "\x00", "2013-02-25\x00", "+10000-01-01"],
)  # fmt: skip
@pytest.mark.parametrize("span", ["week", "month"])
def test_a_calendar_start_out_of_range_or_malformed_shows_this_week(editor_client, start, span):
    response = editor_client.get(reverse("publishing-calendar"), {"start": start, "span": span})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["days"][0]["day"] == today - timedelta(days=today.weekday())
    assert "Choose a start date from 1900-01-01 to 2999-12-31" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["1900-01-01", "2013-02-25", "2999-12-31"])
def test_a_calendar_start_in_range_is_shown_without_a_message(editor_client, start):
    response = editor_client.get(reverse("publishing-calendar"), {"start": start, "span": "month"})
    assert response.status_code == 200
    assert str(response.context["days"][0]["day"]) == start
    assert len(response.context["days"]) == 28
    assert "Choose a start date" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie",
    ["America", "Europe", "Asia%2F", "..%2Fetc%2Fpasswd", "%2Fetc%2Flocaltime", "%00", "UTC%00",
     "Not/AZone", "posixrules%00", "x" * 300],
)  # fmt: skip
def test_an_editor_time_zone_cookie_naming_no_zone_is_ignored(editor_client, settings, cookie):
    """Only names the time zone database lists are used; ZoneInfo reads a name as a path."""
    editor_client.cookies["editor_tz"] = cookie
    response = editor_client.get(reverse("publishing-calendar"))
    assert response.status_code == 200
    site_zone = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).tzname()
    assert f"Times are in your time zone ({site_zone})" in response.content.decode()


@pytest.mark.django_db
def test_an_editor_time_zone_cookie_naming_a_zone_is_used(editor_client):
    editor_client.cookies["editor_tz"] = "Asia%2FTokyo"
    response = editor_client.get(reverse("publishing-calendar"))
    assert "Times are in your time zone (JST)" in response.content.decode()
