"""The worker as a real process: killed while it waits for the mail server it loses no
message, and `make run` starts it beside runserver and stops it with Ctrl-C.

The worker (``manage.py db_worker``, production settings, a throwaway SQLite database)
talks to a mail server that accepts the connection and never answers; it is killed with
SIGKILL mid-send. The attempt was counted and the next one queued before it talked to the
server, so a later worker sends the message.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cms.mail.models import SENDING_LEASE
from tests.cms.mail.processes import alive, command_line, descendants, need_proc
from tests.services import answers, free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[3]
QUEUE_A_MESSAGE = """
from django.db import transaction
from cms.mail.models import OutgoingEmail
from cms.mail.tasks import deliver_email

with transaction.atomic():
    email = OutgoingEmail.objects.create(to="host@example.org", subject="Survives a crash",
                                         text_body="Hello")
    deliver_email.enqueue(email.pk, 1)
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated throwaway SQLite database and the production environment around it.

    The secret key bin/manage_prod.py makes in ``var/secret_key`` is removed afterwards
    unless it was there before.
    """
    path = tmp_path_factory.mktemp("worker") / "worker.sqlite3"
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_", "AWS_", "EMAIL_", "ANYMAIL_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["DATABASE_URL"] = f"sqlite:///{path}"
    key_file = ROOT / "var" / "secret_key"
    made_key = not key_file.exists()
    try:
        manage(env, "migrate", "--noinput")
        yield path, env
    finally:
        if made_key:
            key_file.unlink(missing_ok=True)
            if key_file.parent.exists() and not any(key_file.parent.iterdir()):
                key_file.parent.rmdir()


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "bin/manage_prod.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def message(path: Path) -> tuple:
    [row] = query(path, "SELECT status, attempts, last_error FROM cms_outgoingemail")
    return row


def tasks(path: Path) -> list[tuple]:
    return [
        (status, json.loads(args)["args"], run_after)
        for status, args, run_after in query(
            path, "SELECT status, args_kwargs, run_after FROM django_tasks_database_dbtaskresult "
            "ORDER BY enqueued_at",
        )
    ]  # fmt: skip


def test_a_killed_worker_loses_no_message(database):
    path, env = database
    with socket.socket() as silent:  # accepts connections (the backlog), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        mail_server = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(silent.getsockname()[1]),
                       "EMAIL_USE_TLS": "0"}  # fmt: skip
        manage(env, "shell", "-c", QUEUE_A_MESSAGE)
        worker = subprocess.Popen(
            [sys.executable, "bin/manage_prod.py", "db_worker", "--no-startup-delay"],
            cwd=ROOT, env=env | mail_server, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while message(path)[1] == 0:  # until the worker is waiting for the server
                assert time.monotonic() < deadline and worker.poll() is None
                time.sleep(0.1)
            killed_at = time.time()
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    status, attempts, error = message(path)
    assert (status, attempts) == ("queued", 1)
    assert error.startswith("Unfinished: attempt 1 began at")
    [(first_state, first_args, _), (next_state, next_args, next_run)] = tasks(path)
    assert (first_state, first_args) == ("RUNNING", [1, 1])  # left as the kill found it
    assert (next_state, next_args) == ("READY", [1, 2])
    next_at = datetime.fromisoformat(next_run).replace(tzinfo=UTC).timestamp()  # stored in UTC
    assert abs(next_at - (killed_at + SENDING_LEASE.total_seconds())) < 30

    # Once its time comes, a worker (with no mail server set: printed) sends it.
    query(path, "UPDATE django_tasks_database_dbtaskresult SET run_after = "
                "'2000-01-01 00:00:00' WHERE status = 'READY'")  # fmt: skip
    sent = manage(env, "db_worker", "--batch", "--no-startup-delay")
    assert "Subject: Survives a crash" in sent.stdout
    assert message(path) == ("sent", 2, "")
    assert [state for state, _, _ in tasks(path)] == ["RUNNING", "SUCCESSFUL"]


def test_make_run_starts_the_worker_beside_runserver_and_ctrl_c_stops_both(database):
    """bin/run_dev.py, `make run`'s last step, on the development settings."""
    need_proc()
    path, env = database
    port = free_port()
    development = env | {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    supervisor = subprocess.Popen(
        [sys.executable, "bin/run_dev.py", f"127.0.0.1:{port}"], cwd=ROOT, env=development,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(supervisor.stdout), daemon=True)
    reader.start()
    try:
        wait_until_listening(port, supervisor, "runserver under bin/run_dev.py")
        deadline = time.monotonic() + 30
        while not any(line.startswith("Starting worker") for line in output):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)
        processes = descendants(supervisor.pid)
        lines = [command_line(pid) for pid in processes]
        assert any(f"manage.py runserver 127.0.0.1:{port}" in line for line in lines), lines
        while not any('"GET /healthz HTTP/1.1" 200' in line for line in output):
            assert time.monotonic() < deadline, "the server was not warmed up before a viewer"
            time.sleep(0.1)

        supervisor.send_signal(signal.SIGINT)  # Ctrl-C
        assert supervisor.wait(timeout=40) == 0
        assert [pid for pid in processes if alive(pid)] == []
        assert not answers(port)
    finally:
        if supervisor.poll() is None:
            for pid in descendants(supervisor.pid) | {supervisor.pid}:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        supervisor.wait(timeout=30)
        reader.join(timeout=10)
    assert not any("Traceback" in line for line in output), output


def test_make_run_ends_with_the_worker_started_by_bin_run_dev():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", "-s", "-o", ".venv/.installed", "run", "PY=python", "PORT=8123"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "python bin/run_dev.py 127.0.0.1:8123"
