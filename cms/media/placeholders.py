"""Placeholder photos: a labelled image standing in until an editor uploads the real one.

Used for the demo content and for imported figures that come with a caption but no file.
Every placeholder says so on its face, so none is mistaken for a photograph.
"""

import io

from PIL import Image, ImageDraw, ImageFont

PLACEHOLDER_CREDIT = "Placeholder image: replace it with the photo"


def placeholder_jpeg(label: str, size: tuple[int, int] = (1200, 800), seed: int = 0) -> bytes:
    """A JPEG with a soft gradient, a few rings and ``label`` written across the bottom."""
    width, height = size
    hues = [(150, 60, 30), (40, 90, 130), (90, 110, 50), (110, 60, 120), (160, 30, 20)]
    top = hues[seed % len(hues)]
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c * (1 - t) + 30 * t) for c in top),
        )
    for i in range(7):
        r = 40 + i * 35
        cx, cy = int(width * (0.2 + 0.1 * i)), int(height * (0.35 + 0.05 * (i % 3)))
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=3)
    font = ImageFont.load_default(size=max(20, width // 32))
    small = ImageFont.load_default(size=max(14, width // 60))
    band = height - height // 4
    draw.rectangle([0, band, width, height], fill=(0, 0, 0))
    draw.text(
        (width // 24, band + height // 28), "PLACEHOLDER IMAGE", font=small, fill=(255, 210, 160)
    )
    lines, line = [], ""
    for word in label.split():
        if line and font.getlength(f"{line} {word}") > width * 0.9:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, text in enumerate(lines[:2]):
        y = band + height // 28 + int(small.size * 1.6) + i * int(font.size * 1.2)
        draw.text((width // 24, y), text, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
