"""The image library: real files checked by Pillow, metadata stripped, alt text required."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image as PILImage

from cms.models import Image, validate_image_file
from tests.factories import jpeg_bytes


def gps_exif() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif.tobytes()


@pytest.mark.django_db
def test_uploaded_jpeg_is_stored_without_exif_or_gps():
    original = jpeg_bytes(exif=gps_exif())
    with PILImage.open(io.BytesIO(original)) as picture:
        assert picture.getexif()  # the test file really carries EXIF

    image = Image.objects.create(
        file=ContentFile(original, name="beijing.jpg"), alt_text="A street"
    )

    with PILImage.open(image.file.path) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert (image.width, image.height) == (64, 48)


def test_a_text_file_named_jpg_is_refused():
    upload = SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not an image"):
        validate_image_file(upload)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.CMS_IMAGE_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="the limit is"):
        validate_image_file(upload)


def test_an_image_with_too_many_pixels_is_refused(settings):
    settings.CMS_IMAGE_MAX_PIXELS = 100
    upload = SimpleUploadedFile("wide.jpg", jpeg_bytes(64, 48), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="too many pixels"):
        validate_image_file(upload)


@pytest.mark.django_db
def test_the_database_refuses_an_image_without_alt_text():
    with pytest.raises(IntegrityError):
        Image.objects.create(file=ContentFile(jpeg_bytes(), name="x.jpg"), alt_text="")


@pytest.mark.django_db
def test_picture_has_avif_webp_and_jpeg_at_several_widths_with_its_size():
    from cms.templatetags.cms_tags import picture

    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(1600, 1000), name="wide.jpg"), alt_text="A wide street"
    )
    html = picture(image, sizes="50vw")
    assert html.count("<source") == 2
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert "480w" in html and "960w" in html and "1440w" in html
    assert 'alt="A wide street"' in html and 'sizes="50vw"' in html
    assert 'width="960" height="600"' in html  # the fallback's own size: no layout shift
    for rendition in image.renditions.all():
        with PILImage.open(rendition.file.path) as stored:
            assert (
                stored.format
                == {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}[
                    rendition.spec.rsplit(".", 1)[1]
                ]
            )
            assert stored.width == rendition.width


@pytest.mark.django_db
def test_renditions_are_made_once_and_reused():
    import os

    from cms.templatetags.cms_tags import picture

    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(1000, 800), name="x.jpg"), alt_text="x"
    )
    first = picture(image)
    made = {r.spec: os.path.getmtime(r.file.path) for r in image.renditions.all()}
    assert len(made) == 9  # 480, 960 and 1000 wide, in three formats
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    assert picture(image) == first
    assert {r.spec: os.path.getmtime(r.file.path) for r in image.renditions.all()} == made


@pytest.mark.django_db
def test_a_crop_keeps_the_focal_point_in_view():
    from cms.renditions import crop_box

    # A wide image cropped to a portrait: the box moves to the focal point, within the edges.
    assert crop_box((1200, 800), (2, 3), (0.9, 0.5)) == (667, 0, 1200, 800)
    assert crop_box((1200, 800), (2, 3), (0.5, 0.5)) == (334, 0, 867, 800)
    assert crop_box((1200, 800), (2, 3), (0.0, 0.5)) == (0, 0, 533, 800)
    picture_ = Image.objects.create(
        file=ContentFile(jpeg_bytes(1200, 800), name="f.jpg"), alt_text="f", focal_x=0.9
    )
    rendition = picture_.renditions_for([480], crop="2x3")["jpeg"][0]
    assert (rendition.width, rendition.height) == (480, 720)


@pytest.mark.django_db
def test_an_expired_licence_hides_the_image_from_public_pages(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import FigureFactory, InterviewFactory

    interview = InterviewFactory()
    figure = FigureFactory(interview=interview, caption="Licensed until yesterday")
    url = interview.get_absolute_url()
    assert figure.image.alt_text in client.get(url).content.decode()
    Image.objects.filter(pk=figure.image_id).update(
        licence_expires_on=timezone.localdate() - timedelta(days=1)
    )
    page = client.get(url).content.decode()
    assert figure.image.alt_text not in page
    assert "Licensed until yesterday" not in page
    assert Image.objects.usable().count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 20, "Upload a valid image"),
        (b"%PDF-1.7 not a picture", "Upload a valid image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "Upload a valid image"),
    ],
    ids=["empty", "broken gif", "pdf", "svg with script"],
)  # fmt: skip
def test_each_refused_upload_names_the_reason_and_stores_no_file(
    editor_client, settings, content, reason
):
    from pathlib import Path

    from django.urls import reverse

    before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "Something"}
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Image.objects.exists()
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == before


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused(editor_client, settings):
    from django.urls import reverse

    settings.CMS_IMAGE_MAX_PIXELS = 1000
    upload = SimpleUploadedFile("big.png", png_bytes(100, 100), content_type="image/png")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "Something"}
    )
    assert "too many pixels" in response.content.decode()
    assert not Image.objects.exists()


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "AVIF", "GIF"])
def test_each_accepted_format_uploads(editor_client, fmt):
    from django.urls import reverse

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "orange").save(buffer, fmt)
    upload = SimpleUploadedFile(f"p.{fmt.lower()}", buffer.getvalue())
    response = editor_client.post(reverse("admin:cms_image_add"), {"file": upload, "alt_text": "A"})
    assert response.status_code == 302
    with PILImage.open(Image.objects.get().file.path) as stored:
        assert stored.format == fmt


@pytest.mark.django_db
def test_a_bmp_is_refused_by_name(editor_client):
    from django.urls import reverse

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30)).save(buffer, "BMP")
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = editor_client.post(reverse("admin:cms_image_add"), {"file": upload, "alt_text": "A"})
    assert "BMP files are not accepted" in response.content.decode()
    assert not Image.objects.exists()
