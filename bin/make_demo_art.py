"""Draw the demo's pictures: a poster, a title card and a still for each demo film, and
soft, photographic-looking abstracts (no text, no people) for the interview and the news.

Run by hand when the art changes, never by ``make run``: the JPEGs are committed under
fixtures/media/demo/ at the names fixtures/demo.json gives them, and ``load_demo`` copies
them into media storage.

    sudo apt-get install -y fonts-inter fonts-sil-charis   # the type, from the OTF/TTF sources
    .venv/bin/python bin/make_demo_art.py

The films' titles, years and credits are read from demo.json, so the type matches the
pages; each picture's alt text in demo.json describes what is drawn here. Every picture
comes from a fixed random seed, so a rerun writes the same art. Pillow is the only
dependency (the project's own), and each JPEG stays under ``MAX_BYTES``.
"""

from __future__ import annotations

import argparse
import colorsys
import io
import json
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo.json"
MEDIA = ROOT / "fixtures" / "media"
MAX_BYTES = 400_000

INTER = Path("/usr/share/fonts/opentype/inter")
CHARIS = Path("/usr/share/fonts/truetype/charis")
FONTS = {
    "black": INTER / "InterDisplay-Black.otf",
    "bold": INTER / "InterDisplay-Bold.otf",
    "semibold": INTER / "Inter-SemiBold.otf",
    "serif-italic": CHARIS / "CharisSIL-Italic.ttf",
}

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """A film's colours: the sky from top to horizon, the glow behind the title, the ground."""

    sky: tuple[Colour, ...]
    glow: Colour
    ground: Colour
    accent: Colour
    ink: Colour = (250, 246, 240)


# One palette per demo film, by slug; a film without one gets a palette from its slug.
PALETTES = {
    "ai-weiwei-never-sorry": Palette(
        sky=((24, 6, 8), (112, 12, 18), (196, 34, 26), (238, 92, 40)),
        glow=(255, 120, 52),
        ground=(20, 16, 15),
        accent=(232, 44, 36),
    ),
}


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A face at ``size`` px from the installed OTF/TTF sources."""
    path = FONTS[name]
    if not path.is_file():
        sys.exit(f"{path} is missing: apt-get install -y fonts-inter fonts-sil-charis")
    return ImageFont.truetype(str(path), size)


# Drawing primitives ------------------------------------------------------------------


def gradient(size: tuple[int, int], stops: tuple[Colour, ...], angle: float = 90) -> Image.Image:
    """A smooth multi-stop gradient across the whole picture; ``angle`` 90 runs top to bottom."""
    w, h = size
    a = math.radians(angle)
    span = abs(w * math.cos(a)) + abs(h * math.sin(a))  # the picture's length along the angle
    side = int(math.hypot(w, h)) + 2
    strip = Image.new("RGB", (1, side))
    for y in range(side):
        t = min(1.0, max(0.0, (y - (side - span) / 2) / span)) * (len(stops) - 1)
        i = min(int(t), len(stops) - 2)
        f = t - i
        colour = tuple(round(p + (q - p) * f) for p, q in zip(stops[i], stops[i + 1], strict=True))
        strip.putpixel((0, y), colour)
    square = strip.resize((side, side), Image.Resampling.BILINEAR)
    square = square.rotate(90 - angle, Image.Resampling.BICUBIC)
    left, top = (side - w) // 2, (side - h) // 2
    return square.crop((left, top, left + w, top + h))


def radial_mask(width: int, height: int, falloff: float = 1.0) -> Image.Image:
    """An 'L' mask, white at the centre fading to black at the ellipse's edge."""
    # Pillow's gradient reaches white at the corners, not the edge: stretch it to the edge.
    ring = Image.radial_gradient("L").point(lambda v: min(255, round(v * math.sqrt(2))))
    mask = ImageChops.invert(ring).resize((width, height), Image.Resampling.BICUBIC)
    if falloff != 1.0:
        mask = mask.point(lambda v: round(255 * (v / 255) ** falloff))
    return mask


def glow(
    image: Image.Image,
    centre: tuple[float, float],
    radii: tuple[float, float],
    colour: Colour,
    strength: float = 1.0,
    falloff: float = 1.6,
) -> None:
    """Add light: a soft elliptical glow, blended by screen so it brightens like light does."""
    w, h = int(radii[0] * 2), int(radii[1] * 2)
    mask = radial_mask(w, h, falloff).point(lambda v: round(v * strength))
    layer = Image.new("RGB", image.size, (0, 0, 0))
    alpha = Image.new("L", image.size, 0)
    alpha.paste(mask, (int(centre[0] - w / 2), int(centre[1] - h / 2)))
    layer.paste(colour, (0, 0, *image.size), alpha)
    image.paste(ImageChops.screen(image, layer))


