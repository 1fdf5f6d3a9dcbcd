"""Subset the site's open fonts into the small woff2 files committed under static/fonts/.

Run by hand when the faces or the character set change, never by ``make run``: the
committed woff2 files are all the site needs, so a checkout still runs with Python alone.

    sudo apt-get install -y fonts-sil-charis fonts-inter   # the OFL sources (Debian 13)
    .venv/bin/pip install -e '.[dev]'                       # fontTools with brotli
    .venv/bin/python bin/make_fonts.py

The pairing: Charis SIL for the body (SIL's open face built on Bitstream Charter, the face
site.css already names first, so the text keeps its measure) and Inter for headings and
interface text. Charis reserves its font names ("Charis", "SIL"); under the OFL a subset
is a Modified Version, so its name table is rewritten to ``SERIF_FAMILY``. Inter reserves
no names and keeps its own.

Each face is cut to Latin-1, the Latin punctuation block (curly quotes, dashes, ellipsis,
bullets), the symbols the templates use, and every character of the demo content; the
script stops with the characters' names if the demo holds one outside that set, so a
fixture edit cannot silently fall back to a system font mid-word. Hinting is dropped
(browsers render unhinted outlines well and it halves the files). It also writes each
family's licence text, and the @font-face rules into static/css/site.css (between its
``fonts: begin`` and ``fonts: end`` lines).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts"
CSS = ROOT / "static" / "css" / "site.css"
# The rules live in the site's one stylesheet (no second request), between these lines.
BEGIN, END = "/* fonts: begin (bin/make_fonts.py) */", "/* fonts: end */"
DEMO_TEXT = [ROOT / "fixtures" / "demo.json", *sorted((ROOT / "fixtures" / "articles").glob("*"))]

SERIF_FAMILY = "Outreach Serif"  # Charis SIL, renamed as its Reserved Font Names require
SANS_FAMILY = "Inter"

# Latin-1, the typographic punctuation, and the symbols the templates print (arrows, ×, ÷,
# ≤, ≥, €, ™, minus); the same ranges go into each @font-face's unicode-range.
UNICODE_RANGES: list[tuple[int, int]] = [
    (0x0000, 0x00FF),  # Basic Latin and Latin-1 Supplement
    (0x0131, 0x0131),  # dotless i
    (0x0152, 0x0153),  # Œ œ
    (0x02BB, 0x02BC),  # modifier letter apostrophes
    (0x02C6, 0x02C6),
    (0x02DA, 0x02DA),
    (0x02DC, 0x02DC),
    (0x2000, 0x206F),  # General Punctuation: dashes, curly quotes, …, •, ‹ ›, thin spaces
    (0x20AC, 0x20AC),  # €
    (0x2122, 0x2122),  # ™
    (0x2190, 0x2193),  # ← ↑ → ↓
    (0x2212, 0x2212),  # minus
    (0x2215, 0x2215),
    (0x2264, 0x2265),  # ≤ ≥
    (0xFEFF, 0xFEFF),
    (0xFFFD, 0xFFFD),
]
# Kerning, ligatures and marks by default; tabular and lining figures for dates and times,
# case-sensitive forms for capitals.
LAYOUT_FEATURES = [*subset.Options().layout_features, "tnum", "lnum", "case"]


@dataclass(frozen=True)
class Face:
    """One committed woff2: where it comes from and how the CSS names it."""

    source: Path
    output: str
    family: str
    weight: int
    style: str = "normal"
    rename: bool = False  # the source reserves its font names


CHARIS = Path("/usr/share/fonts/truetype/charis")
INTER = Path("/usr/share/fonts/opentype/inter")
FACES = [
    Face(CHARIS / "CharisSIL-Regular.ttf", "outreach-serif-regular.woff2", SERIF_FAMILY, 400,
         rename=True),
    Face(CHARIS / "CharisSIL-Italic.ttf", "outreach-serif-italic.woff2", SERIF_FAMILY, 400,
         "italic", rename=True),
    Face(CHARIS / "CharisSIL-Bold.ttf", "outreach-serif-bold.woff2", SERIF_FAMILY, 700,
         rename=True),
    Face(INTER / "Inter-Regular.otf", "inter-regular.woff2", SANS_FAMILY, 400),
    Face(INTER / "Inter-SemiBold.otf", "inter-semibold.woff2", SANS_FAMILY, 600),
    Face(INTER / "Inter-Bold.otf", "inter-bold.woff2", SANS_FAMILY, 700),
]  # fmt: skip

LICENCES = {
    "OFL-CharisSIL.txt": (Path("/usr/share/doc/fonts-sil-charis/copyright"), "OFL-1.1-RFN"),
    "OFL-Inter.txt": (Path("/usr/share/doc/fonts-inter/copyright"), "OFL-1.1"),
}


def codepoints() -> set[int]:
    """Every code point the ranges cover."""
    return {cp for low, high in UNICODE_RANGES for cp in range(low, high + 1)}


def demo_characters_outside(covered: set[int]) -> list[str]:
    """The demo content's characters the subsets would lack, named, so the run can stop."""
    text = "".join(path.read_text(encoding="utf-8") for path in DEMO_TEXT if path.is_file())
    missing = sorted({ch for ch in text if ord(ch) not in covered and not ch.isspace()})
    return [f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in missing]


