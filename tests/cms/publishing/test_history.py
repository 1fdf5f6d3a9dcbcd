"""Revision history: every admin save kept with who and when; compare; restore."""

import io
from datetime import UTC

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from interviews.models import Interview
from tests.admin_forms import change_form_data, interview_form
from tests.factories import FilmFactory, PostFactory


def create_interview(client) -> Interview:
    film = FilmFactory()
    pairs = [("Why film?", "<p>Because of the light.</p>"), ("Why China?", "<p>I lived there.</p>"),
             ("What next?", "<p>A long road trip.</p>")]  # fmt: skip
    response = client.post(reverse("admin:interviews_interview_add"), interview_form(film, pairs))
    assert response.status_code == 302
    return Interview.objects.get()


def edit(client, interview: Interview, **changes) -> None:
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    data = change_form_data(client.get(url)) | changes
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


@pytest.mark.django_db
def test_each_admin_save_is_kept_with_its_author(editor_client, editor):
    interview = create_interview(editor_client)
    edit(editor_client, interview, title="A better title")
    versions = Version.objects.get_for_object(interview)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor}
    latest = versions.first()
    pair_versions = latest.revision.version_set.filter(content_type__model="questionanswer")
    assert pair_versions.count() == 3  # the pairs are kept with each version


@pytest.mark.django_db
def test_compare_highlights_changed_words_in_answers(editor_client):
    interview = create_interview(editor_client)
    edit(editor_client, interview, **{"pairs-1-answer": "<p>I lived there for four years.</p>"})
    old, new = Version.objects.get_for_object(interview).order_by("pk")
    url = reverse("admin:interviews_interview_compare", args=[interview.pk])
    page = editor_client.get(url, {"old": old.pk, "new": new.pk}).content.decode()
    assert "Question 2: answer" in page
    assert "<ins>there for four years.</ins>" in page
    assert "<del>there.</del>" in page
    assert 'class="cms-compare__same"' in page  # unchanged rows are there, hidden by default


@pytest.mark.django_db
def test_compare_with_missing_or_foreign_versions_goes_back_to_history(editor_client):
    interview = create_interview(editor_client)
    other = PostFactory()
    with_other = Version.objects.create(
        object_id=str(other.pk), content_type_id=1, db="default", format="json",
        serialized_data="[]", object_repr="x", revision=Version.objects.first().revision,
    )  # fmt: skip
    url = reverse("admin:interviews_interview_compare", args=[interview.pk])
    for query in ({}, {"old": "x", "new": "1"}, {"old": with_other.pk, "new": with_other.pk}):
        response = editor_client.get(url, query)
        assert response.status_code == 302
        assert response["Location"].endswith("/history/")


@pytest.mark.django_db
def test_restoring_an_older_version_brings_back_a_deleted_pair(editor_client):
    interview = create_interview(editor_client)
    edit(editor_client, interview, **{"pairs-1-DELETE": "on"})
    assert list(interview.pairs.values_list("question", flat=True)) == ["Why film?", "What next?"]

    first = Version.objects.get_for_object(interview).order_by("pk").first()
    url = reverse("admin:interviews_interview_revision", args=[interview.pk, first.pk])
    preview = editor_client.get(url)
    assert preview.status_code == 200
    assert interview.pairs.count() == 2  # looking at a version changes nothing
    response = editor_client.post(url, change_form_data(preview))
    assert response.status_code == 302
    assert list(interview.pairs.values_list("question", flat=True)) == [
        "Why film?", "Why China?", "What next?"
    ]  # fmt: skip
    assert Version.objects.get_for_object(interview).count() == 3  # the restore is a version


@pytest.mark.django_db
def test_bulk_publish_is_a_version_too(editor_client, editor):
    post = PostFactory(status="draft", publish_at=None)
    editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_now", "_selected_action": [post.pk], "post": "yes"},
    )
    [version] = Version.objects.get_for_object(post)
    assert version.revision.user == editor
    assert version.revision.get_comment() == "Published."
    assert version.field_dict["status"] == "published"


