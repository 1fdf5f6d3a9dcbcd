"""Behaviour found missing by code review, kept fixed."""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from reversion.models import Version

from cms.media.models import Image
from cms.publishing.models import ShareLink
from interviews.importing.html_page import parse_html
from interviews.models import Interview
from tests.admin_forms import change_form_data
from tests.factories import InterviewFactory, jpeg_bytes


@pytest.mark.django_db
def test_an_import_version_holds_the_pairs_it_wrote(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Title\n\nIntro.\n\nWhy? Because.\n\nHow? Slowly.", encoding="utf-8")
    call_command("import_articles", str(source), stdout=io.StringIO())
    [version] = Version.objects.get_for_object(Interview.objects.get())
    pairs = version.revision.version_set.filter(content_type__model="questionanswer")
    assert sorted(v.field_dict["question"] for v in pairs) == ["How?", "Why?"]


@pytest.mark.django_db
def test_a_garbled_edit_token_is_refused_politely(editor_client):
    interview = InterviewFactory()
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    data = change_form_data(editor_client.get(url)) | {"edit_token": "vabc", "title": "New"}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "saved this page at" in response.content.decode()
    interview.refresh_from_db()
    assert interview.title != "New"


@pytest.mark.django_db
def test_revoking_with_a_garbled_link_id_changes_nothing(editor_client):
    interview = InterviewFactory(status="draft", publish_at=None)
    url = reverse("admin:interviews_interview_share", args=[interview.pk])
    editor_client.post(url, {"action": "create", "days": 2})
    response = editor_client.post(url, {"action": "revoke", "link": "abc"})
    assert response.status_code == 302
    assert ShareLink.objects.get().revoked_at is None


def test_a_bare_blog_heading_before_the_article_does_not_swallow_it():
    parsed = parse_html(
        "<body><p>From our blog</p><p>Old news</p><p>June 1, 2023</p><p>Excerpt.</p>"
        "<h1>The title</h1><p>Why? Because.</p></body>"
    )
    assert parsed.title == "The title"
    assert [p.question for p in parsed.pairs] == ["Why?"]


@pytest.mark.django_db
def test_animated_gifs_keep_their_frames():
    frames = [PILImage.new("RGB", (20, 20), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)
    image = Image.objects.create(file=ContentFile(buffer.getvalue(), name="a.gif"), alt_text="a")
    with PILImage.open(image.file.path) as stored:
        assert stored.n_frames == 3
        assert stored.info.get("duration") == 120


@pytest.mark.django_db
def test_palette_transparency_is_kept():
    picture = PILImage.new("P", (20, 20), 0)
    picture.putpixel((5, 5), 1)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=0)
    image = Image.objects.create(file=ContentFile(buffer.getvalue(), name="t.png"), alt_text="t")
    with PILImage.open(image.file.path) as stored:
        assert stored.info.get("transparency") == 0


@pytest.mark.django_db
def test_a_new_focal_point_or_file_replaces_the_old_renditions():
    image = Image.objects.create(file=ContentFile(jpeg_bytes(900, 600), name="f.jpg"), alt_text="f")
    image.renditions_for([480], crop="2x3")
    old_files = [r.file.path for r in image.renditions.all()]
    assert old_files
    image.focal_x = 0.9
    image.save()
    assert not image.renditions.exists()
    assert not any(os.path.exists(path) for path in old_files)
    image.alt_text = "only the words changed"
    image.renditions_for([480])
    image.save()
    assert image.renditions.exists()  # kept: the picture itself did not change


@pytest.mark.django_db
def test_a_missing_source_file_leaves_out_the_picture_not_the_page(client):
    from tests.factories import FigureFactory

    figure = FigureFactory()
    figure.image.file.storage.delete(figure.image.file.name)
    response = client.get(figure.interview.get_absolute_url())
    assert response.status_code == 200
