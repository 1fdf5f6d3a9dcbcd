"""Resized, cropped and re-encoded copies of library images, made once with Pillow.

A rendition is named by its spec: width, optional aspect ratio, format, for example
``w960-3x2.webp``. The crop keeps the image's focal point in view.

Every image the site decodes is opened with ``open_image`` and its frames read with
``frames_within_limit``, which hold decoding to ``settings.CMS_IMAGE_MAX_PIXELS`` over all
the frames kept; every image it writes goes through ``bare`` first, which keeps only what
drawing it needs. The upload validator, metadata stripping and renditions all use them,
since images also arrive through fixtures, imports and code.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

# AVIF at 50: a phone's full-width poster (768 x 1152) weighs 54 KB, against 64 KB at 55,
# with no difference to see at the size shown; on a phone those bytes are the page's largest
# paint. What browsers without AVIF get is left as it was.
FORMATS = {
    "avif": ("AVIF", "image/avif", {"quality": 50}),
    "webp": ("WEBP", "image/webp", {"quality": 76, "method": 4}),
    "jpeg": ("JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}

# What pages show: the ``picture`` tag's widths, and every crop a template asks it for. The
# worker makes each of these for every image (``cms.media.tasks``); a picture asked for at
# other widths or another crop shows the stored original instead. 768 is a phone's: Chrome
# takes the smallest width at least the screen's density asks for, and a full-width picture
# on a 412 px screen at 1.75x (Lighthouse's phone) or a 375 px one at 2x wants 721 or 750
# pixels: 960 would be a third more than that, 1.6 times the bytes. 240 is for the small
# pictures beside a text (a film's poster beside its still on a phone, 7.5rem, or a
# screening's, 4.5rem), where 480 would be four times the pixels needed.
PAGE_WIDTHS = (240, 480, 768, 960, 1440)
PAGE_CROPS = ("", "3x2", "2x3", "16x9")

# What drawing a picture needs. Everything else in ``info`` (comments, EXIF, XMP, PNG text)
# is dropped before any file is written: Pillow writes a JPEG's or GIF's comment back by
# itself, from the image's own ``info``.
KEPT_IMAGE_INFO = ("transparency", "duration", "loop", "icc_profile", "background")

# Formats whose every frame the site decodes and keeps; of the others only the first is.
ANIMATED_FORMATS = frozenset({"GIF", "PNG", "WEBP"})

# Pillow itself then refuses, on opening and whoever opens it, an image of more than twice
# the limit (and warns above it); ``open_image`` holds all the frames to the limit itself.
PILImage.MAX_IMAGE_PIXELS = settings.CMS_IMAGE_MAX_PIXELS


def megapixels(pixels: int) -> str:
    """Pixels as megapixels for an editor to read: "160", "12.5" (or "0.0031" in tests)."""
    value = pixels / 1_000_000
    return (f"{value:.1f}" if value >= 1 else f"{value:.2g}").removesuffix(".0")


class ImageTooLarge(OSError):
    """Decoding the image, over all the frames kept, would pass the pixel limit.

    An ``OSError`` like any file Pillow cannot read, so callers that skip unreadable images
    (the ``picture`` tag) skip this one too; ``message`` and ``params`` tell an editor why.
    ``size`` is None when Pillow refused the image on opening, at twice its own limit.
    """

    def __init__(self, frames: int, size: tuple[int, int] | None, limit: int) -> None:
        width, height = size or (0, 0)
        if size is None:
            total = 2 * PILImage.MAX_IMAGE_PIXELS
            self.message = _(
                "The image has more than %(total)s megapixels; the limit is %(limit)s. "
                "Use a smaller image."
            )
        elif frames > 1:
            total = frames * width * height
            self.message = _(
                "The animation has %(frames)d frames of %(width)d×%(height)d pixels, "
                "%(total)s megapixels in all; the limit is %(limit)s. "
                "Use fewer or smaller frames."
            )
        else:
            total = width * height
            self.message = _(
                "The image has too many pixels to process safely: %(width)d×%(height)d "
                "pixels is %(total)s megapixels; the limit is %(limit)s. Use a smaller image."
            )
        self.params = {"frames": frames, "width": width, "height": height,
                       "total": megapixels(total), "limit": megapixels(limit)}  # fmt: skip
        super().__init__(str(self.message % self.params))


def frame_count(picture: PILImage.Image) -> int:
    """The frames the site decodes: all of an animation, the first of anything else.

    Reads headers only: ``n_frames`` of a GIF skips each frame's data without decoding
    it; WebP and APNG declare their count. MPO and AVIF are stored as one still picture.
    """
    return getattr(picture, "n_frames", 1) if picture.format in ANIMATED_FORMATS else 1


@contextmanager
def open_image(source) -> Iterator[PILImage.Image]:
    """Pillow's ``open``, refusing before any decoding an image whose frames pass the limit.

    Counts every frame kept, not one: a 134 KB GIF of 10 frames of 4000×4000 decodes to
    1 GB. Pillow's own refusal, on opening or on a later frame, becomes ``ImageTooLarge``.
    """
    limit = settings.CMS_IMAGE_MAX_PIXELS
    try:
        with PILImage.open(source) as picture:
            count = frame_count(picture)
            if count * picture.width * picture.height > limit:
                raise ImageTooLarge(count, picture.size, limit)
            yield picture
    except PILImage.DecompressionBombError as exc:
        raise ImageTooLarge(1, None, limit) from exc


def frames_within_limit(picture: PILImage.Image) -> Iterator[PILImage.Image]:
    """Each frame kept, in turn, refused before it is decoded if it takes the total too far.

    ``open_image`` counts frames at the first one's size, but a GIF frame may be larger
    and grow the canvas; this sum is the pixels decoding really takes.
    """
    limit = settings.CMS_IMAGE_MAX_PIXELS
    count = frame_count(picture)
    total = 0
    for index in range(count):
        picture.seek(index)
        total += picture.width * picture.height
        if total > limit:
            raise ImageTooLarge(count, picture.size, limit)
        yield picture


def bare(picture: PILImage.Image) -> PILImage.Image:
    """``picture`` with only ``KEPT_IMAGE_INFO`` left in its info, ready to be written.

    Pillow's writers take some metadata from ``info`` unasked (a comment, in JPEG and GIF),
    so clearing what they are given is not enough.
    """
    picture.info = {key: picture.info[key] for key in KEPT_IMAGE_INFO if key in picture.info}
    return picture


def spec_name(width: int, crop: str, fmt: str) -> str:
    return f"w{width}{f'-{crop}' if crop else ''}.{fmt}"


def widths_within(widths: list[int] | tuple[int, ...], original: int | None) -> list[int]:
    """``widths`` none wider than the original, which stands in for the ones that would be."""
    largest = min(max(widths), original or max(widths))
    return sorted({w for w in widths if w < largest} | {largest})


def crop_box(size: tuple[int, int], ratio: tuple[int, int], focal: tuple[float, float]):
    """The largest box of ``ratio`` inside ``size``, centred on the focal point if it can be."""
    width, height = size
    target = ratio[0] / ratio[1]
    if width / height > target:
        box_w, box_h = round(height * target), height
    else:
        box_w, box_h = width, round(width / target)
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def render(
    source, width: int, crop: str, fmt: str, focal: tuple[float, float]
) -> tuple[ContentFile, tuple[int, int]]:
    """Encode one rendition of the image file ``source``; return it and its size.

    The file may never have passed the upload checks (a fixture, an import), so it is
    opened within the pixel limit and written without its metadata here too.
    """
    pil_format, _mime, options = FORMATS[fmt]
    source.seek(0)
    with open_image(source) as picture:
        picture.load()
        if crop:
            ratio = tuple(int(part) for part in crop.split("x"))
            picture = picture.crop(crop_box(picture.size, ratio, focal))
        if picture.width > width:
            height = round(picture.height * width / picture.width)
            picture = picture.resize((width, height), PILImage.Resampling.LANCZOS)
        if pil_format == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        elif picture.mode == "P":
            picture = picture.convert("RGBA")
        buffer = io.BytesIO()
        bare(picture).save(buffer, pil_format, **options)
        size = picture.size
    return ContentFile(buffer.getvalue()), size
