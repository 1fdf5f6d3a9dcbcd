"""The image library's admin: alt text required, uploads checked, corrections kept."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cms.media.models import Image
from tests.admin_forms import change_form_data
from tests.factories import ImageFactory, jpeg_bytes


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
