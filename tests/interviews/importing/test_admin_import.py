"""The admin's "Import an interview" page: paste or upload, check the split, create a draft.

Through Django's test client as a contributor: every source the page takes (Google Docs
HTML, .docx, .html, .txt) with a picture, pictures named by a remote address (a warning and
an upload slot, never a request), and bad input that must leave everything as it was.
"""

from __future__ import annotations

import base64
import io
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from blog.models import Post
from cms.media.models import Image
from cms.media.placeholders import PLACEHOLDER_CREDIT
from cms.publishing.models import Publishable
from interviews.models import Figure, Interview, QuestionAnswer
from tests.cms.publishing.roles import make_user
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db

URL = reverse("admin:interviews_interview_import")
PICTURE = jpeg_bytes(320, 200, "navy")
DATA_URI = "data:image/jpeg;base64," + base64.b64encode(PICTURE).decode()
QUESTIONS = [f"What did you learn in year {n}?" for n in range(1, 4)]


def docs_html(picture_src: str = DATA_URI, *, pairs: int = 3) -> str:
    """What Google Docs puts on the clipboard: one <b> wrapper, spans, blank paragraphs."""
    span = '<span style="font-size:11pt;font-family:Arial;font-weight:400">{}</span>'
    bold = '<span style="font-size:11pt;font-family:Arial;font-weight:700">{}</span>'
    parts = [
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c">',
        '<h1 dir="ltr"><span style="font-size:20pt">A Year With the Archive</span></h1>',
        '<p dir="ltr">' + span.format("Posted on March 3, 2024") + "</p>",
        '<p dir="ltr"><span style="font-size:11pt"><br></span></p>',
        '<p dir="ltr">' + span.format("The filmmaker spent a year in the archive.") + "</p>",
        "<br>",
    ]
    for n in range(1, pairs + 1):
        parts += [
            '<p dir="ltr">' + bold.format(f"What did you learn in year {n}?") + "</p>",
            '<p dir="ltr">' + span.format(f"Answer number {n}, in full sentences.") + "</p>",
            '<p dir="ltr"><span>&nbsp;</span></p>',
        ]
        if n == 1:
            parts += [
                f'<p dir="ltr"><span><img src="{picture_src}" width="320" height="200"></span></p>',
                '<p dir="ltr">' + span.format("The archive in winter") + "</p>",
            ]
    parts.append("</b>")
    return "".join(parts)


def stored() -> dict[str, int]:
    """Rows and files that an import may write: all must stay the same on bad input."""
    media = Path(settings.MEDIA_ROOT)
    return {
        "interviews": Interview.objects.count(),
        "pairs": QuestionAnswer.objects.count(),
        "figures": Figure.objects.count(),
        "images": Image.objects.count(),
        "posts": Post.objects.count(),
        "files": sum(1 for p in media.rglob("*") if p.is_file()),
    }


@pytest.fixture
def contributor_client(client):
    client.force_login(make_user("contributor"))
    return client


def preview(client, **data):
    files = {k: v for k, v in data.items() if k == "file"}
    fields = {k: v for k, v in data.items() if k != "file"}
    return client.post(URL, {"step": "preview", **fields, **files})


def token_of(response) -> str:
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["token_form"].initial["token"]


def create(client, token: str, **files):
    return client.post(URL, {"step": "create", "token": token, **files})


def created_interview(response) -> Interview:
    assert response.status_code == 302, response.content.decode()[:3000]
    interview = Interview.objects.get()
    assert response["Location"] == reverse("admin:interviews_interview_change", args=[interview.pk])
    return interview


def test_the_page_offers_a_paste_box_a_text_box_and_an_upload(contributor_client):
    response = contributor_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-import-paste" in page and 'name="text"' in page and 'type="file"' in page
    assert "admin-import.js" in page and "<script>" not in page  # no inline script (CSP)


