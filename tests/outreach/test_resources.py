"""Engagement resources: the admin upload (checked, cleaned, or refused leaving nothing), the
download, /resources/ and its filters, the resource page and its LearningResource, the
film page's Resources section, search and the sitemap, and the pages' exact query counts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import factory
import pikepdf
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from reversion.models import Version

from cms.page_cache.cache import cacheable_view
from outreach.resources import Grade, Resource, Subject, grade_range_text
from search.backends import SearchResults
from search.query import parse
from tests.checkers import nu_errors
from tests.config.test_structured_data import json_ld
from tests.factories import (
    CreditFactory,
    FilmFactory,
    ImageFactory,
    PublishedMixin,
    make_editor,
)
from tests.outreach.test_pdfs import (
    AUTHOR,
    encrypted_pdf,
    pdf_with_embedded_file,
    pdf_with_launch,
    pdf_with_metadata,
    pdf_with_open_action_script,
    plain_pdf,
    program,
    zip_archive,
)

pytestmark = pytest.mark.django_db

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class ResourceFactory(PublishedMixin):
    """A live lesson plan linking elsewhere; pass ``pdf=bytes`` for an uploaded PDF instead."""

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    film = factory.SubFactory(FilmFactory)
    kind = Resource.Kind.LESSON_PLAN
    summary = "Two class periods built on clips from the film."
    for_educators = True
    url = "https://www.pbs.org/independentlens/education/"
    pdf = None
    # Whole seconds: the shared card include writes publish_at|date:"c", microseconds and all,
    # which the HTML checker refuses in a datetime attribute (reported; not ours to change).
    publish_at = factory.LazyFunction(
        lambda: (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        pdf = kwargs.pop("pdf", None)
        resource = model_class(*args, **kwargs)
        if pdf is not None:
            resource.url = ""
            resource.attach_pdf(ContentFile(pdf, name="upload.pdf"))
        resource.save()
        return resource


def stored_files() -> set[Path]:
    folder = Path(settings.MEDIA_ROOT) / "resources"
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(client: Client, **query) -> list[str]:
    soup = soup_of(client.get("/resources/", query))
    return [a.get_text(strip=True) for a in soup.select(".post-list h2 a")]


@pytest.fixture
def civics() -> Subject:
    return Subject.objects.create(name="Civics and government", slug="civics")


@pytest.fixture
def art() -> Subject:
    return Subject.objects.create(name="Visual arts", slug="visual-arts")


@pytest.fixture
def lesson_plan(civics) -> Resource:
    """A lesson plan for grades 9–12 in civics, for educators and students, as a PDF."""
    film = FilmFactory(title="Salt Lines", slug="salt-lines", poster=ImageFactory())
    resource = ResourceFactory(
        title="Art and dissent", slug="art-and-dissent", film=film, for_students=True,
        grade_from=Grade.GRADE_9, grade_to=Grade.GRADE_12, pdf=plain_pdf(pages=12),
    )  # fmt: skip
    resource.subjects.add(civics)
    return resource


# The model: grades, languages, what is live.


def test_grade_ranges_read_as_teachers_write_them():
    assert grade_range_text(9, 12) == "Grades 9–12"
    assert grade_range_text(0, 2) == "Grades K–2"
    assert grade_range_text(5, 5) == "Grade 5"
    assert grade_range_text(9, 14) == "Grade 9 to adult learners"
    assert grade_range_text(13, 14) == "College to adult learners"
    assert grade_range_text(None, None) == ""


def test_language_tags_are_bcp_47():
    tags = [Resource(language=code).language_tag for code in ("en", "pt-br", "zh-hans", "sr-latn")]
    assert tags == ["en", "pt-BR", "zh-Hans", "sr-Latn"]


def test_a_resource_is_live_only_while_its_film_is():
    resource = ResourceFactory()
    assert list(Resource.objects.live()) == [resource]
    type(resource.film).objects.filter(pk=resource.film.pk).update(status="draft")
    assert list(Resource.objects.live()) == []
    assert Resource.objects.with_state().get().state == "draft"


def test_grade_bands_overlap_a_resources_range():
    wide = ResourceFactory(grade_from=Grade.GRADE_6, grade_to=Grade.GRADE_10)
    ResourceFactory(grade_from=Grade.GRADE_1, grade_to=Grade.GRADE_3)
    assert list(Resource.objects.for_grades(9, 12)) == [wide]
    assert list(Resource.objects.for_grades(13, 13)) == []


# The admin, as an editor who is not a superuser.


def resource_form(film, **fields) -> dict:
    return {
        "title": "Art and dissent", "slug": "art-and-dissent", "film": str(film.pk),
        "kind": "lesson-plan", "summary": "Two class periods.", "for_educators": "on",
        "grade_from": "9", "grade_to": "12", "language": "en", "url": "", "status": "published",
        "publish_at_0": "", "publish_at_1": "", "expire_at_0": "", "expire_at_1": "",
        "seo_title": "", "search_description": "", "social_image": "", "edit_token": "",
    } | fields  # fmt: skip


def test_the_editor_uploads_a_pdf_that_is_stored_clean(editor_client, civics):
    film = FilmFactory()
    add_page = editor_client.get(reverse("admin:outreach_resource_add"))
    assert not add_page.context["user"].is_superuser
    before = stored_files()
    response = editor_client.post(
        reverse("admin:outreach_resource_add"),
        resource_form(film, subjects=[str(civics.pk)],
                      file=SimpleUploadedFile("My Guide (final).pdf", pdf_with_metadata())),
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get()
    assert Resource.objects.live().filter(pk=resource.pk).exists()
    assert resource.page_count == 2
    assert resource.file_size == resource.file.size
    assert list(resource.subjects.all()) == [civics]
    new = stored_files() - before
    assert len(new) == 1
    stored = new.pop()
    assert stored.name == "art-and-dissent.pdf" and len(stored.parent.name) == 32  # random folder
    content = stored.read_bytes()
    assert AUTHOR.encode() not in content
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 2
    assert Version.objects.get_for_object(resource).count() == 1  # in the history


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (pdf_with_open_action_script(), "The PDF contains JavaScript."),
        (pdf_with_launch(), "launches a program"),
        (pdf_with_embedded_file(), "files embedded in it"),
        (encrypted_pdf(), "The PDF is encrypted"),
        (program("elf"), "This file is a program, not a PDF."),
        (program("pe"), "This file is a program, not a PDF."),
        (b"<html>" + plain_pdf(), "Something comes before the start of the PDF"),
        (plain_pdf() + zip_archive(), "Something is attached after the end of the PDF"),
    ],
)
def test_a_refused_upload_leaves_no_resource_and_no_file(editor_client, data, reason):
    film = FilmFactory()
    before = stored_files()
    response = editor_client.post(
        reverse("admin:outreach_resource_add"),
        resource_form(film, file=SimpleUploadedFile("guide.pdf", data)),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any(reason in error for error in errors)
    assert reason in response.content.decode()  # shown to the editor, by the field
    assert set(response.context["adminform"].form.errors) == {"file"}  # and nothing else
    assert not Resource.objects.exists()
    assert stored_files() == before
    # What the editor typed is kept: only the file needs choosing again.
    assert response.context["adminform"].form["title"].value() == "Art and dissent"


def test_a_pdf_and_a_link_together_store_nothing(editor_client):
    before = stored_files()
    response = editor_client.post(
        reverse("admin:outreach_resource_add"),
        resource_form(FilmFactory(), url="https://example.org/guide",
                      file=SimpleUploadedFile("guide.pdf", plain_pdf())),
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "url": ["Give either a PDF or a link, not both."]
    }
    assert not Resource.objects.exists()
    assert stored_files() == before


def test_neither_a_pdf_nor_a_link_is_refused(editor_client):
    response = editor_client.post(
        reverse("admin:outreach_resource_add"), resource_form(FilmFactory())
    )
    form = response.context["adminform"].form
    assert form.errors == {"file": ["Give a PDF or a link."]}
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ({"grade_from": "12", "grade_to": "9"}, "The range must end at or after its start."),
        ({"grade_from": "9", "grade_to": ""}, "Give both ends of the grade range, or neither."),
    ],
)
def test_a_grade_range_out_of_order_is_refused_once(editor_client, grades, message):
    response = editor_client.post(
        reverse("admin:outreach_resource_add"),
        resource_form(FilmFactory(), url="https://example.org/plan", **grades),
    )
    assert response.context["adminform"].form.errors == {"grade_to": [message]}
    assert not Resource.objects.exists()


def test_replacing_the_pdf_with_a_bad_one_keeps_the_stored_one(editor_client, lesson_plan):
    url = reverse("admin:outreach_resource_change", args=[lesson_plan.pk])
    page = editor_client.get(url)
    download = reverse("outreach:resource-download", args=[lesson_plan.slug])
    assert f'href="{download}"' in page.content.decode()  # "Currently": the download address
    assert "PDF, 12 pages" in page.content.decode()
    before, row = stored_files(), Resource.objects.values().get()
    form = page.context["adminform"].form
    response = editor_client.post(url, resource_form(
        lesson_plan.film, title=lesson_plan.title, slug=lesson_plan.slug,
        edit_token=form.initial["edit_token"], subjects=[str(s.pk) for s in Subject.objects.all()],
        file=SimpleUploadedFile("new.pdf", pdf_with_open_action_script()),
    ))  # fmt: skip
    assert response.status_code == 200
    assert "The PDF contains JavaScript." in response.content.decode()
    assert stored_files() == before
    assert Resource.objects.values().get() == row


def test_switching_to_a_link_forgets_the_files_details(editor_client, lesson_plan):
    url = reverse("admin:outreach_resource_change", args=[lesson_plan.pk])
    form = editor_client.get(url).context["adminform"].form
    response = editor_client.post(url, resource_form(
        lesson_plan.film, title=lesson_plan.title, slug=lesson_plan.slug, **{"file-clear": "on"},
        url="https://example.org/plan", edit_token=form.initial["edit_token"],
    ))  # fmt: skip
    assert response.status_code == 302
    lesson_plan.refresh_from_db()
    assert not lesson_plan.file
    assert (lesson_plan.page_count, lesson_plan.file_size) == (None, None)


def test_the_editor_finds_the_film_by_autocomplete(editor_client):
    FilmFactory(title="Salt Lines")
    FilmFactory(title="Other")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "outreach", "model_name": "resource", "field_name": "film", "term": "salt"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Salt Lines"]


def test_the_admin_form_groups_what_who_for_and_file_or_link(editor_client):
    fieldsets = editor_client.get(reverse("admin:outreach_resource_add")).context["adminform"]
    names = [fieldset.name for fieldset in fieldsets]
    assert names == [None, "Who it is for", "PDF or link", "Publishing",
                     "Search engines and sharing"]  # fmt: skip


def test_a_published_resource_waiting_for_its_film_says_so(editor_client):
    ResourceFactory(title="Early guide", film=FilmFactory(status="draft", publish_at=None))
    page = editor_client.get(reverse("admin:outreach_resource_changelist")).content.decode()
    assert "Published, waiting for its film" in page


def test_the_editor_publishes_and_unpublishes_from_the_list(editor_client):
    draft = ResourceFactory(status="draft", publish_at=None)
    changelist = reverse("admin:outreach_resource_changelist")
    editor_client.post(
        changelist, {"action": "publish_now", "_selected_action": [draft.pk], "post": "yes"}
    )
    assert Resource.objects.live().filter(pk=draft.pk).exists()
    editor_client.post(
        changelist, {"action": "unpublish", "_selected_action": [draft.pk], "post": "yes"}
    )
    assert not Resource.objects.live().exists()
    assert Version.objects.get_for_object(draft).count() == 2


def test_the_editor_adds_a_subject_with_its_slug_prepopulated(editor_client):
    page = editor_client.get(reverse("admin:outreach_subject_add"))
    assert "slug" in page.context["adminform"].prepopulated_fields[0]["field"].name
    response = editor_client.post(
        reverse("admin:outreach_subject_add"), {"name": "Media literacy", "slug": "media-literacy"}
    )
    assert response.status_code == 302
    assert Subject.objects.get().slug == "media-literacy"


# The download.


def test_the_download_is_an_attachment_that_cannot_be_sniffed(client, lesson_plan):
    response = client.get(reverse("outreach:resource-download", args=[lesson_plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="art-and-dissent.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body == lesson_plan.file.open("rb").read()
    assert body.startswith(b"%PDF-")


def test_a_unicode_slug_downloads_under_an_ascii_name(client):
    resource = ResourceFactory(slug="guía-de-discusión", pdf=plain_pdf())
    response = client.get(reverse("outreach:resource-download", args=[resource.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="guia-de-discusion.pdf"'


def test_only_live_resources_are_downloaded(editor_client):
    draft = ResourceFactory(status="draft", publish_at=None, pdf=plain_pdf())
    scheduled = ResourceFactory(publish_at=timezone.now() + timedelta(days=1), pdf=plain_pdf())
    expired = ResourceFactory(expire_at=timezone.now() - timedelta(seconds=1), pdf=plain_pdf())
    of_draft_film = ResourceFactory(film=FilmFactory(status="draft", publish_at=None),
                                    pdf=plain_pdf())  # fmt: skip
    link = ResourceFactory()
    for resource in (draft, scheduled, expired, of_draft_film, link):
        url = reverse("outreach:resource-download", args=[resource.slug])
        assert Client().get(url).status_code == 404, resource
    assert Client().get("/resources/no-such-thing/download/").status_code == 404
    # Staff check what they uploaded, in a response no cache keeps.
    preview = editor_client.get(reverse("outreach:resource-download", args=[draft.slug]))
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    link_download = reverse("outreach:resource-download", args=[link.slug])
    assert editor_client.get(link_download).status_code == 404


# /resources/: the list and its filters.


def test_the_lesson_plan_is_found_by_grade_and_subject(client, lesson_plan, art):
    other = ResourceFactory(title="Drawing the news", grade_from=Grade.GRADE_3,
                            grade_to=Grade.GRADE_5)  # fmt: skip
    other.subjects.add(art)
    assert titles(client, grade="9-12", subject="civics") == ["Art and dissent"]
    assert titles(client, grade="3-5") == ["Drawing the news"]
    assert titles(client, grade="3-5", subject="civics") == []
    assert titles(client, subject="visual-arts") == ["Drawing the news"]
    assert titles(client, audience="students") == ["Art and dissent"]
    assert titles(client, film="salt-lines") == ["Art and dissent"]
    page = soup_of(client.get("/resources/", {"grade": "9-12", "subject": "civics"}))
    assert "1 resource matches these filters." in page.select_one(".meta").get_text()
    assert page.select_one("#id_grade option[selected]")["value"] == "9-12"


def test_audiences_and_languages_filter(client):
    ResourceFactory(title="Host kit", for_educators=False, for_hosts=True, language="es")
    ResourceFactory(title="Teacher notes")
    assert titles(client, audience="community-hosts") == ["Host kit"]
    assert titles(client, language="es") == ["Host kit"]
    assert titles(client, language="en") == ["Teacher notes"]
    options = soup_of(client.get("/resources/")).select("#id_language option")
    assert [o.get_text() for o in options] == ["All languages", "English", "Spanish"]


def test_junk_filter_values_are_ignored_with_a_note_and_never_cached(client, lesson_plan):
    ResourceFactory(title="Other", grade_from=1, grade_to=2)
    response = client.get("/resources/", {"grade": "13-99", "subject": "<script>", "film": "x",
                                          "audience": "aliens", "language": "klingon"})  # fmt: skip
    page = soup_of(response)
    note = page.select_one("#filters-ignored").get_text(" ", strip=True)
    assert note == ("Some filters were not recognised and were ignored: "
                    "Film, For, Grades, Subject, Language.")  # fmt: skip
    assert "no-store" in response["Cache-Control"]
    assert len(page.select(".post-list h2")) == 2
    select = page.select_one("#id_grade")
    assert select["aria-invalid"] == "true" and select["aria-describedby"] == "filters-ignored"
    assert "<script>" not in response.content.decode()
    # The valid filter still applies beside a junk one.
    assert titles(client, grade="9-12", subject="nope") == ["Art and dissent"]


def test_only_live_resources_are_listed(client):
    ResourceFactory(title="Live one")
    ResourceFactory(title="Draft", status="draft", publish_at=None)
    ResourceFactory(title="Scheduled", publish_at=timezone.now() + timedelta(hours=1))
    ResourceFactory(title="Of a draft film", film=FilmFactory(status="draft", publish_at=None))
    assert titles(client) == ["Live one"]
    films = [o.get_text() for o in soup_of(client.get("/resources/")).select("#id_film option")]
    assert len(films) == 2  # "All films" and the live one's film: no draft film named


def test_the_list_is_paginated_with_a_count(client):
    for n in range(25):
        ResourceFactory(title=f"Plan {n:02}")
    first = soup_of(client.get("/resources/"))
    assert "25 resources." in first.select_one(".meta").get_text()
    assert len(first.select(".post-list li")) == 20
    assert len(titles(client, page=2)) == 5


def test_the_filter_form_has_a_label_for_every_field(client, lesson_plan):
    form = soup_of(client.get("/resources/")).select_one("form.filters")
    assert form["method"] == "get"
    for select in form.select("select"):
        assert form.select_one(f'label[for="{select["id"]}"]') is not None


def test_the_page_cache_keys_on_the_filters():
    cacheable, read = cacheable_view("/resources/")
    assert cacheable
    assert read == {"film", "audience", "grade", "subject", "language", "page"}
    assert cacheable_view("/resources/x/download/")[0] is False


# The resource page.


def test_the_resource_page_says_what_it_is_for_whom_and_how_big(client, lesson_plan):
    page = soup_of(client.get(lesson_plan.get_absolute_url()))
    assert page.select_one(".kicker").get_text() == "Lesson plan"
    assert page.h1.get_text() == "Art and dissent"
    facts = dict(zip([dt.get_text() for dt in page.select(".facts dt")],
                     [dd.get_text() for dd in page.select(".facts dd")], strict=True))  # fmt: skip
    assert facts == {"Film": "Salt Lines", "For": "Educators, Students", "Level": "Grades 9–12",
                     "Subjects": "Civics and government", "Language": "English"}  # fmt: skip
    button = page.select_one("a.button")
    assert button["href"] == "/resources/art-and-dissent/download/"
    size = lesson_plan.file_size
    assert 1024 < size < 1024 * 1024
    assert button.get_text() == f"Download the lesson plan (PDF, 12 pages, {round(size / 1024)} KB)"
    assert page.select_one('link[rel="canonical"]')["href"].endswith("/resources/art-and-dissent/")


def test_a_linked_resource_opens_where_it_lives(client):
    resource = ResourceFactory(kind=Resource.Kind.FURTHER_READING)
    page = soup_of(client.get(resource.get_absolute_url()))
    button = page.select_one("a.button")
    assert button.get_text() == "Open the further reading on pbs.org"
    assert button["href"] == "https://www.pbs.org/independentlens/education/"


def test_a_draft_is_a_preview_for_staff_and_missing_for_others(editor_client):
    draft = ResourceFactory(status="draft", publish_at=None)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert preview["X-Robots-Tag"] == "noindex, nofollow"


def test_the_page_describes_a_learning_resource_about_the_movie(client, lesson_plan):
    data = json_ld(client, lesson_plan.get_absolute_url())  # checked against schema.org
    resource = data["LearningResource"]
    assert resource["name"] == "Art and dissent"
    assert resource["url"] == "http://testserver/resources/art-and-dissent/"
    assert resource["learningResourceType"] == "Lesson plan"
    assert resource["educationalLevel"] == "Grades 9–12"
    assert resource["audience"] == [
        {"@type": "EducationalAudience", "educationalRole": "teacher"},
        {"@type": "EducationalAudience", "educationalRole": "student"},
    ]
    assert resource["about"]["@type"] == "Movie"
    assert resource["about"]["url"] == "http://testserver/films/salt-lines/"
    assert resource["teaches"] == ["Civics and government"]
    assert resource["inLanguage"] == "en"
    assert resource["encoding"]["contentUrl"] == (
        "http://testserver/resources/art-and-dissent/download/"
    )
    assert resource["encoding"]["encodingFormat"] == "application/pdf"
    assert resource["image"].startswith("http://testserver/media/")  # the film's poster
    assert [c["name"] for c in data["BreadcrumbList"]["itemListElement"]] == [
        "Home", "Resources", "Art and dissent"
    ]  # fmt: skip


def test_a_linked_resource_is_the_same_as_its_address(client):
    resource = ResourceFactory(language="pt-br")
    data = json_ld(client, resource.get_absolute_url())["LearningResource"]
    assert data["sameAs"] == "https://www.pbs.org/independentlens/education/"
    assert data["inLanguage"] == "pt-BR"
    assert "encoding" not in data


# The film page, search and the sitemap.


def test_the_film_page_lists_its_live_resources(client, lesson_plan):
    ResourceFactory(film=lesson_plan.film, title="Hidden draft", status="draft", publish_at=None)
    ResourceFactory(title="Another film's guide")
    page = soup_of(client.get(lesson_plan.film.get_absolute_url()))
    section = page.select_one("#resources-heading").find_parent("section")
    cards = section.select(".card")
    assert [card.select_one(".card__title a").get_text() for card in cards] == ["Art and dissent"]
    assert cards[0].select_one(".card__title a")["href"] == "/resources/art-and-dissent/"
    assert "Two class periods built on clips from the film." in cards[0].get_text()
    assert cards[0].select_one("img") is not None  # the film's poster stands in


def test_a_film_without_resources_has_no_resources_section(client):
    film = FilmFactory()
    ResourceFactory(title="Elsewhere")
    assert soup_of(client.get(film.get_absolute_url())).select_one("#resources-heading") is None


def test_the_film_pages_resources_cost_the_same_however_many(client):
    film = FilmFactory(poster=ImageFactory())
    client.get(film.get_absolute_url())  # what a first view of any page does once
    ResourceFactory(film=film)
    with CaptureQueriesContext(connection) as one:  # built afresh: a resource was added
        client.get(film.get_absolute_url())
    for _ in range(3):
        ResourceFactory(film=film)
    with CaptureQueriesContext(connection) as four:  # afresh again
        client.get(film.get_absolute_url())
    assert len(four) == len(one) > 3  # (3 once its parts are kept: tests/films)


def test_search_finds_a_live_resource_only(client, django_capture_on_commit_callbacks, civics):
    with django_capture_on_commit_callbacks(execute=True):
        live = ResourceFactory(title="Art and dissent", summary="Goya to Ai Weiwei.")
        live.subjects.add(civics)
        ResourceFactory(title="Art in a draft", status="draft", publish_at=None)

    def found(text: str) -> list[str]:
        results = SearchResults(parse(text), None)
        return [BeautifulSoup(hit.title, "html.parser").get_text() for hit in results[0:10]]

    assert found("dissent") == ["Art and dissent"]
    assert found("civics") == ["Art and dissent"]  # by its subject
    assert found("art") == ["Art and dissent"]
    page = soup_of(client.get("/search/", {"q": "goya"}))
    assert page.select_one(".result__title a")["href"] == live.get_absolute_url()


def test_the_sitemap_lists_live_resources_and_the_list(client):
    live = ResourceFactory()
    ResourceFactory(status="draft", publish_at=None)
    urlset = etree.fromstring(client.get("/sitemap-resources.xml").content)
    locations = [loc.text for loc in urlset.findall(".//s:loc", SITEMAP)]
    assert locations == [f"http://testserver{live.get_absolute_url()}"]
    pages = etree.fromstring(client.get("/sitemap-pages.xml").content)
    sections = [loc.text for loc in pages.findall(".//s:loc", SITEMAP)]
    assert "http://testserver/resources/" in sections


# Exact query counts.


def build(amount: int, civics: Subject) -> None:
    """``amount`` lesson plans for grades 9–12 in civics, about two films, in two languages."""
    films = [FilmFactory(), FilmFactory()]
    for n in range(amount):
        resource = ResourceFactory(film=films[n % 2], pdf=plain_pdf(), grade_from=9, grade_to=12,
                                   language=["en", "es"][n % 2])  # fmt: skip
        resource.subjects.add(civics)


@pytest.mark.parametrize("amount", [1, 8])
def test_the_list_costs_one_query_however_many_filtered_or_not(
    client, django_assert_num_queries, civics, amount
):
    """The tokens of the list's first kept value and of ``*``, under which the rest were kept
    too, in place of the rows, their count and the filters' choices (a filtered list's first
    kept value is the choices its values are checked against)."""
    build(amount, civics)
    for address in ["/resources/", "/resources/?grade=9-12&subject=civics"]:
        client.get(address)  # a first view keeps the parts
        with django_assert_num_queries(1):
            assert client.get(address).status_code == 200


def test_the_kept_filter_choices_follow_a_new_subject(client, civics):
    """A subject given to a live resource is offered, and accepted, at once."""
    build(1, civics)
    client.get("/resources/?subject=civics")
    resource = Resource.objects.get()
    history = Subject.objects.create(name="History", slug="history")
    assert "no-store" in client.get("/resources/?subject=history")["Cache-Control"]
    resource.subjects.add(history)
    page = client.get("/resources/?subject=history")
    assert "no-store" not in page.get("Cache-Control", "")
    assert 'value="history" selected' in page.content.decode()


def test_a_list_with_unknown_filters_keeps_no_part(client, django_assert_num_queries, civics):
    """An address with a filter value nobody offers is built afresh: there is no end to them."""
    build(1, civics)
    first = client.get("/resources/?subject=nonsense")
    # No part kept, none looked up: the kept choices' tokens, the count, the rows, their subjects.
    with django_assert_num_queries(4):
        again = client.get("/resources/?subject=nonsense")
    assert "no-store" in again["Cache-Control"] and again.content == first.content


@pytest.mark.parametrize("amount", [1, 3])
def test_the_resource_page_costs_two_queries(client, django_assert_num_queries, amount):
    """The resource's row, then the tokens of its first kept part and of ``*``, under which
    the second was kept too; the parts, made afresh, load its film and pictures, their
    renditions, subjects and credits in a fixed number more."""
    film = FilmFactory(poster=ImageFactory())
    resource = ResourceFactory(film=film, social_image=ImageFactory(), pdf=plain_pdf())
    for n in range(amount):
        resource.subjects.add(Subject.objects.create(name=f"Subject {n}", slug=f"subject-{n}"))
        CreditFactory(film=film)
    client.get(resource.get_absolute_url())  # a first view keeps the parts
    with django_assert_num_queries(2):
        assert client.get(resource.get_absolute_url()).status_code == 200


def test_an_editor_without_the_permission_gets_no_draft(client):
    draft = ResourceFactory(status="draft", publish_at=None, pdf=plain_pdf())
    user = make_editor("nobody")
    user.groups.clear()
    user.user_permissions.set(Permission.objects.filter(codename="view_film"))
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("outreach:resource-download", args=[draft.slug])).status_code == 404


def test_the_resource_pages_are_valid_html(client, lesson_plan, tmp_path):
    """By the Nu HTML Checker, as every public page type is (tests/config)."""
    linked = ResourceFactory(film=lesson_plan.film, kind=Resource.Kind.FURTHER_READING)
    pages = {
        "list": "/resources/",
        "filtered": "/resources/?grade=9-12&subject=civics",
        "junk": "/resources/?grade=99&subject=nope",
        "pdf": lesson_plan.get_absolute_url(),
        "link": linked.get_absolute_url(),
        "film": lesson_plan.film.get_absolute_url(),
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_bytes(soup_of(client.get(url)).encode())
    assert nu_errors(tmp_path / f"{name}.html" for name in pages) == []


def test_kept_parts_show_an_edit_of_the_film_at_once(client):
    """The list's and the page's kept parts are made afresh once the film they name changes."""
    resource = ResourceFactory(url="https://example.org/guide")
    for address in ["/resources/", resource.get_absolute_url()]:
        client.get(address)
        assert resource.film.title in client.get(address).content.decode()  # kept
    resource.film.title = "Renamed by an editor"
    resource.film.save()
    for address in ["/resources/", resource.get_absolute_url()]:
        assert "Renamed by an editor" in client.get(address).content.decode()


def test_a_second_page_is_named_and_one_past_the_end_is_a_404(client, civics):
    """The title's page number is the one asked for; the kept part checks it is a page."""
    build(21, civics)  # twenty a page
    soup = BeautifulSoup(client.get("/resources/?page=2").content, "html.parser")
    assert ", page 2 —" in soup.title.text
    assert soup.find("link", rel="canonical")["href"].endswith("/resources/?page=2")
    assert client.get("/resources/?page=3").status_code == 404