@pytest.mark.django_db
def test_a_stale_form_is_refused_and_shows_what_changed(client, editor_client, editor):
    from django.test import Client

    from tests.factories import make_editor

    interview = create_interview(editor_client)
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    other = Client()
    other.force_login(make_editor("ann"))
    anns_form = change_form_data(other.get(url))
    my_form = change_form_data(editor_client.get(url))

    # Ann saves first: a new answer to question 2.
    anns_form["pairs-1-answer"] = "<p>Ann's better answer.</p>"
    assert other.post(url, anns_form).status_code == 302

    # My form was opened before Ann's save: refused, with her name and what she changed.
    my_form["title"] = "My new title"
    response = editor_client.post(url, my_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ann saved this page at" in page
    assert "Changed meanwhile: Question 2: answer." in page
    interview.refresh_from_db()
    assert interview.title != "My new title"
    assert interview.pairs.get(sort_order=2).answer == "<p>Ann's better answer.</p>"

    # Opened again, the form saves.
    fresh = change_form_data(editor_client.get(url)) | {"title": "My new title"}
    assert editor_client.post(url, fresh).status_code == 302
    interview.refresh_from_db()
    assert interview.title == "My new title"
    assert interview.pairs.get(sort_order=2).answer == "<p>Ann's better answer.</p>"


@pytest.mark.django_db
def test_a_change_outside_the_admin_also_makes_a_form_stale(editor_client):
    post = PostFactory()
    url = reverse("admin:blog_post_change", args=[post.pk])
    form = change_form_data(editor_client.get(url))
    post.title = "Changed by the importer"
    post.save()
    response = editor_client.post(url, form | {"dek": "Mine"})
    assert "saved this page at" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Changed by the importer" and post.dek != "Mine"


@pytest.mark.django_db
def test_demo_content_and_imports_start_with_a_version(demo, tmp_path):
    from django.core.management import call_command

    interview = Interview.objects.get()
    [first] = Version.objects.get_for_object(interview)
    assert first.revision.get_comment() == "Demo content loaded."
    assert first.revision.version_set.filter(content_type__model="questionanswer").count() == 13
    call_command("load_demo", verbosity=0)
    assert Version.objects.get_for_object(interview).count() == 1  # not duplicated

    source = tmp_path / "article.txt"
    source.write_text("Imported one\n\nIntro.\n\nWhy? Because.", encoding="utf-8")
    call_command("import_articles", str(source), stdout=io.StringIO())
    imported = Interview.objects.get(title="Imported one")
    [version] = Version.objects.get_for_object(imported)
    assert version.revision.get_comment() == "Imported from article.txt."


def test_the_same_instant_with_another_offset_is_not_a_change():
    from datetime import datetime, timedelta
    from datetime import timezone as dt_timezone

    from cms.publishing.history import as_text

    utc = datetime(2013, 2, 22, 17, 0, tzinfo=UTC)
    eastern = utc.astimezone(dt_timezone(timedelta(hours=-5)))
    assert as_text(utc) == as_text(eastern)


@pytest.mark.django_db
def test_film_comparison_names_people_and_choices(editor_client):
    from films.models import Film
    from tests.factories import CreditFactory, PersonFactory

    film = FilmFactory(title="Never Sorry")
    CreditFactory(film=film, person=PersonFactory(name="Alison Klayman"), role="director")
    url = reverse("admin:films_film_change", args=[film.pk])
    for title in ("Never Sorry!", "Never Sorry!!"):
        response = editor_client.post(
            url, change_form_data(editor_client.get(url)) | {"title": title}
        )
        assert response.status_code == 302
    old, new = Version.objects.get_for_object(Film.objects.get()).order_by("pk")
    compare_url = reverse("admin:films_film_compare", args=[film.pk])
    page = editor_client.get(compare_url, {"old": old.pk, "new": new.pk}).content.decode()
    assert "Credit 1: person" in page and "Alison Klayman" in page
    assert "Director" in page


@pytest.mark.django_db
def test_an_import_version_holds_the_pairs_it_wrote(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Title\n\nIntro.\n\nWhy? Because.\n\nHow? Slowly.", encoding="utf-8")
    call_command("import_articles", str(source), stdout=io.StringIO())
    [version] = Version.objects.get_for_object(Interview.objects.get())
    pairs = version.revision.version_set.filter(content_type__model="questionanswer")
    assert sorted(v.field_dict["question"] for v in pairs) == ["How?", "Why?"]
