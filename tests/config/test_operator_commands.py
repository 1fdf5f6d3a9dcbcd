"""Operators' commands on the production settings: `make editor` and bin/manage_prod.py fill
in the same environment as `make serve` (bin/serve.py's ``production_environment``), and
`make serve` keeps gunicorn and the background worker running together."""

import contextlib
import importlib.util
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cms.mail.processes import alive, command_line, descendants, need_proc
from tests.services import answers, free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]


def load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "bin" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_environment_fills_in_what_a_trial_leaves_unset(tmp_path):
    env = load_serve().production_environment({}, root=tmp_path)
    key_file = tmp_path / "var" / "secret_key"
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert env["DJANGO_SECRET_KEY"] == key_file.read_text() and len(key_file.read_text()) > 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert env["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert env["DJANGO_SERVE_MEDIA"] == "1"


def test_production_environment_keeps_the_secret_key_it_made(tmp_path):
    serve = load_serve()
    first = serve.production_environment({}, root=tmp_path)["DJANGO_SECRET_KEY"]
    assert serve.production_environment({}, root=tmp_path)["DJANGO_SECRET_KEY"] == first


def test_production_environment_keeps_what_the_operator_set(tmp_path):
    given = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": "postgres://db/outreach",
        "DJANGO_SECRET_KEY": "the-operator's-key",
        "DJANGO_ALLOWED_HOSTS": "outreach.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "AWS_STORAGE_BUCKET_NAME": "media",
    }
    env = load_serve().production_environment(given, settings="bench.settings", root=tmp_path)
    assert env == given | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    assert not (tmp_path / "var").exists()


@pytest.fixture(scope="module")
def serve_database(tmp_path_factory):
    """A throwaway SQLite database migrated through bin/manage_prod.py, and its environment.

    Nothing of the runner's own settings or services: the operator's shell sets only
    ``DATABASE_URL``. The secret key the commands make in ``var/secret_key`` (as `make serve`
    does) is removed afterwards unless it was there before.
    """
    database = tmp_path_factory.mktemp("serve") / "serve.sqlite3"
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_", "AWS_", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    key_file = ROOT / "var" / "secret_key"
    made_key = not key_file.exists()
    try:
        migrate = subprocess.run([sys.executable, "bin/manage_prod.py", "migrate", "--noinput"],
                                 cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=300)  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr
        yield database, env
    finally:
        if made_key:
            key_file.unlink(missing_ok=True)
            if key_file.parent.exists() and not any(key_file.parent.iterdir()):
                key_file.parent.rmdir()


def editor_row(database: Path, username: str) -> tuple[int, int, str] | None:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT u.is_staff, u.is_superuser, g.name FROM auth_user u "
            "JOIN auth_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id "
            "WHERE u.username = ?",
            [username],
        ).fetchone()


def test_manage_prod_runs_ensure_editor_on_the_serve_database(serve_database):
    database, env = serve_database
    result = subprocess.run(
        [sys.executable, "bin/manage_prod.py", "ensure_editor", "--username", "wrapped"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "username: wrapped" in result.stdout and "password: " in result.stdout
    assert editor_row(database, "wrapped") == (1, 0, "Editors")


def test_make_editor_as_the_readme_says(serve_database):
    """`make editor`, with this interpreter and without its package-install step."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    database, env = serve_database
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "editor",
         f"PY={sys.executable}", "EDITOR_USERNAME=operator"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "username: operator" in result.stdout and "password: " in result.stdout
    assert editor_row(database, "operator") == (1, 0, "Editors")


# `make serve` runs gunicorn and the background worker side by side (bin/serve.py's
# ``supervise``); here both run on the throwaway database, without serve.py's preparation
# (migrate, the demo, collectstatic), which the commands above and the deploy check cover.
SUPERVISE = """
import sys

sys.path.insert(0, "bin")
import serve

env = serve.production_environment()
sys.exit(serve.supervise(serve.serve_commands(env), env=env))
"""

QUEUE_A_MESSAGE = """
from django.db import transaction
from cms.mail.models import OutgoingEmail
from cms.mail.tasks import deliver_email

with transaction.atomic():
    email = OutgoingEmail.objects.create(to="host@example.org", subject="Served mail",
                                         text_body="Hello")
    deliver_email.enqueue(email.pk, 1)
"""


@pytest.fixture
def served(serve_database):
    """bin/serve.py's gunicorn and worker on a free port; killed if a test leaves them."""
    need_proc()
    database, env = serve_database
    port = free_port()
    env = env | {"PORT": str(port), "WEB_CONCURRENCY": "1"}
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISE], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  start_new_session=True)  # fmt: skip
    try:
        wait_until_listening(port, supervisor, "gunicorn under bin/serve.py")
        deadline = time.monotonic() + 30
        while not any("db_worker" in command_line(p) for p in descendants(supervisor.pid)):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)
        yield supervisor, port, database, env
    finally:
        if supervisor.poll() is None:  # a failed test: leave nothing running
            for pid in descendants(supervisor.pid) | {supervisor.pid}:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        supervisor.wait(timeout=30)


def test_serve_runs_gunicorn_and_the_mail_worker_and_stops_both_on_sigterm(served):
    supervisor, port, database, env = served
    processes = descendants(supervisor.pid)
    lines = {pid: command_line(pid) for pid in processes}
    assert any("gunicorn" in line for line in lines.values()), lines
    assert any("manage.py db_worker" in line for line in lines.values()), lines

    # The worker beside gunicorn sends what is queued (printed: no mail server is set).
    queue = subprocess.run([sys.executable, "bin/manage_prod.py", "shell", "-c", QUEUE_A_MESSAGE],
                           cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert queue.returncode == 0, queue.stderr
    deadline = time.monotonic() + 30
    while sent_status(database) != "sent":
        assert time.monotonic() < deadline, "the worker did not send the message"
        time.sleep(0.2)

    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=40) == 0
    assert [pid for pid in processes if alive(pid)] == []
    assert not answers(port)
    output = supervisor.stdout.read()
    assert "Subject: Served mail" in output


def test_serve_stops_gunicorn_and_exits_when_the_worker_dies(served):
    supervisor, port, _, _ = served
    processes = descendants(supervisor.pid)
    [worker] = [pid for pid in processes if command_line(pid).endswith("db_worker --no-reload ")]
    os.kill(worker, signal.SIGKILL)
    assert supervisor.wait(timeout=40) == 128 + signal.SIGKILL
    assert [pid for pid in processes if alive(pid)] == []
    assert not answers(port)
    assert "worker stopped (exit code -9); stopping gunicorn." in supervisor.stdout.read()


def sent_status(database: Path) -> str | None:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT status FROM cms_outgoingemail WHERE subject = 'Served mail'"
        ).fetchone()
    return row and row[0]
