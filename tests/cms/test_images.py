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
