"""Take the "after" screenshots of this folder from a running demo site.

    make run                                    # in another shell; let its worker finish
    .venv/bin/python docs/design/issue-17/shoot.py http://127.0.0.1:8000

Debian's chromium through Playwright, as the browser tests use it. Each page's top is cut
to 1,700 px on a phone and 1,300 px wide, the wide ones scaled to 960 px, saved as JPEG.
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

FOLDER = Path(__file__).resolve().parent
PAGES = {
    "home": "/",
    "film": "/films/ai-weiwei-never-sorry/",
    "interview": "/interviews/alison-klayman-on-filming-ai-weiwei/",
    "screenings": "/screenings/",
    "post": "/blog/lisa-tawil-joins-the-international-board-of-input/",
}
TOPS = {390: 1700, 1280: 1300}
SCALED_WIDTH = 960


def shoot(base: str) -> list[Path]:
    """Every page at both widths in both schemes; returns the files written."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width, top in TOPS.items():
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport={"width": width, "height": 900},
                                        color_scheme=scheme)  # fmt: skip
                for name, path in PAGES.items():
                    page.goto(base.rstrip("/") + path)
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.fonts.ready")
                    shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
                    shot = shot.convert("RGB").crop((0, 0, width, min(top, shot.height)))
                    if width > SCALED_WIDTH:
                        height = round(shot.height * SCALED_WIDTH / width)
                        shot = shot.resize((SCALED_WIDTH, height), Image.LANCZOS)
                    target = FOLDER / f"after-{name}-{width}-{scheme}.jpg"
                    shot.save(target, "JPEG", quality=80, optimize=True, progressive=True)
                    written.append(target)
                page.close()
        browser.close()
    return written


if __name__ == "__main__":
    for path in shoot(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"):
        print(path.relative_to(FOLDER.parent.parent.parent))
