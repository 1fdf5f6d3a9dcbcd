"""Two app servers (gunicorn, production settings) behind one Varnish (requirement 7).

They share only the PostgreSQL database and the page cache in Redis; every other cache is
each process's own memory (``two_instance_settings``). An edit saved in the admin of one is
served by the other and through Varnish, and a scheduled page goes live on both on its
moment, never before. Runs in the PostgreSQL pass of ``make test``; there, a Redis that does
not answer fails the test with that message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import EDITOR_PASSWORD, InterviewFactory, make_editor
from tests.http_cache.conftest import Varnish, eventually
from tests.services import answers, free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_cache_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.fail("REDIS_URL is not set: the two-instance test needs Redis (127.0.0.1:6379).")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {url} does not answer ({error}): the two-instance test needs it.")
    return url


@pytest.fixture
def instances(page_cache_redis, start_varnish):
    """Start two gunicorn servers and one Varnish over them; yield (A, B, Varnish) ports."""
    database = connection.settings_dict
    if not answers(int(database["PORT"] or 5432), database["HOST"] or "127.0.0.1"):
        pytest.fail("PostgreSQL does not answer: the two-instance test needs it.")
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    varnish_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.http_cache.two_instance_settings",
        "DJANGO_SECRET_KEY": "two-instances-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "PAGE_CACHE_REDIS_URL": page_cache_redis,
        "DJANGO_HTTP_CACHE_HEADERS": "1",
        "DJANGO_HTTP_CACHE_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
    }
    servers = []
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    for port in ports:
        command = [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", "1", "--threads", "4"]  # fmt: skip
        servers.append(subprocess.Popen(command, cwd=ROOT, env=env))
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_listening(port, server, f"gunicorn on {port}")
        varnish = start_varnish([("127.0.0.1", port) for port in ports], port=varnish_port)
        yield ports, varnish
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def direct(port: int) -> Varnish:
    """A client for one app server, spoken to as Varnish would (same helper, no cache)."""
    return Varnish(port, process=None, log=None)


def cookies_of(answer, jar: dict[str, str]) -> None:
    for header in answer.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";")[0]


def save_in_admin(port: int, pk: int, title: str) -> None:
    """Sign in to one instance's admin and save an interview's form with a new title."""
    server, jar = direct(port), {}

    def call(path: str, data: dict | list | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
        if data is None:
            answer = server.request(path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            answer = server.request(path, method="POST", headers=headers, body=urlencode(data))
        cookies_of(answer, jar)
        return answer

    login = call(reverse("admin:login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
    signed_in = call(
        reverse("admin:login"),
        {"csrfmiddlewaretoken": token, "username": "ed", "password": EDITOR_PASSWORD},
    )
    assert signed_in.status == 302, signed_in.body[:500]
    path = reverse("admin:interviews_interview_change", args=[pk])
    form = BeautifulSoup(call(path).body, "html.parser").select_one("form#interview_form")
    data: list[tuple[str, str]] = []
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            data += [(name, o.get("value", "")) for o in field.select("option[selected]")]
        elif field.name == "textarea":
            data.append((name, field.text))
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.append((name, field.get("value", "on")))
        elif kind not in ("submit", "button", "file", "image"):
            data.append((name, field.get("value", "")))
    data = [(name, title if name == "title" else value) for name, value in data]
    saved = call(path, data + [("_save", "Save")])
    assert saved.status == 302, BeautifulSoup(saved.body, "html.parser").select(".errorlist")


def test_an_edit_through_one_instance_is_served_by_the_other_and_by_varnish(instances):
    (a, b), varnish = instances
    make_editor()
    interview = InterviewFactory(title="As first published")
    path = interview.get_absolute_url()
    for client in (direct(a), direct(b), varnish, varnish):
        assert "As first published" in client.get(path).body
    assert varnish.get(path).cache == "HIT"

    save_in_admin(a, interview.pk, "As edited in A")

    for client in (direct(b), varnish, direct(a)):
        assert eventually(lambda c=client: "As edited in A" in c.get(path).body), client.port


def test_a_scheduled_page_goes_live_on_both_on_its_moment(instances):
    (a, b), varnish = instances
    InterviewFactory(title="Already out")
    moment = timezone.now() + timedelta(seconds=5)
    InterviewFactory(title="Premieres soon", publish_at=moment)
    clients = {"A": direct(a), "B": direct(b), "Varnish": varnish}
    seen: dict[str, list] = {name: [] for name in clients}

    def all_live() -> bool:
        for name, client in clients.items():
            shown = "Premieres soon" in client.get("/interviews/").body
            seen[name].append((timezone.now(), shown))
        return all(views[-1][1] for views in seen.values())

    assert eventually(all_live, seconds=15, pause=0.2)
    for name, views in seen.items():
        assert not views[0][1], f"{name} showed it at once"
        first = next(at for at, shown in views if shown)
        assert first >= moment, f"{name} showed it before its moment"
        assert first - moment < timedelta(seconds=3), f"{name} showed it late"
