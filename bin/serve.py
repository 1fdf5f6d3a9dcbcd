#!/usr/bin/env python
"""`make serve`: the production settings under gunicorn, and the background worker, on this
machine.

    .venv/bin/python bin/serve.py [--settings MODULE]

Reads the same environment as production (see the README). For a trial on one machine it
fills in what an operator would otherwise set (``production_environment``, which
``bin/manage_prod.py`` shares): a secret key kept in ``var/secret_key``, local host names,
plain HTTP, and media served by the app when no bucket is configured. Then it migrates,
loads the demo content if the database has none, collects static files and starts gunicorn
with one worker per core plus one per core again, plus one, and beside it the worker that
sends e-mail (``manage.py db_worker``). It stops both on SIGTERM or SIGINT (Ctrl-C), and
stops the other and exits when either ends (``supervise``, which `make run` shares).
``--settings`` serves another settings module built on production's (the benchmarks'
``bench.settings``).
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
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
    manage("queue_missing_renditions")  # sizes a release added, for images saved before it
    manage("load_demo", "--if-empty")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("check", "--deploy", "--tag", "caches")  # warns when Redis has no memory limit
    commands = serve_commands(env, python)
    cache = "Redis" if env.get("REDIS_URL") else "process memory"
    database = env["DATABASE_URL"].split("://")[0]
    print(f"Serving http://{bind_address(env)}/ with {gunicorn_workers(env)} gunicorn workers "
          f"(database: {database}, cache: {cache}), and the background worker.",
          flush=True)  # fmt: skip
    return supervise(commands, env=env)


def bind_address(env: Mapping[str, str]) -> str:
    return f"{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}"


def gunicorn_workers(env: Mapping[str, str]) -> str:
    return env.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)


def serve_commands(env: Mapping[str, str], python: str = sys.executable) -> dict[str, list[str]]:
    """gunicorn on ``HOST``:``PORT``, and the worker that sends e-mail (``db_worker``)."""
    gunicorn = [str(Path(python).parent / "gunicorn"), "config.wsgi:application",
                "--bind", bind_address(env), "--workers", gunicorn_workers(env),
                "--access-logfile", "-",
                "--forwarded-allow-ips", env.get("FORWARDED_ALLOW_IPS", "")]  # fmt: skip
    worker = [python, "manage.py", "db_worker", "--no-reload"]
    return {"gunicorn": gunicorn, "worker": worker}


def supervise(
    commands: Mapping[str, Sequence[str]],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    grace: float = 30,
) -> int:
    """Run ``commands`` side by side until one ends or this process is told to stop.

    Each runs in its own process group, so that a stop reaches a command's own children
    too (runserver's and the worker's autoreloaders, gunicorn's workers). SIGTERM or SIGINT
    here is passed on to every group; when a command ends by itself the others get
    SIGTERM. Whatever has not stopped ``grace`` seconds later (the worker finishes the
    e-mail in hand first) is killed, as is everything on a second signal. Returns 0 after
    a requested stop, else the first command's failure (1 if it ended with success).
    """
    received: list[int] = []
    processes: dict[str, subprocess.Popen] = {}
    told: set[int] = set()  # processes sent their stop signal (a second one would force it)

    def running() -> list[subprocess.Popen]:
        return [process for process in processes.values() if process.poll() is None]

    def stop_all(signum: int) -> None:
        for process in running():
            if signum == signal.SIGKILL or process.pid not in told:
                told.add(process.pid)
                stop(process, signum)

    def on_signal(signum: int, frame) -> None:
        received.append(signum)
        stop_all(signum if len(received) == 1 else signal.SIGKILL)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    ended = None
    try:
        for name, command in commands.items():
            if received:
                break
            processes[name] = subprocess.Popen(
                list(command), cwd=cwd, env=None if env is None else dict(env),
                start_new_session=True,
            )  # fmt: skip
        while not received and ended is None:
            ended = next((name for name, p in processes.items() if p.poll() is not None), None)
            time.sleep(0.1)
        if received:
            stop_all(received[0])  # one started while the signal was being handled
        else:
            code = processes[ended].returncode
            others = ", ".join(name for name, p in processes.items() if p.poll() is None)
            print(f"{ended} stopped (exit code {code}); stopping {others or 'nothing else'}.",
                  file=sys.stderr, flush=True)  # fmt: skip
            stop_all(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while running() and time.monotonic() < deadline:
            time.sleep(0.1)
        stop_all(signal.SIGKILL)
        for process in processes.values():
            process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 0
    code = processes[ended].returncode
    return code if code > 0 else 128 - code if code < 0 else 1


def stop(process: subprocess.Popen, signum: int) -> None:
    """Signal a command and its children (its process group); gone already is fine."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main())