def unicode_range_css() -> str:
    """The ranges as a CSS ``unicode-range`` value."""
    parts = []
    for low, high in UNICODE_RANGES:
        parts.append(f"U+{low:04X}" if low == high else f"U+{low:04X}-{high:04X}")
    return ", ".join(parts)


def rename(font: TTFont, family: str, weight: int, style: str) -> None:
    """Give a subset of a font with Reserved Font Names a name of its own (OFL section 3)."""
    subfamily = ("Bold" if weight >= 700 else "") + (" Italic" if style == "italic" else "")
    subfamily = subfamily.strip() or "Regular"
    compact = family.replace(" ", "")
    names = {
        1: family,
        2: subfamily,
        3: f"{compact}-{subfamily.replace(' ', '')};subset",
        4: f"{family} {subfamily}".replace(" Regular", ""),
        6: f"{compact}-{subfamily.replace(' ', '')}",
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17, 18, 21, 22) or record.nameID >= 256:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
        table.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English


def make_face(face: Face, unicodes: set[int]) -> Path:
    """Subset one face to ``unicodes`` and write it as woff2."""
    if not face.source.is_file():
        sys.exit(f"{face.source} is missing: install fonts-sil-charis and fonts-inter first.")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = LAYOUT_FEATURES
    options.hinting = False
    options.desubroutinize = True  # CFF compresses better flat under brotli
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 11, 13, 14]  # keep copyright and licence
    options.notdef_outline = True
    options.drop_tables += ["Silt"]  # Charis's Graphite table: browsers shape with OpenType
    font = subset.load_font(str(face.source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if face.rename:
        rename(font, face.family, face.weight, face.style)
    target = OUT / face.output
    subset.save_font(font, str(target), options)
    return target


def licence_text(copyright_file: Path, licence: str) -> str:
    """A stand-alone licence paragraph of a Debian copyright file, as plain text."""
    text = copyright_file.read_text(encoding="utf-8")
    match = re.search(rf"^License: {re.escape(licence)}\n((?: .*\n?)+)", text, re.MULTILINE)
    if not match:
        sys.exit(f"No licence paragraph {licence!r} in {copyright_file}.")
    lines = [line[1:] for line in match.group(1).splitlines()]
    return "\n".join("" if line == "." else line for line in lines).strip() + "\n"


def write_licences() -> None:
    """Copy each family's licence beside its fonts, after the upstream copyright notices
    (for Charis, Bitstream's Charter notice too, which asks to travel with the outlines)."""
    for name, (copyright_file, licence) in LICENCES.items():
        text = copyright_file.read_text(encoding="utf-8")
        notice = re.search(r"^Files: \*\nCopyright: (.*\n(?: .*\n)*)", text, re.MULTILINE)
        if not notice:
            sys.exit(f"No upstream Copyright field in {copyright_file}.")
        lines = [line.removeprefix(" ") for line in notice.group(1).splitlines()]
        header = "\n".join("" if line == "." else line for line in lines).strip()
        body = licence_text(copyright_file, licence)
        first, _, rest = body.partition("\n\n")
        if first in header:  # the licence repeats the copyright line
            body = rest
        if "SIL OPEN FONT LICENSE" not in body:
            body = f"SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n\n{body}"
        (OUT / name).write_text(f"Copyright {header}\n\n{body}", encoding="utf-8")


def write_css() -> None:
    """The @font-face rules, with relative URLs so they work from any static root."""
    unicode_range = unicode_range_css()
    rules = [
        "/* Self-hosted open fonts, made by bin/make_fonts.py (see static/fonts/README.md).\n"
        f'   Body: "{SERIF_FAMILY}" (Charis SIL, renamed as its OFL requires); headings and\n'
        f'   interface: "{SANS_FAMILY}". */'
    ]
    for face in FACES:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{face.family}";\n'
            f"  font-style: {face.style};\n"
            f"  font-weight: {face.weight};\n"
            "  font-display: swap;\n"
            f'  src: url("../fonts/{face.output}") format("woff2");\n'
            f"  unicode-range: {unicode_range};\n"
            "}"
        )
    css = CSS.read_text(encoding="utf-8")
    start, end = css.index(BEGIN), css.index(END)
    block = BEGIN + "\n" + "\n".join(rules) + "\n"
    CSS.write_text(css[:start] + block + css[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Check the demo's characters, then write the faces, licences and CSS."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    unicodes = codepoints()
    missing = demo_characters_outside(unicodes)
    if missing:
        sys.exit("The demo uses characters outside the subset; add them to UNICODE_RANGES:\n"
                 + "\n".join(missing))  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for face in FACES:
        target = make_face(face, unicodes)
        size = target.stat().st_size
        total += size
        print(f"{target.relative_to(ROOT)}  {size / 1024:.1f} KB")
    print(f"total  {total / 1024:.1f} KB")
    write_licences()
    write_css()


if __name__ == "__main__":
    main()
