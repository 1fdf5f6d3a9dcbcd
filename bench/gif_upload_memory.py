"""Peak memory of uploading a small animated GIF whose frames are huge (security review F3).

For each case one fresh Python process builds the GIF into a temporary file and another
uploads it, so ``ru_maxrss`` is that upload's own peak (Linux carries a parent's peak
into a forked child, so the small parent only starts the two). The uploading process
sets Django up with ``config.settings.test`` (in-memory SQLite, a temporary media folder),
posts the GIF through the image library's ModelForm (field validators, then
``Image.save``, which strips metadata) and makes renditions at 480 wide, as the first
page view would. One line per case: file size, peak RSS and its rise over the RSS just
before the upload, time, files written and the outcome.

    .venv/bin/python bench/gif_upload_memory.py            # 10 and 30 frames of 4000x4000
    .venv/bin/python bench/gif_upload_memory.py 10 4000    # one case
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [(10, 4000), (30, 4000)]


def gif_bytes(frames: int, side: int) -> bytes:
    """An animated GIF of ``frames`` solid frames, each a different colour so none merge."""
    from PIL import Image as PILImage

    palette = [value for colour in range(256) for value in (colour, 255 - colour, 0)]

    def frame(index: int) -> PILImage.Image:
        picture = PILImage.new("P", (side, side), index % 256)
        picture.putpalette(palette)
        return picture

    buffer = io.BytesIO()
    frame(0).save(
        buffer, "GIF", save_all=True, append_images=(frame(i) for i in range(1, frames)),
        duration=100, loop=0,
    )  # fmt: skip
    return buffer.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_case(path: Path) -> None:
    """Upload the GIF at ``path`` through the form, make a rendition, print the peak."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)  # always the in-memory SQLite of the test settings
    import shutil

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.forms import modelform_factory

    from cms.media.models import Image

    call_command("migrate", verbosity=0)
    content = path.read_bytes()
    before = peak_mb()
    started = time.perf_counter()
    form_class = modelform_factory(Image, fields=["file", "alt_text"])
    form = form_class(
        data={"alt_text": "A flicker"},
        files={"file": SimpleUploadedFile("flicker.gif", content, content_type="image/gif")},
    )
    try:
        if form.is_valid():
            image = form.save()
            image.renditions_for([480])
            outcome = f"saved, {image.renditions.count()} renditions"
        else:
            outcome = "refused: " + " ".join(form.errors["file"])
    except Exception as exc:  # noqa: BLE001 - the benchmark reports whatever happened
        outcome = f"error: {type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - started
    files = sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    print(
        f"{path.stem}  gif {len(content) / 1024:7.1f} KB  "
        f"peak RSS {peak_mb():7.1f} MB (+{peak_mb() - before:7.1f} MB over {before:.1f} MB "
        f"before the upload)  {elapsed:5.1f} s  files written {files}  {outcome}"
    )


def main() -> None:
    if sys.argv[1:2] == ["build"]:
        _, _, frames, side, path = sys.argv
        Path(path).write_bytes(gif_bytes(int(frames), int(side)))
        return
    if sys.argv[1:2] == ["upload"]:
        run_case(Path(sys.argv[2]))
        return
    cases = [(int(sys.argv[1]), int(sys.argv[2]))] if len(sys.argv) == 3 else CASES
    with tempfile.TemporaryDirectory(prefix="gif-bench-") as folder:
        for frames, side in cases:
            path = Path(folder) / f"{frames:02d}-frames-{side}x{side}.gif"
            build = [sys.executable, __file__, "build", str(frames), str(side), str(path)]
            subprocess.run(build, cwd=ROOT, check=True)
            finished = subprocess.run(
                [sys.executable, __file__, "upload", str(path)],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
            print(finished.stdout.strip() or f"{path.stem}: exit {finished.returncode}")
            if finished.returncode:
                print(finished.stderr.strip().splitlines()[-1:], file=sys.stderr)


if __name__ == "__main__":
    main()