def test_pasted_google_docs_html_becomes_a_draft_with_its_picture(contributor_client):
    response = preview(contributor_client, pasted_html=docs_html())
    page = response.content.decode()
    assert "A Year With the Archive" in page
    assert [p.question for p in response.context["article"].pairs] == QUESTIONS
    assert "The archive in winter" in page
    assert "data:image/jpeg;base64," in page  # the thumbnail, made on the server

    response = create(contributor_client, token_of(response))

    interview = created_interview(response)
    assert interview.title == "A Year With the Archive"
    assert interview.status == Publishable.Status.DRAFT
    assert interview.publish_at.date().isoformat() == "2024-03-03"
    assert interview.intro == "<p>The filmmaker spent a year in the archive.</p>"
    pairs = list(interview.pairs.all())
    assert [p.question for p in pairs] == QUESTIONS
    assert pairs[0].answer == "<p>Answer number 1, in full sentences.</p>"  # no blank <p>
    figure = Figure.objects.get()
    assert figure.pair == pairs[0]
    image = figure.image
    assert image.alt_text == "The archive in winter"
    assert image.alt_text_needs_review is True
    assert image.credit != PLACEHOLDER_CREDIT
    assert image.file.read()[:2] == b"\xff\xd8"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "3 questions and 1 picture" in messages[0]
    assert interview.updated_by.username == "contributor"
    [version] = Version.objects.get_for_object(interview)
    assert version.revision.comment == "Imported from pasted text."
    assert version.revision.user.username == "contributor"


def make_docx(*, with_picture: bool = True) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = "Untitled document"  # Word's <title>: not the headline
    document.add_paragraph("Klayman in Beijing", style="Title")
    document.add_paragraph("Posted on February 22, 2013")
    document.add_paragraph("Alison Klayman spent years filming Ai Weiwei.")
    for number, question in enumerate(QUESTIONS, start=1):
        document.add_paragraph().add_run(question).bold = True
        document.add_paragraph(f"Answer {number}, as she told it.")
        if number == 2:
            document.add_paragraph("His studio", style="List Bullet")
            document.add_paragraph("His cat", style="List Bullet")
        if number == 1 and with_picture:
            document.add_picture(io.BytesIO(jpeg_bytes(200, 120, "olive")))
            document.add_paragraph("Ai Weiwei at his computer", style="Caption")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_upload_keeps_title_date_bullets_and_its_inline_picture(contributor_client):
    upload = SimpleUploadedFile("klayman.docx", make_docx())
    response = preview(contributor_client, file=upload)
    article = response.context["article"]
    assert article.title == "Klayman in Beijing"
    assert str(article.posted) == "2013-02-22"
    assert [f.caption for f in article.figures] == ["Ai Weiwei at his computer"]

    interview = created_interview(create(contributor_client, token_of(response)))

    pairs = list(interview.pairs.all())
    assert [p.question for p in pairs] == QUESTIONS
    assert pairs[0].answer == "<p>Answer 1, as she told it.</p>"  # the caption is not in it
    assert pairs[1].answer == (
        "<p>Answer 2, as she told it.</p><ul><li>His studio</li><li>His cat</li></ul>"
    )
    figure = Figure.objects.get()
    assert figure.pair == pairs[0]
    assert figure.image.alt_text == "Ai Weiwei at his computer"
    assert figure.image.alt_text_needs_review is True
    assert figure.image.credit == ""  # the real picture, not a placeholder


def test_an_html_upload_uses_its_headline_and_embedded_picture(contributor_client):
    page = (
        "<html><head><title>export.docx - Word</title></head><body>"
        "<h1>The Real Headline</h1><p>Posted on May 5, 2020</p><p>An intro.</p>"
        f"<p><strong>{QUESTIONS[0]}</strong> First answer.</p>"
        f'<figure><img src="{DATA_URI}" alt="A river at dusk"><figcaption>The river</figcaption>'
        f"</figure><p><strong>{QUESTIONS[1]}</strong> Second answer.</p></body></html>"
    )
    upload = SimpleUploadedFile("page.html", page.encode())
    interview = created_interview(
        create(contributor_client, token_of(preview(contributor_client, file=upload)))
    )
    assert interview.title == "The Real Headline"
    image = Figure.objects.get().image
    assert (image.alt_text, image.caption) == ("A river at dusk", "The river")
    assert image.alt_text_needs_review is False  # the page gave real alt text


TEXT_ARTICLE = f"""A Text Interview

Posted on June 1, 2021

An intro paragraph.

Q: {QUESTIONS[0]}

A: The first answer.

[Figure: river.jpg]
The river at night

Q: {QUESTIONS[1]}

A: The second answer.
"""


