"""The image library: real files checked by Pillow, metadata stripped, alt text required."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image as PILImage

from cms.media.models import Image, validate_image_file
from tests.factories import InterviewFactory, jpeg_bytes


def gps_exif() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif.tobytes()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels; Pillow refuses it on opening."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


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
def test_picture_has_avif_webp_and_jpeg_at_several_widths_with_its_size(make_renditions):
    from cms.templatetags.cms_tags import picture

    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(1600, 1000), name="wide.jpg"), alt_text="A wide street"
    )
    make_renditions(image)
    html = picture(image, sizes="50vw")
    assert html.count("<source") == 2
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert all(f"{width}w" in html for width in (240, 480, 768, 960, 1440))
    assert 'alt="A wide street"' in html and 'sizes="50vw"' in html
    assert 'width="768" height="480"' in html  # the fallback's own size: no layout shift
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
def test_a_picture_loads_first_at_once_or_lazily_as_asked(make_renditions):
    from cms.templatetags.cms_tags import picture

    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(1600, 1000), name="wide.jpg"), alt_text="A wide street"
    )
    for ready in (False, True):  # the original alone, then the renditions
        if ready:
            make_renditions(image)
        attributes = {
            load: ('fetchpriority="high"' in html, 'loading="lazy"' in html)
            for load in ("first", "eager", "lazy")
            for html in [picture(image, load=load)]
        }
        assert attributes == {
            "first": (True, False),
            "eager": (False, False),
            "lazy": (False, True),
        }
        assert 'loading="lazy"' in picture(image)  # unless asked
    with pytest.raises(ValueError, match="load='high'"):
        picture(image, load="high")


@pytest.mark.django_db
def test_renditions_are_made_once_and_reused():
    import os

    from cms.templatetags.cms_tags import picture

    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(1000, 800), name="x.jpg"), alt_text="x"
    )
    image.renditions_for([480, 960, 1440])
    first = picture(image)
    made = {r.spec: os.path.getmtime(r.file.path) for r in image.renditions.all()}
    assert len(made) == 9  # 480, 960 and 1000 wide, in three formats
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    assert image.renditions_for([480, 960, 1440]) == image.ready_renditions([480, 960, 1440])
    assert picture(image) == first
    assert {r.spec: os.path.getmtime(r.file.path) for r in image.renditions.all()} == made


@pytest.mark.django_db
def test_a_crop_keeps_the_focal_point_in_view():
    from cms.media.renditions import crop_box

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

    from tests.factories import FigureFactory

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
    assert not Image.objects.get(pk=figure.image_id).is_usable


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 20, "The file is not an image this site can read."),
        (b"%PDF-1.7 not a picture", "The file is not an image this site can read."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "The file is not an image this site can read."),
        (png_claiming(20_000, 20_000), "more than 100 megapixels; the limit is 50"),
    ],
    ids=["empty", "broken gif", "pdf", "svg with script", "400 megapixels"],
)  # fmt: skip
def test_each_refused_upload_names_the_reason_and_stores_no_file(
    editor_client, settings, content, reason
):
    from pathlib import Path

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

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "orange").save(buffer, fmt)
    upload = SimpleUploadedFile(f"p.{fmt.lower()}", buffer.getvalue())
    response = editor_client.post(reverse("admin:cms_image_add"), {"file": upload, "alt_text": "A"})
    assert response.status_code == 302
    with PILImage.open(Image.objects.get().file.path) as stored:
        assert stored.format == fmt


@pytest.mark.django_db
def test_a_bmp_is_refused_by_name(editor_client):

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30)).save(buffer, "BMP")
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = editor_client.post(reverse("admin:cms_image_add"), {"file": upload, "alt_text": "A"})
    assert "BMP files are not accepted" in response.content.decode()
    assert not Image.objects.exists()


# Decompression bombs made of frames (review finding F3): the limit is on the pixels that
# decoding every frame takes, wherever the image comes from.


def animated_gif(frames: int, width: int, height: int | None = None, **options) -> bytes:
    """A GIF of ``frames`` solid frames, each its own colour so that none are merged."""
    palette = [value for colour in range(256) for value in (colour, 255 - colour, 0)]
    pictures = []
    for index in range(frames):
        picture = PILImage.new("P", (width, height or width), index % 256)
        picture.putpalette(palette)
        pictures.append(picture)
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], **options)
    return buffer.getvalue()


def gif_growing_after_its_first_frame(later: int, side: int) -> bytes:
    """A GIF whose screen and first frame are 1×1, then ``later`` frames of side × side.

    Pillow grows the canvas to each frame, so it decodes ``later`` large frames although
    the size it reports on opening, and the frame count, describe a 1×1 animation.
    """
    from PIL import GifImagePlugin

    palette = bytes(value for colour in range(256) for value in (colour, colour, colour))
    screen = b"GIF89a" + (1).to_bytes(2, "little") * 2 + bytes([0xF7, 0, 0]) + palette
    blocks = [screen]
    for index in range(later + 1):
        size = 1 if index == 0 else side
        blocks += GifImagePlugin.getdata(PILImage.new("P", (size, size), index), duration=100)
    return b"".join(blocks) + b";"


def media_files(settings) -> set:
    from pathlib import Path

    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def ten_huge_frames() -> bytes:
    """The GIF of the review: 134 KB, 10 frames of 4000×4000, 160 megapixels decoded."""
    return animated_gif(10, 4000)


def test_an_animation_is_measured_by_the_pixels_of_all_its_frames(ten_huge_frames):
    assert len(ten_huge_frames) < 200_000  # small enough for every upload limit
    upload = SimpleUploadedFile("flicker.gif", ten_huge_frames, content_type="image/gif")
    with pytest.raises(ValidationError) as refused:
        validate_image_file(upload)
    assert refused.value.messages == [
        "The animation has 10 frames of 4000×4000 pixels, 160 megapixels in all; "
        "the limit is 50. Use fewer or smaller frames."
    ]
    assert upload.tell() == 0


@pytest.mark.django_db
def test_a_refused_animation_leaves_no_image_and_no_file(editor_client, settings):

    settings.CMS_IMAGE_MAX_PIXELS = 1_000_000
    before = media_files(settings)
    upload = SimpleUploadedFile("flicker.gif", animated_gif(10, 400), content_type="image/gif")
    response = editor_client.post(
        reverse("admin:cms_image_add"), {"file": upload, "alt_text": "A flicker"}
    )
    assert response.status_code == 200
    assert "10 frames of 400×400 pixels, 1.6 megapixels in all; the limit is 1." in (
        response.content.decode()
    )
    assert not Image.objects.exists()
    assert media_files(settings) == before


@pytest.mark.django_db
def test_an_animation_over_the_limit_saved_by_code_stores_nothing(settings):
    settings.CMS_IMAGE_MAX_PIXELS = 1_000_000
    kept = Image.objects.create(file=ContentFile(jpeg_bytes(), name="kept.jpg"), alt_text="K")
    before = media_files(settings)
    with pytest.raises(OSError, match="10 frames of 400×400"):
        Image.objects.create(file=ContentFile(animated_gif(10, 400), name="a.gif"), alt_text="A")
    kept.file = ContentFile(animated_gif(10, 400), name="b.gif")
    with pytest.raises(OSError, match="10 frames of 400×400"):
        kept.save()
    assert list(Image.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Image.objects.get().file.name.endswith(".jpg")
    assert media_files(settings) == before


@pytest.mark.django_db
def test_gif_frames_larger_than_the_first_count_at_their_own_size(settings):
    settings.CMS_IMAGE_MAX_PIXELS = 1_000_000
    content = gif_growing_after_its_first_frame(later=4, side=600)  # 1.44 megapixels decoded
    with PILImage.open(io.BytesIO(content)) as picture:
        assert (picture.size, picture.n_frames) == ((1, 1), 5)  # what the header tells
    upload = SimpleUploadedFile("grow.gif", content, content_type="image/gif")
    with pytest.raises(ValidationError, match="frames of 600×600 pixels"):
        validate_image_file(upload)
    before = media_files(settings)
    with pytest.raises(OSError, match="5 frames of 600×600"):
        Image.objects.create(file=ContentFile(content, name="grow.gif"), alt_text="Grow")
    assert not Image.objects.exists()
    assert media_files(settings) == before


@pytest.mark.django_db
def test_an_animation_within_the_limit_keeps_every_frame_and_its_timing(settings):
    settings.CMS_IMAGE_MAX_PIXELS = 30_000  # exactly 3 frames of 100×100
    content = animated_gif(3, 100, duration=120, loop=0, transparency=0)
    validate_image_file(SimpleUploadedFile("ok.gif", content, content_type="image/gif"))
    image = Image.objects.create(file=ContentFile(content, name="ok.gif"), alt_text="OK")
    with PILImage.open(image.file.path) as stored:
        assert stored.n_frames == 3
        assert (stored.info["duration"], stored.info["loop"]) == (120, 0)
        assert stored.info["transparency"] == 0


@pytest.mark.django_db
def test_renditions_refuse_a_stored_animation_over_the_limit(settings):
    """A fixture or an old upload never went through the checks; renditions check again."""
    from django.core.files.storage import default_storage

    from cms.media.models import Rendition
    from cms.templatetags.cms_tags import picture

    settings.CMS_IMAGE_MAX_PIXELS = 1_000_000
    name = default_storage.save("images/fixture/flicker.gif", ContentFile(animated_gif(10, 400)))
    (image,) = Image.objects.bulk_create([Image(file=name, alt_text="F", width=400, height=400)])
    before = media_files(settings)
    with pytest.raises(OSError, match="10 frames of 400×400"):  # cms.media.renditions.ImageTooLarge
        image.renditions_for([240])
    with pytest.raises(OSError, match="10 frames of 400×400"):  # what the worker does
        image.render_missing_renditions()
    assert "<picture" not in picture(image)  # a page still renders, with the stored original
    assert not Rendition.objects.exists()
    assert media_files(settings) == before


def test_pillow_itself_refuses_images_over_twice_the_limit(settings):
    assert PILImage.MAX_IMAGE_PIXELS == settings.CMS_IMAGE_MAX_PIXELS
    upload = SimpleUploadedFile("huge.png", png_claiming(20_000, 20_000))
    with pytest.raises(ValidationError, match="more than 100 megapixels; the limit is 50"):
        validate_image_file(upload)


# Metadata in every kind of block (review finding F7): no file the site writes, original or
# rendition, may carry any of it.

MARKER = "SECRET-SOURCE-NAME-42"


def marker_exif() -> bytes:
    exif = PILImage.Exif()
    exif[0x010E] = MARKER  # ImageDescription
    exif[0x013B] = MARKER  # Artist
    exif[0x8298] = MARKER  # Copyright
    return exif.tobytes()


def marker_xmp() -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:source="{MARKER}"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def marker_png_text():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Source", MARKER)  # tEXt
    text.add_text("Author", MARKER, zip=True)  # zTXt
    text.add_itxt("Comment", MARKER, lang="en")  # iTXt
    text.add_itxt("XML:com.adobe.xmp", marker_xmp().decode())  # XMP, as PNG carries it
    return text


def frames_of(mode: str, count: int) -> list:
    return [PILImage.new(mode, (40, 30), (40 * i, 90, 200 - 40 * i)) for i in range(count)]


def with_marker(fmt: str, animated: bool) -> bytes:
    """A 40×30 image in ``fmt`` with the marker in every metadata block Pillow can write."""
    pictures = frames_of("RGB", 3 if animated else 1)
    options = {
        "JPEG": {"comment": MARKER, "exif": marker_exif(), "xmp": marker_xmp()},
        "PNG": {"pnginfo": marker_png_text(), "exif": marker_exif()},
        "GIF": {"comment": MARKER},
        "WEBP": {"exif": marker_exif(), "xmp": marker_xmp()},
        "AVIF": {"exif": marker_exif(), "xmp": marker_xmp()},
    }[fmt]
    if animated:
        options |= {"save_all": True, "append_images": pictures[1:], "duration": 100, "loop": 0}
    buffer = io.BytesIO()
    pictures[0].save(buffer, fmt, **options)
    return buffer.getvalue()


def readable_metadata(content: bytes) -> str:
    """The raw bytes, and what Pillow reads from every frame (zTXt is compressed on disk)."""
    found = [content.decode("latin-1")]
    with PILImage.open(io.BytesIO(content)) as picture:
        for index in range(getattr(picture, "n_frames", 1)):
            picture.seek(index)
            found += [repr(picture.info), repr(dict(picture.getexif()))]
            found.append(repr(getattr(picture, "text", {})))
    return "\n".join(found)


MARKED = pytest.mark.parametrize(
    ("fmt", "animated"),
    [("JPEG", False), ("PNG", False), ("PNG", True), ("GIF", False), ("GIF", True),
     ("WEBP", False), ("WEBP", True), ("AVIF", False)],
    ids=["jpeg", "png", "apng", "gif", "animated gif", "webp", "animated webp", "avif"],
)  # fmt: skip


@pytest.mark.django_db
@MARKED
def test_no_stored_file_keeps_any_metadata_of_the_upload(fmt, animated):
    content = with_marker(fmt, animated)
    assert MARKER in readable_metadata(content)  # the test file really carries it

    image = Image.objects.create(file=ContentFile(content, name=f"m.{fmt.lower()}"), alt_text="M")
    renditions = image.renditions_for([24])

    written = [image.file] + [r.file for made in renditions.values() for r in made]
    assert len(written) == 4
    for stored in written:
        with stored.open("rb") as opened:
            assert MARKER not in readable_metadata(opened.read()), stored.name
    with PILImage.open(image.file.path) as kept:
        assert getattr(kept, "n_frames", 1) == (3 if animated else 1)


@pytest.mark.django_db
@MARKED
def test_renditions_keep_no_metadata_of_a_file_stored_without_checks(fmt, animated):
    """Fixtures and old uploads skipped ``strip_metadata``; renditions strip it themselves."""
    from django.core.files.storage import default_storage

    name = default_storage.save(f"images/fixture/m.{fmt.lower()}", ContentFile(
        with_marker(fmt, animated)))  # fmt: skip
    (image,) = Image.objects.bulk_create([Image(file=name, alt_text="M", width=40, height=30)])
    for made in image.renditions_for([24]).values():
        for rendition in made:
            with rendition.file.open("rb") as opened:
                assert MARKER not in readable_metadata(opened.read()), rendition.spec


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
def test_a_new_focal_point_or_file_replaces_the_old_renditions(
    django_capture_on_commit_callbacks,
):
    image = Image.objects.create(file=ContentFile(jpeg_bytes(900, 600), name="f.jpg"), alt_text="f")
    image.renditions_for([480], crop="2x3")
    old_files = [r.file.path for r in image.renditions.all()]
    assert old_files
    image.focal_x = 0.9
    with django_capture_on_commit_callbacks(execute=True):  # files go once the change is in
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
