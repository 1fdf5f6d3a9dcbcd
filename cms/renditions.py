"""Resized, cropped and re-encoded copies of library images, made once with Pillow.

A rendition is named by its spec: width, optional aspect ratio, format, for example
``w960-3x2.webp``. The crop keeps the image's focal point in view.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage

FORMATS = {
    "avif": ("AVIF", "image/avif", {"quality": 55}),
    "webp": ("WEBP", "image/webp", {"quality": 76, "method": 4}),
    "jpeg": ("JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}


def spec_name(width: int, crop: str, fmt: str) -> str:
    return f"w{width}{f'-{crop}' if crop else ''}.{fmt}"


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
    """Encode one rendition of the image file ``source``; return it and its size."""
    pil_format, _mime, options = FORMATS[fmt]
    source.seek(0)
    with PILImage.open(source) as picture:
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
        picture.save(buffer, pil_format, **options)
        size = picture.size
    return ContentFile(buffer.getvalue()), size