def test_a_txt_upload_gets_its_picture_from_the_upload_slot(contributor_client):
    upload = SimpleUploadedFile("interview.txt", TEXT_ARTICLE.encode())
    response = preview(contributor_client, file=upload)
    assert "picture_1" in response.context["pictures"].fields
    assert "is not in the article" in response.content.decode()

    picture = SimpleUploadedFile("river.jpg", jpeg_bytes(100, 80, "black"), "image/jpeg")
    interview = created_interview(create(contributor_client, token_of(response), picture_1=picture))

    figure = interview.figures.get()
    assert figure.image.credit == ""
    assert figure.image.alt_text == "The river at night"
    assert figure.image.file.name.endswith("river.jpg")


@pytest.fixture
def no_network(monkeypatch):
    """Any outgoing connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"an outgoing connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_remote_picture_is_never_fetched_and_gets_a_warning_and_a_slot(
    contributor_client, no_network
):
    remote = "https://lh7-us.googleusercontent.com/docs/photo-abc"
    response = preview(contributor_client, pasted_html=docs_html(remote))
    page = response.content.decode()
    assert "lh7-us.googleusercontent.com" in page and "never fetched" in page
    assert 'name="picture_1"' in page
    assert f'src="{remote}"' not in page  # named, never loaded by the editor's browser either

    response = create(contributor_client, token_of(response))  # slot left empty

    created_interview(response)
    image = Figure.objects.get().image
    assert image.credit == PLACEHOLDER_CREDIT  # a placeholder, named in the message
    assert image.alt_text_needs_review is True
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "1 picture is a placeholder" in messages[0]


def test_a_remote_picture_given_a_file_in_its_slot_uses_that_file(contributor_client, no_network):
    response = preview(contributor_client, pasted_html=docs_html("http://example.org/a.jpg"))
    picture = SimpleUploadedFile("winter.jpg", jpeg_bytes(90, 60, "white"), "image/jpeg")
    created_interview(create(contributor_client, token_of(response), picture_1=picture))
    image = Figure.objects.get().image
    assert image.credit == "" and image.file.name.endswith("winter.jpg")


def test_importing_the_same_article_twice_makes_a_second_draft(contributor_client):
    for _ in range(2):
        response = preview(contributor_client, pasted_html=docs_html())
        create(contributor_client, token_of(response))
    assert sorted(Interview.objects.values_list("slug", flat=True)) == [
        "a-year-with-the-archive",
        "a-year-with-the-archive-2",
    ]


def tampered(token: str) -> str:
    body, signature = token.rsplit(":", 1)
    return f"{body}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize(
    ("step", "make_data", "message"),
    [
        ("preview", lambda: {"text": "  \n\u00a0 ", "pasted_html": "<p><br></p>"},
         "Nothing was pasted"),
        ("preview", lambda: {"file": SimpleUploadedFile("a.docx", b"not a zip at all")},
         "not a Word document"),
        ("preview", lambda: {"file": SimpleUploadedFile("big.txt", b"x" * (10 * 2**20))},
         "the limit is 2 MB"),
        ("preview", lambda: {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
         "is not a .docx, .html, .htm or .txt file"),
        ("preview", lambda: {"text": "Just one line without a question"},
         "No questions and answers found"),
        ("create", lambda: {"token": "nonsense"}, "could not be verified"),
    ],
    ids=["empty-paste", "docx-not-zip", "10-mb", "wrong-type", "no-questions", "bad-token"],
)  # fmt: skip
def test_bad_input_is_explained_and_stores_nothing(contributor_client, step, make_data,
                                                   message):  # fmt: skip
    before = stored()
    response = contributor_client.post(URL, {"step": step, **make_data()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == before


def test_a_tampered_token_is_refused_and_stores_nothing(contributor_client):
    token = token_of(preview(contributor_client, pasted_html=docs_html()))
    before = stored()
    response = create(contributor_client, tampered(token))
    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert stored() == before


def test_a_non_image_in_a_slot_is_refused_and_stores_nothing(contributor_client):
    response = preview(contributor_client, pasted_html=docs_html("https://example.org/a.jpg"))
    token = token_of(response)
    before = stored()
    fake = SimpleUploadedFile("a.jpg", b"<html>not a picture</html>", "image/jpeg")
    response = create(contributor_client, token, picture_1=fake)
    assert response.status_code == 400
    assert "not an image this site can read" in response.content.decode()
    assert stored() == before
    assert response.context["token_form"].initial["token"]  # the preview, to try again


def test_a_picture_that_fails_at_creation_rolls_everything_back(contributor_client):
    broken = "data:image/png;base64," + base64.b64encode(b"\x89PNG not really").decode()
    response = preview(contributor_client, pasted_html=docs_html(broken))
    before = stored()
    response = create(contributor_client, token_of(response))
    assert response.status_code == 400
    assert "Nothing was created" in response.content.decode()
    assert stored() == before


def test_a_reviewer_may_not_import(client):
    client.force_login(make_user("reviewer"))
    before = stored()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "preview", "pasted_html": docs_html()}).status_code == 403
    assert stored() == before


def test_the_command_line_importer_reads_a_docx_too(tmp_path):
    from interviews.importing.files import read_article

    path = tmp_path / "klayman.docx"
    path.write_bytes(make_docx())
    article = read_article(path, max_bytes=settings.CMS_IMPORT_MAX_BYTES)
    assert article.title == "Klayman in Beijing"
    assert len(article.pairs) == 3


def test_the_interview_list_template_adds_the_import_button_and_keeps_its_notices(
    contributor_client, monkeypatch
):
    """The list template (``change_list.html`` of this app), as InterviewAdmin uses it."""
    from django.contrib import admin

    model_admin = admin.site._registry[Interview]
    monkeypatch.setattr(
        model_admin, "change_list_template", "admin/interviews/interview/change_list.html"
    )
    page = contributor_client.get(reverse("admin:interviews_interview_changelist"))
    html = page.content.decode()
    assert f'href="{URL}"' in html and "Import an interview" in html
    assert 'class="object-tools"' in html


def test_the_interview_list_has_no_import_button_for_a_reviewer(client, monkeypatch):
    from django.contrib import admin

    client.force_login(make_user("reviewer"))
    monkeypatch.setattr(
        admin.site._registry[Interview],
        "change_list_template",
        "admin/interviews/interview/change_list.html",
    )
    html = client.get(reverse("admin:interviews_interview_changelist")).content.decode()
    assert "Import an interview" not in html


def test_the_dry_run_names_what_the_parser_could_not_place(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "page.html"
    path.write_text(
        "<h1>T</h1><p><b>Why film it?</b> Because.</p><p><img src='x.png'></p>"
        "<p><b>What then?</b> More, at length, with a full stop.</p>"
    )
    out = io.StringIO()
    call_command("import_articles", str(path), "--dry-run", stdout=out)
    assert "warning: A picture (x.png) has no caption or alt text" in out.getvalue()


def test_plain_text_pasted_in_the_text_box_becomes_a_draft(contributor_client):
    response = preview(contributor_client, text=TEXT_ARTICLE, pasted_html="")
    assert "file “river.jpg”" in response.content.decode()
    interview = created_interview(create(contributor_client, token_of(response)))
    assert [p.question for p in interview.pairs.all()] == QUESTIONS[:2]
    assert interview.figures.get().image.credit == PLACEHOLDER_CREDIT


def test_the_reference_article_shows_its_film_posts_and_pictures_before_creation(
    contributor_client,
):
    from tests.factories import FilmFactory
    from tests.interviews.importing.articles import SEED

    FilmFactory(title="Ai Weiwei: Never Sorry")
    upload = SimpleUploadedFile(SEED.name, SEED.read_bytes())
    response = preview(contributor_client, file=upload)
    page = response.content.decode()
    assert "Ai Weiwei: Never Sorry" in page  # the film found
    assert "13 questions, 4 pictures, 3 blog posts" in page
    assert "ITVS Welcomes Brandii Rice as Head of Business and Legal Affairs" in page
    assert len(response.context["pictures"].slots()) == 4  # captions only: four slots
    before = stored()
    assert before["interviews"] == 0  # a preview writes nothing
    interview = created_interview(create(contributor_client, token_of(response)))
    assert interview.film.title == "Ai Weiwei: Never Sorry"
    assert interview.pairs.count() == 13 and interview.figures.count() == 4
