"""The Wagtail peer: the demo's reference interview served by Wagtail 8, measured beside ours.

bench/run.py calls ``prepare`` once per database: it makes (or reuses) a virtualenv at
bench/.wagtail-venv with Wagtail 8, gunicorn and psycopg from PyPI, copies the small
project in bench/wagtail_peer_site/ into the run's temporary folder, migrates it on a
fresh database, and loads the interview exported from our demo (``export``, run in the
project's own environment). ``serve`` starts it under gunicorn, one sync worker, DEBUG
off. When PyPI cannot be reached, ``prepare`` says so and the bench carries on without it.

    python bench/wagtail_peer.py export OUT.json   # under the bench's settings
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".wagtail-venv"
SITE = ROOT / "bench" / "wagtail_peer_site"
REQUIREMENTS = ["wagtail>=8,<9", "gunicorn>=23,<28", "psycopg[binary]>=3.2,<4"]
SLUG = "alison-klayman-on-filming-ai-weiwei"


class PeerUnavailable(Exception):
    """The peer could not be installed or set up (PyPI unreachable, a failed step)."""


def venv_python() -> Path:
    """The peer's Python, installing Wagtail first unless this set of requirements is there."""
    python = VENV / "bin" / "python"
    stamp = VENV / "requirements.txt"
    wanted = "\n".join(REQUIREMENTS) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    steps = [["python3.11", "-m", "venv", str(VENV)],
             [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS]]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            raise PeerUnavailable(f"{' '.join(step[:4])}… failed: {done.stderr.strip()[-300:]}")
    stamp.write_text(wanted)
    return python


def export(out: Path) -> None:
    """Write the reference interview from our database (Django already set up) as JSON."""
    from interviews.models import Interview

    interview = Interview.objects.select_related("hero_image").get(slug=SLUG)
    image = interview.hero_image
    out.write_text(json.dumps({
        "title": interview.title, "slug": interview.slug, "byline": interview.byline,
        "description": interview.search_description, "intro": interview.intro,
        "pairs": list(interview.pairs.order_by("sort_order").values_list("question", "answer")),
        "image": image and {"path": image.file.path, "alt": image.alt_text},
    }))  # fmt: skip


def prepare(work: Path, database_url: str, our_env: dict[str, str]) -> dict:
    """Install, copy, migrate and fill the peer; returns how to serve it (see ``serve``)."""
    python = venv_python()
    folder = work / "wagtail-peer"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SITE, folder)
    interview = work / "peer-interview.json"
    subprocess.run([sys.executable, "bench/wagtail_peer.py", "export", str(interview)],
                   cwd=ROOT, env=our_env, check=True)  # fmt: skip
    env = {**os.environ, "PEER_DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": "peersite.settings"}  # fmt: skip
    env.pop("PYTHONPATH", None)
    for step in (["-m", "django", "makemigrations", "interviewpage", "--verbosity", "0"],
                 ["-m", "django", "migrate", "--noinput", "--verbosity", "0"],
                 ["load_interview.py", str(interview)]):  # fmt: skip
        done = subprocess.run([str(python), *step], cwd=folder, env=env,
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise PeerUnavailable(f"{step[-1]} failed: {done.stderr.strip()[-500:]}")
    version = subprocess.run([str(python), "-c", "import wagtail; print(wagtail.__version__)"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {"python": str(python), "folder": str(folder), "env": env, "path": done.stdout,
            "version": version}  # fmt: skip


def serve(peer: dict, port: int) -> subprocess.Popen:
    """gunicorn with one sync worker, in its own process group (stop it with os.killpg)."""
    gunicorn = str(Path(peer["python"]).parent / "gunicorn")
    return subprocess.Popen([gunicorn, "peersite.wsgi:application", "--workers", "1",
                             "--bind", f"127.0.0.1:{port}"],
                            cwd=peer["folder"], env=peer["env"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def main() -> None:
    if sys.argv[1:2] != ["export"] or len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    export(Path(sys.argv[2]))


if __name__ == "__main__":
    main()