def shade(image: Image.Image, mask: Image.Image, colour: Colour, opacity: float) -> None:
    """Lay ``colour`` over ``image`` through ``mask`` at ``opacity`` (for shadows and fog)."""
    image.paste(colour, (0, 0, *image.size), mask.point(lambda v: round(v * opacity)))


def vignette(image: Image.Image, strength: float = 0.55) -> None:
    """Darken the corners as a lens does."""
    w, h = image.size
    mask = ImageChops.invert(radial_mask(int(w * 1.5), int(h * 1.5), 0.7))
    mask = mask.crop((w // 4, h // 4, w // 4 + w, h // 4 + h))
    shade(image, mask, (0, 0, 0), strength)


def grain(image: Image.Image, rng: random.Random, amount: float = 0.06) -> Image.Image:
    """Fine film grain, so flat gradients read as a photograph and do not band."""
    noise = Image.effect_noise((image.width // 2, image.height // 2), 48 + rng.random() * 4)
    noise = noise.resize(image.size, Image.Resampling.BICUBIC).convert("RGB")
    return Image.blend(image, ImageChops.overlay(image, noise), amount * 4)


def bokeh(
    image: Image.Image,
    rng: random.Random,
    count: int,
    colours: list[Colour],
    radius: tuple[int, int],
    area: tuple[float, float, float, float] = (0, 0, 1, 1),
    blur: float = 3,
    opacity: tuple[int, int] = (60, 150),
) -> None:
    """Out-of-focus points of light: discs with a brighter rim, screened over the image."""
    w, h = image.size
    layer = Image.new("RGB", image.size, (0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        r = rng.uniform(*radius)
        x = rng.uniform(area[0], area[2]) * w
        y = rng.uniform(area[1], area[3]) * h
        colour = rng.choice(colours)
        level = rng.randint(*opacity) / 255
        fill = tuple(round(c * level) for c in colour)
        rim = tuple(min(255, round(c * level * 1.35)) for c in colour)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=rim, width=max(1, int(r / 9)))
    image.paste(ImageChops.screen(image, layer.filter(ImageFilter.GaussianBlur(blur))))


def soft_polygon(
    image: Image.Image,
    points: list[tuple[float, float]],
    colour: Colour,
    opacity: float,
    blur: float,
    screen: bool = True,
) -> None:
    """A blurred shape of light (``screen``) or shadow: beams, windows, walls."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).polygon(points, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: round(v * opacity))
    if screen:
        layer = Image.new("RGB", image.size, (0, 0, 0))
        layer.paste(colour, (0, 0, *image.size), mask)
        image.paste(ImageChops.screen(image, layer))
    else:
        image.paste(colour, (0, 0, *image.size), mask)


def tracked(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    fill: Colour,
    tracking: float,
    anchor: str = "l",
) -> float:
    """Set capitals with extra letter-spacing (``tracking`` in ems); returns the width."""
    widths = [face.getlength(ch) for ch in text]
    total = sum(widths) + tracking * face.size * (len(text) - 1)
    x = xy[0] - (total / 2 if anchor == "m" else total if anchor == "r" else 0)
    for ch, width in zip(text, widths, strict=True):
        draw.text((x, xy[1]), ch, font=face, fill=fill, anchor="ls")
        x += width + tracking * face.size
    return total


def fitted(name: str, text: str, width: float, largest: int) -> ImageFont.FreeTypeFont:
    """The face at the largest size (up to ``largest``) at which ``text`` fits ``width``."""
    size = largest
    while size > 8 and font(name, size).getlength(text) > width:
        size -= 2
    return font(name, size)


def text_shadow(
    image: Image.Image,
    paint: Callable[[ImageDraw.ImageDraw], None],
    radius: float = 18,
    opacity: float = 0.55,
) -> None:
    """Paint type over a soft shadow of itself, so it holds on any part of the picture."""
    mask = Image.new("L", image.size, 0)
    paint_mask = ImageDraw.Draw(mask)
    paint(_MaskDraw(paint_mask))
    shade(image, mask.filter(ImageFilter.GaussianBlur(radius)), (0, 0, 0), opacity)
    paint(ImageDraw.Draw(image))


class _MaskDraw:
    """An ImageDraw stand-in that paints every fill white, to build a shadow mask."""

    def __init__(self, draw: ImageDraw.ImageDraw) -> None:
        self.draw = draw

    def text(self, xy, text, font=None, fill=None, anchor=None, **kwargs):
        self.draw.text(xy, text, font=font, fill=255, anchor=anchor, **kwargs)

    def line(self, xy, fill=None, width=0, **kwargs):
        self.draw.line(xy, fill=255, width=width, **kwargs)

    def ellipse(self, xy, fill=None, outline=None, width=1):
        self.draw.ellipse(
            xy, fill=255 if fill else None, outline=255 if outline else None, width=width
        )


# The film's world: sunflower seeds and a surveillance camera -------------------------


@cache
def seed_sprite(angle: int, length: int) -> Image.Image:
    """One porcelain sunflower seed (after Ai Weiwei's 2010 installation), as RGBA."""
    scale = 4
    w, h = length * scale, int(length * 0.56) * scale
    sprite = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sprite)
    draw.polygon(
        [
            (0, h / 2),
            (w * 0.3, 0),
            (w * 0.85, h * 0.06),
            (w, h / 2),
            (w * 0.85, h * 0.94),
            (w * 0.3, h),
        ],
        fill=(46, 43, 41, 255),
    )
    draw.polygon(
        [
            (w * 0.05, h / 2),
            (w * 0.32, h * 0.12),
            (w * 0.8, h * 0.16),
            (w * 0.94, h / 2),
            (w * 0.8, h * 0.84),
            (w * 0.32, h * 0.88),
        ],
        fill=(70, 66, 62, 255),
    )
    draw.polygon(
        [
            (w * 0.1, h * 0.5),
            (w * 0.4, h * 0.38),
            (w * 0.9, h * 0.46),
            (w * 0.9, h * 0.54),
            (w * 0.4, h * 0.62),
        ],
        fill=(206, 200, 190, 255),
    )
    draw.line([(w * 0.3, h * 0.24), (w * 0.82, h * 0.3)], fill=(150, 144, 136, 255), width=scale)
    draw.line([(w * 0.3, h * 0.76), (w * 0.82, h * 0.7)], fill=(120, 114, 108, 255), width=scale)
    sprite = sprite.resize((max(2, w // scale), max(2, h // scale)), Image.Resampling.LANCZOS)
    return sprite.rotate(angle, Image.Resampling.BICUBIC, expand=True)


def seed_field(
    image: Image.Image, rng: random.Random, horizon: float, palette: Palette, nearest: int
) -> None:
    """A floor of sunflower seeds running to the horizon, lit from behind by the sky."""
    w, h = image.size
    top = int(h * horizon)
    soft_polygon(image, [(0, top), (w, top), (w, h), (0, h)], palette.ground, 1.0, 4, screen=False)
    floor = Image.new("RGBA", image.size, (0, 0, 0, 0))
    y = float(top)
    while y < h + nearest:
        depth = (y - top) / (h - top)  # 0 at the horizon, 1 at the bottom edge
        length = max(3, int(3 + (nearest - 3) * depth**1.6))
        x = -rng.uniform(0, length)
        while x < w + length:
            sprite = seed_sprite(rng.randrange(0, 180, 12), length)
            floor.alpha_composite(
                sprite, (int(x), int(y + rng.uniform(-length * 0.3, length * 0.3)))
            )
            x += length * rng.uniform(0.55, 0.8)
        y += max(1.5, length * 0.32)
    image.paste(floor, (0, 0), floor)
    # Haze toward the horizon, and the sky's light caught on the near seeds.
    haze = gradient((w, h - top), ((255, 255, 255), (0, 0, 0)))
    mask = Image.new("L", image.size, 0)
    mask.paste(haze.convert("L").point(lambda v: round(255 * (v / 255) ** 2.2)), (0, top))
    shade(image, mask, palette.sky[-2], 0.85)
    glow(image, (w * 0.5, top), (w * 0.8, (h - top) * 0.5), palette.glow, 0.35)


def surveillance_camera(
    image: Image.Image, anchor: tuple[float, float], scale: float, colour: Colour, led: Colour
) -> None:
    """A CCTV camera on a wall bracket, in silhouette, looking down and to the left."""
    x0, y0 = anchor
    s = scale
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((x0 - 10 * s, y0 - 60 * s, x0 + 40 * s, y0 + 60 * s), fill=255)  # wall plate
    draw.polygon(
        [
            (x0, y0 - 12 * s),
            (x0 - 150 * s, y0 + 10 * s),
            (x0 - 150 * s, y0 + 34 * s),
            (x0, y0 + 12 * s),
        ],
        fill=255,
    )  # arm
    draw.ellipse((x0 - 175 * s, y0 - 5 * s, x0 - 125 * s, y0 + 45 * s), fill=255)  # joint

    def rotated(
        points: list[tuple[float, float]], cx: float, cy: float, degrees: float
    ) -> list[tuple[float, float]]:
        a = math.radians(degrees)
        return [
            (
                cx + (px - cx) * math.cos(a) - (py - cy) * math.sin(a),
                cy + (px - cx) * math.sin(a) + (py - cy) * math.cos(a),
            )
            for px, py in points
        ]

    cx, cy = x0 - 150 * s, y0 + 20 * s
    tilt = 24
    body = [
        (cx + 60 * s, cy - 70 * s),
        (cx - 330 * s, cy - 70 * s),
        (cx - 360 * s, cy - 40 * s),
        (cx - 360 * s, cy + 40 * s),
        (cx + 60 * s, cy + 40 * s),
    ]
    hood = [
        (cx + 80 * s, cy - 95 * s),
        (cx - 420 * s, cy - 95 * s),
        (cx - 420 * s, cy - 72 * s),
        (cx + 80 * s, cy - 72 * s),
    ]
    draw.polygon(rotated(body, cx, cy, -tilt), fill=255)
    draw.polygon(rotated(hood, cx, cy, -tilt), fill=255)
    soft = mask.filter(ImageFilter.GaussianBlur(1.2))
    image.paste(colour, (0, 0, *image.size), soft)
    lens = rotated([(cx - 362 * s, cy)], cx, cy, -tilt)[0]
    glow(image, (lens[0] + 4 * s, lens[1] - 40 * s), (24 * s, 24 * s), led, 1.0, 1.2)
    glow(image, (lens[0] + 4 * s, lens[1] - 40 * s), (6 * s, 6 * s), (255, 255, 255), 0.9, 0.8)


def film_world(
    size: tuple[int, int],
    palette: Palette,
    rng: random.Random,
    horizon: float,
    camera: tuple[float, float, float] | None,
) -> Image.Image:
    """The shared ground of a film's art: a burning sky over a field of seeds."""
    w, h = size
    image = gradient(size, palette.sky)
    glow(image, (w * 0.42, h * horizon), (w * 0.9, h * 0.55), palette.glow, 0.55)
    glow(image, (w * 0.5, h * horizon), (w * 0.45, h * 0.12), (255, 214, 170), 0.45)
    bokeh(
        image,
        rng,
        26,
        [palette.glow, (255, 190, 130)],
        (w // 200, w // 60),
        (0, horizon - 0.25, 1, horizon - 0.02),
        blur=w / 500,
        opacity=(15, 55),
    )
    seed_field(image, rng, horizon, palette, nearest=max(30, w // 24))
    if camera:
        surveillance_camera(
            image, (w * camera[0], h * camera[1]), camera[2], (14, 6, 7), palette.accent
        )
    return image


@dataclass(frozen=True)
class Film:
    """What the art sets in type, read from demo.json."""

    slug: str
    title: str
    year: int
    director: str
    logline: str

    @property
    def kicker_and_name(self) -> tuple[str, str]:
        """``Ai Weiwei: Never Sorry`` is set as a small ``AI WEIWEI`` over ``NEVER SORRY``."""
        head, sep, tail = self.title.partition(": ")
        return (head.upper(), tail.upper()) if sep else ("", self.title.upper())


def palette_for(film: Film) -> Palette:
    """The film's own palette, or one drawn from its slug."""
    if film.slug in PALETTES:
        return PALETTES[film.slug]
    rng = random.Random(film.slug)
    hue = rng.random()

    def hsv(h: float, s: float, v: float) -> Colour:
        return tuple(round(c * 255) for c in colorsys.hsv_to_rgb(h % 1, s, v))

    return Palette(
        sky=(
            hsv(hue, 0.7, 0.1),
            hsv(hue, 0.8, 0.4),
            hsv(hue + 0.04, 0.8, 0.75),
            hsv(hue + 0.08, 0.7, 0.95),
        ),
        glow=hsv(hue + 0.08, 0.7, 1),
        ground=hsv(hue, 0.3, 0.08),
        accent=hsv(hue + 0.5, 0.8, 0.9),
    )


def laurel(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    height: float,
    colour: Colour,
    lines: list[str],
) -> None:
    """A festival laurel: two branches of leaves curving round a few lines of small type."""
    cx, cy = centre
    r = height / 2
    leaf = height * 0.075
    for side in (-1, 1):
        for i in range(10):
            t = math.radians(-62 + i * 13.5)  # from the bottom of the branch to its tip
            px, py = cx + side * r * 1.85 * math.cos(t), cy - r * math.sin(t)
            for lean in (-38, 38):  # a pair of leaves at each node, leaning off the stem
                a = (
                    math.radians(90 - math.degrees(t) * 1 + lean)
                    if side > 0
                    else math.radians(90 + math.degrees(t) - lean)
                )
                dx, dy = math.cos(a) * leaf, -math.sin(a) * leaf
                nx, ny = -dy * 0.38, dx * 0.38
                tip = (px + dx * 2, py + dy * 2)
                draw.polygon(
                    [(px, py), (px + dx + nx, py + dy + ny), tip, (px + dx - nx, py + dy - ny)],
                    fill=colour,
                )
    face = font("semibold", int(height * 0.105))
    total = len(lines)
    for n, line in enumerate(lines):
        tracked(
            draw,
            (cx, cy + (n - (total - 1) / 2) * height * 0.17 + height * 0.045),
            line,
            face,
            colour,
            0.1,
            anchor="m",
        )


def poster(film: Film, path: Path) -> Image.Image:
    """A one-sheet: the title set large over the film's world, a laurel, a billing line."""
    palette = palette_for(film)
    rng = random.Random(f"poster:{film.slug}")
    w, h = 1200, 1800
    image = film_world((w, h), palette, rng, horizon=0.63, camera=(1.0, 0.07, 0.9))
    draw = ImageDraw.Draw(image)
    kicker, name = film.kicker_and_name
    words = name.split()
    margin = 90

    def paint(d: ImageDraw.ImageDraw) -> None:
        y = h * 0.4
        if kicker:
            tracked(d, (w / 2, y - 40), kicker, font("bold", 74), palette.ink, 0.32, anchor="m")
        size = min(int(fitted("black", word, w - 2 * margin, 330).size) for word in words)
        face = font("black", size)
        line_y = y + size * 0.95
        for word in words:
            d.text((w / 2, line_y), word, font=face, fill=palette.ink, anchor="ms")
            line_y += size * 0.88

    text_shadow(image, paint, radius=22, opacity=0.6)
    tagline = film.logline.replace("Filmmaker Alison Klayman’s i", "An i").rstrip(".")
    tag_face = font("serif-italic", 40)
    lines = wrap(tagline, tag_face, w - 2 * margin - 80)
    for n, line in enumerate(lines):
        draw.text(
            (w / 2, h * 0.245 + n * 52), line, font=tag_face, fill=(255, 228, 214), anchor="ms"
        )
    laurel(
        draw,
        (w * 0.27, h * 0.1),
        190,
        (246, 224, 196),
        ["SPECIAL JURY PRIZE", "SUNDANCE", "FILM FESTIVAL", str(film.year)],
    )
    # The billing block, over a shadow laid across the foot of the seed field.
    foot = Image.new("L", image.size, 0)
    foot.paste(gradient((w, 420), ((0, 0, 0), (255, 255, 255))).convert("L"), (0, h - 420))
    shade(image, foot, (8, 5, 5), 0.88)
    billing = ImageDraw.Draw(image)
    tracked(
        billing,
        (w / 2, h - 150),
        f"A FILM BY {film.director.upper()}",
        font("bold", 34),
        palette.ink,
        0.22,
        anchor="m",
    )
    tracked(
        billing,
        (w / 2, h - 100),
        f"DIRECTED AND PRODUCED BY {film.director.upper()}",
        font("semibold", 22),
        (214, 204, 196),
        0.16,
        anchor="m",
    )
    tracked(
        billing,
        (w / 2, h - 62),
        f"{film.year}  ·  INDEPENDENT LENS",
        font("semibold", 22),
        (214, 204, 196),
        0.16,
        anchor="m",
    )
    return finish(image, rng, path, amount=0.035)


def title_card(film: Film, path: Path) -> Image.Image:
    """The trailer's poster frame (16:9): the title at the upper left, clear of the play button."""
    palette = palette_for(film)
    rng = random.Random(f"card:{film.slug}")
    w, h = 1920, 1080
    image = film_world((w, h), palette, rng, horizon=0.66, camera=(1.0, 0.1, 0.8))
    kicker, name = film.kicker_and_name
    x = 120

    def paint(d: ImageDraw.ImageDraw) -> None:
        if kicker:
            tracked(d, (x + 4, 190), kicker, font("bold", 56), palette.ink, 0.3)
        d.text(
            (x, 350), name, font=fitted("black", name, w * 0.62, 180), fill=palette.ink, anchor="ls"
        )
        tracked(d, (x + 6, 430), "OFFICIAL TRAILER", font("semibold", 34), (255, 214, 190), 0.28)

    text_shadow(image, paint, radius=20, opacity=0.55)
    return finish(image, rng, path, amount=0.035)


def still(film: Film, path: Path) -> Image.Image:
    """A wide picture of the film's world with no type, for heroes with text laid over."""
    palette = palette_for(film)
    rng = random.Random(f"still:{film.slug}")
    image = film_world((2400, 1350), palette, rng, horizon=0.6, camera=(0.97, 0.12, 1.0))
    return finish(image, rng, path, amount=0.035)


# Photographic abstracts for the interview and the news --------------------------------


def studio(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A concrete studio with beams of daylight from a high window."""
    w, h = size
    image = gradient(size, ((58, 60, 64), (112, 112, 110), (150, 142, 130), (70, 64, 58)))
    soft_polygon(
        image, [(0, h * 0.72), (w, h * 0.66), (w, h), (0, h)], (46, 40, 36), 0.8, 30, screen=False
    )
    for i in range(4):
        x = w * (0.18 + i * 0.15)
        soft_polygon(
            image,
            [(x, -10), (x + w * 0.07, -10), (x + w * 0.32, h), (x + w * 0.16, h)],
            (255, 236, 200),
            0.16,
            40,
        )
    glow(image, (w * 0.55, h * 0.85), (w * 0.45, h * 0.12), (255, 222, 180), 0.35)
    soft_polygon(
        image,
        [(w * 0.08, h * 0.2), (w * 0.3, h * 0.22), (w * 0.3, h * 0.7), (w * 0.08, h * 0.72)],
        (30, 28, 28),
        0.55,
        60,
        screen=False,
    )
    bokeh(
        image,
        rng,
        40,
        [(255, 240, 210)],
        (w // 300, w // 120),
        (0.1, 0.0, 0.9, 0.5),
        blur=3,
        opacity=(20, 60),
    )
    vignette(image, 0.45)
    return image


def night_lights(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A street at night seen through wet glass: red and blue lights out of focus."""
    w, h = size
    image = gradient(size, ((6, 8, 18), (14, 20, 40), (26, 22, 36), (10, 8, 12)))
    bokeh(
        image,
        rng,
        70,
        [(40, 90, 255), (70, 150, 255)],
        (w // 40, w // 12),
        (0.0, 0.15, 0.55, 0.85),
        blur=w / 220,
    )
    bokeh(
        image,
        rng,
        60,
        [(255, 40, 40), (255, 90, 60)],
        (w // 40, w // 12),
        (0.45, 0.2, 1.0, 0.9),
        blur=w / 220,
    )
    bokeh(
        image,
        rng,
        90,
        [(255, 220, 160), (255, 255, 240)],
        (w // 150, w // 50),
        (0, 0.35, 1, 0.7),
        blur=w / 600,
        opacity=(30, 90),
    )
    streaks = Image.new("L", size, 0)
    draw = ImageDraw.Draw(streaks)
    for _ in range(260):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        draw.line([(x, y), (x - 6, y + rng.uniform(30, 120))], fill=rng.randint(30, 90), width=2)
    shade(image, streaks.filter(ImageFilter.GaussianBlur(1.5)), (200, 215, 255), 0.5)
    vignette(image, 0.5)
    return image


def lamp_room(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A dark room at night: a warm desk lamp and the cool glow of a screen."""
    w, h = size
    image = gradient(size, ((16, 12, 10), (34, 26, 20), (22, 18, 16)), angle=60)
    glow(image, (w * 0.28, h * 0.35), (w * 0.5, h * 0.6), (255, 170, 80), 0.75)
    glow(image, (w * 0.28, h * 0.3), (w * 0.08, h * 0.1), (255, 236, 200), 0.9)
    soft_polygon(
        image,
        [(w * 0.5, h * 0.25), (w * 0.86, h * 0.22), (w * 0.88, h * 0.66), (w * 0.52, h * 0.68)],
        (120, 170, 255),
        0.55,
        50,
    )
    glow(image, (w * 0.7, h * 0.45), (w * 0.35, h * 0.4), (90, 140, 230), 0.35)
    soft_polygon(
        image, [(0, h * 0.78), (w, h * 0.74), (w, h), (0, h)], (12, 10, 9), 0.85, 25, screen=False
    )
    bokeh(
        image,
        rng,
        30,
        [(255, 200, 140), (255, 230, 190)],
        (w // 90, w // 30),
        (0, 0, 0.45, 0.8),
        blur=w / 250,
        opacity=(25, 80),
    )
    vignette(image, 0.5)
    return image


def window_light(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Late afternoon sun through a paned window, falling across a plaster wall."""
    w, h = size
    image = gradient(size, ((120, 92, 70), (176, 140, 108), (128, 96, 74), (62, 46, 38)), angle=75)
    for col in range(3):
        for row in range(2):
            x = w * (0.3 + col * 0.17)
            y = h * (0.12 + row * 0.33)
            skew = w * 0.09
            soft_polygon(
                image,
                [
                    (x, y),
                    (x + w * 0.14, y),
                    (x + w * 0.14 + skew, y + h * 0.29),
                    (x + skew, y + h * 0.29),
                ],
                (255, 226, 170),
                0.42,
                14,
            )
    glow(image, (w * 0.55, h * 0.4), (w * 0.5, h * 0.5), (255, 200, 140), 0.3)
    soft_polygon(
        image, [(0, 0), (w * 0.16, 0), (w * 0.1, h), (0, h)], (40, 28, 22), 0.6, 50, screen=False
    )
    bokeh(
        image,
        rng,
        35,
        [(255, 236, 200)],
        (w // 400, w // 160),
        (0.3, 0.1, 0.95, 0.8),
        blur=2,
        opacity=(25, 70),
    )
    vignette(image, 0.4)
    return image


def auditorium(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """An auditorium before the film: rows of seats toward a glowing screen."""
    w, h = size
    image = gradient(size, ((12, 10, 16), (28, 22, 34), (50, 20, 26), (14, 8, 10)))
    soft_polygon(
        image,
        [(w * 0.2, h * 0.12), (w * 0.8, h * 0.12), (w * 0.78, h * 0.45), (w * 0.22, h * 0.45)],
        (230, 236, 255),
        0.75,
        12,
    )
    glow(image, (w * 0.5, h * 0.3), (w * 0.6, h * 0.45), (160, 170, 220), 0.35)
    for row in range(9):
        y = h * (0.56 + row * 0.06)
        height = h * (0.025 + row * 0.006)
        seats = Image.new("L", size, 0)
        draw = ImageDraw.Draw(seats)
        step = w * (0.05 + row * 0.012)
        x = -rng.uniform(0, step)
        while x < w:
            draw.rounded_rectangle(
                (x, y, x + step * 0.86, y + height * 2.2), radius=height * 0.6, fill=255
            )
            x += step
        shade(
            image,
            seats.filter(ImageFilter.GaussianBlur(1 + row * 1.2)),
            (70 - row * 6, 28 - row * 2, 36 - row * 3),
            0.95,
        )
        soft_polygon(image, [(0, y), (w, y), (w, y + 3), (0, y + 3)], (255, 190, 170), 0.12, 4)
    bokeh(
        image,
        rng,
        16,
        [(255, 200, 120)],
        (w // 260, w // 140),
        (0.02, 0.5, 0.98, 0.56),
        blur=2,
        opacity=(90, 180),
    )
    vignette(image, 0.55)
    return image


def city_dusk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A city at dusk from high up, its lights out of focus under a violet sky."""
    w, h = size
    image = gradient(
        size, ((40, 50, 96), (112, 92, 140), (236, 150, 120), (40, 30, 48), (14, 12, 20))
    )
    bokeh(
        image,
        rng,
        160,
        [(255, 200, 120), (255, 236, 190), (255, 150, 90)],
        (w // 250, w // 70),
        (0, 0.62, 1, 1),
        blur=w / 500,
        opacity=(50, 160),
    )
    bokeh(
        image,
        rng,
        40,
        [(150, 190, 255)],
        (w // 200, w // 80),
        (0, 0.6, 1, 0.9),
        blur=w / 400,
        opacity=(30, 90),
    )
    for _ in range(14):
        x, bw = rng.uniform(0, w), rng.uniform(w * 0.03, w * 0.08)
        top = h * rng.uniform(0.42, 0.6)
        soft_polygon(
            image,
            [(x, top), (x + bw, top), (x + bw, h), (x, h)],
            (20, 16, 28),
            0.55,
            8,
            screen=False,
        )
    glow(image, (w * 0.6, h * 0.52), (w * 0.6, h * 0.12), (255, 170, 120), 0.4)
    vignette(image, 0.45)
    return image


def morning_blinds(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Morning light through window blinds across an office wall and a plant's shadow."""
    w, h = size
    image = gradient(size, ((196, 200, 198), (220, 214, 200), (170, 168, 160)), angle=70)
    for i in range(14):
        y = h * (0.05 + i * 0.062)
        soft_polygon(
            image,
            [
                (w * 0.18, y),
                (w * 0.95, y + h * 0.1),
                (w * 0.95, y + h * 0.128),
                (w * 0.18, y + h * 0.028),
            ],
            (255, 238, 196),
            0.5,
            6,
        )
    leaves = Image.new("L", size, 0)
    draw = ImageDraw.Draw(leaves)
    for _ in range(22):
        x, y = w * rng.uniform(0.02, 0.3), h * rng.uniform(0.2, 0.9)
        r = w * rng.uniform(0.02, 0.05)
        draw.ellipse((x - r, y - r * 0.4, x + r, y + r * 0.4), fill=255)
        draw.line([(x, y), (w * 0.16, h)], fill=255, width=4)
    shade(image, leaves.filter(ImageFilter.GaussianBlur(10)), (70, 78, 70), 0.45)
    vignette(image, 0.3)
    return image


SCENES: dict[str, Callable[[tuple[int, int], random.Random], Image.Image]] = {
    "demo/klayman-with-ai-weiwei.jpg": window_light,
    "demo/ai-weiwei-and-security-guard.jpg": night_lights,
    "demo/ai-weiwei-interviewed-in-studio.jpg": studio,
    "demo/ai-weiwei-typing-with-cat.jpg": lamp_room,
    "demo/news-business-and-legal-affairs.jpg": morning_blinds,
    "demo/news-president-and-ceo.jpg": auditorium,
    "demo/news-input-international-board.jpg": city_dusk,
}
PHOTO_SIZE = (1800, 1200)


# Output -------------------------------------------------------------------------------


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaks so ``text`` fits ``width``."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and face.getlength(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def finish(image: Image.Image, rng: random.Random, path: Path, amount: float = 0.05) -> Image.Image:
    """Add grain and save as a progressive JPEG, lowering quality if it runs over MAX_BYTES."""
    image = grain(image, rng, amount)
    for quality in (85, 82, 78, 74, 70):
        buffer = io.BytesIO()
        image.save(
            buffer, "JPEG", quality=quality, optimize=True, progressive=True, subsampling="4:2:0"
        )
        if buffer.tell() <= MAX_BYTES:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return image


def demo_films() -> list[tuple[Film, str, str | None]]:
    """Each demo film with its poster's file name and its trailer's poster's (if any)."""
    records = json.loads(DEMO.read_text(encoding="utf-8"))
    people = {
        r["fields"]["slug"]: r["fields"]["name"] for r in records if r["model"] == "films.person"
    }
    films = []
    for record in (r for r in records if r["model"] == "films.film"):
        fields = record["fields"]
        slug = fields["slug"]
        director = next(
            (
                people[c["fields"]["person"][0]]
                for c in records
                if c["model"] == "films.credit"
                and c["fields"]["film"] == [slug]
                and c["fields"]["role"] == "director"
            ),
            "",
        )
        trailer = next(
            (
                r["fields"]["poster"][0]
                for r in records
                if r["model"] == "films.video"
                and r["fields"]["film"] == [slug]
                and r["fields"]["poster"]
            ),
            None,
        )
        film = Film(slug, fields["title"], int(fields["year"]), director, fields["logline"])
        films.append(
            (film, fields["poster"][0] if fields["poster"] else f"demo/{slug}-poster.jpg", trailer)
        )
    return films


def main(argv: list[str] | None = None) -> None:
    """Draw every demo picture and print its path, pixel size and weight."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="draw only the picture at this demo path (e.g. demo/x.jpg)")
    args = parser.parse_args(argv)
    jobs: list[tuple[str, Callable[[Path], Image.Image]]] = []
    for film, poster_name, trailer_name in demo_films():
        jobs.append((poster_name, lambda p, f=film: poster(f, p)))
        if trailer_name:
            jobs.append((trailer_name, lambda p, f=film: title_card(f, p)))
        jobs.append((f"demo/{film.slug}-still.jpg", lambda p, f=film: still(f, p)))
    for name, scene in SCENES.items():
        jobs.append(
            (
                name,
                lambda p, s=scene, n=name: finish(
                    s(PHOTO_SIZE, random.Random(n)), random.Random(n), p
                ),
            )
        )
    for name, draw in jobs:
        if args.only and name != args.only:
            continue
        path = MEDIA / name
        image = draw(path)
        weight = path.stat().st_size / 1024
        print(f"{path.relative_to(ROOT)}  {image.width}x{image.height}  {weight:.0f} KB")


if __name__ == "__main__":
    main()
