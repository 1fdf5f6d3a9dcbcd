#!/usr/bin/env python
"""`make serve`: the production settings under gunicorn, on this machine.

    .venv/bin/python bin/serve.py [--settings MODULE]

Reads the same environment as production (see the README). For a trial on one machine it
fills in what an operator would otherwise set (``production_environment``, which
``bin/manage_prod.py`` shares): a secret key kept in ``var/secret_key``, local host names,
plain HTTP, and media served by the app when no bucket is configured. Then it migrates,
loads the demo content if the database has none, collects static files and starts gunicorn
with one worker per core plus one per core again, plus one. ``--settings`` serves another
settings module built on production's (the benchmarks' ``bench.settings``).
"""

import argparse
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SETTINGS = "config.settings.prod"


def production_environment(
    environ: Mapping[str, str] | None = None,
    *,
    settings: str = PRODUCTION_SETTINGS,
    root: Path = ROOT,
) -> dict[str, str]:
    """``environ`` (default: this process's) with what a one-machine trial leaves unset.

    The settings module is always ``settings``; ``DATABASE_URL`` defaults to ``db.sqlite3``
    and the secret key to the one kept in ``var/secret_key`` (made on first use), both under
    ``root``; hosts default to this machine, HTTPS redirects to off, and uploads are served
    by the app unless a bucket is configured. Whatever ``environ`` sets is kept.
    """
    env = dict(os.environ if environ is None else environ)
    env["DJANGO_SETTINGS_MODULE"] = settings
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{root / 'db.sqlite3'}"
        print("DATABASE_URL is not set: using SQLite (db.sqlite3).", file=sys.stderr)
    if not env.get("DJANGO_SECRET_KEY"):
        key_file = root / "var" / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["DJANGO_SECRET_KEY"] = key_file.read_text().strip()
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")  # no TLS in front of a local trial
    if not env.get("AWS_STORAGE_BUCKET_NAME"):
        env.setdefault("DJANGO_SERVE_MEDIA", "1")
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description="Serve the production settings under gunicorn.")
    parser.add_argument(
        "--settings", default=PRODUCTION_SETTINGS, help="a settings module built on production's"
    )
    env = production_environment(settings=parser.parse_args().settings)
    python = sys.executable

    def manage(*args: str) -> None:
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "--noinput")
    manage("delete_orphan_renditions")  # files of renditions the migrations forgot
    manage("load_demo", "--if-empty")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("check", "--deploy", "--tag", "caches")  # warns when Redis has no memory limit
    workers = env.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)
    bind = f"{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}"
    cache = "Redis" if env.get("REDIS_URL") else "process memory"
    database = env["DATABASE_URL"].split("://")[0]
    print(f"Serving http://{bind}/ with {workers} gunicorn workers "
          f"(database: {database}, cache: {cache}).", flush=True)  # fmt: skip
    os.execve(
        str(Path(python).parent / "gunicorn"),
        ["gunicorn", "config.wsgi:application", "--bind", bind, "--workers", workers,
         "--access-logfile", "-", "--forwarded-allow-ips", env.get("FORWARDED_ALLOW_IPS", "")],
        env,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
