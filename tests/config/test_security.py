"""Security: headers everywhere, sign-in lockout, and hostile requests that must answer 4xx.

Each hostile request is also checked to have written nothing.
"""

import base64
import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms.media.models import Image
from cms.publishing.models import ShareLink
from interviews.models import Interview
from tests.factories import ImageFactory, InterviewFactory, PostFactory, make_editor

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-password"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/interviews/feed/", "/screenings/calendar.ics",
                                 "/sitemap.xml", "/admin/login/", "/nope/"])  # fmt: skip
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    for name, value in HEADERS.items():
        assert response[name] == value, (url, name)
    assert "camera=()" in response["Permissions-Policy"]
    csp = policy(response)
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]


@pytest.mark.django_db
def test_the_admin_allows_only_its_own_import_map_by_hash(editor_client):
    response = editor_client.get("/admin/interviews/interview/add/")
    scripts = policy(response)["script-src"]
    assert scripts[0] == "'self'" and len(scripts) == 2 and scripts[1].startswith("'sha256-")
    assert "'unsafe-inline'" not in scripts


@pytest.mark.django_db
def test_the_site_policy_built_once_is_the_one_django_csp_builds(editor_client, client):
    """A page nothing changed the policy of gets the headers built for the first such page;
    a page with hashes of its own (the admin's editor) is built afresh, and changes nothing
    for the next."""
    first = client.get("/films/")["Content-Security-Policy"]
    feed = client.get("/interviews/feed/")["Content-Security-Policy"]
    admin = policy(editor_client.get("/admin/interviews/interview/add/"))
    assert admin["script-src"][1].startswith("'sha256-")
    assert client.get("/interviews/")["Content-Security-Policy"] == first
    assert client.get("/blog/feed/")["Content-Security-Policy"] == feed != first
    assert "'sha256-" not in policy(client.get("/"))["script-src"]


@pytest.mark.django_db
def test_hsts_on_https_with_the_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def style_hash(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return f"'sha256-{digest}'"


@pytest.mark.django_db
def test_public_pages_run_no_inline_script_and_only_the_sites_own_inline_style(client, demo):
    for url in ("/", "/films/ai-weiwei-never-sorry/", "/interviews/alison-klayman-on-filming-"
                "ai-weiwei/", "/screenings/", "/blog/", "/search/?q=film"):  # fmt: skip
        response = client.get(url)
        soup = BeautifulSoup(response.content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url
        assert not soup.select("[style]"), url  # no style attributes: no 'unsafe-inline'
        # One <style>, the site's stylesheet, allowed by its hash and by nothing looser.
        (style,) = soup.find_all("style")
        assert "@font-face" in style.string and 'url("/static/fonts/' in style.string, url
        styles = policy(response)["style-src"]
        assert styles == ["'self'", style_hash(style.string)], url


@pytest.mark.django_db
def test_the_stylesheet_hash_survives_the_page_cache(client, settings, demo):
    """A stored page is sent with the same hash: it is made once per process, not per page."""
    settings.CMS_PAGE_CACHE_ENABLED = True
    cache.clear()
    first, second = client.get("/films/"), client.get("/films/")
    assert second["X-Cache"] == "hit"
    cache.clear()
    for response in (first, second):
        (style,) = BeautifulSoup(response.content, "html.parser").find_all("style")
        assert policy(response)["style-src"][-1] == style_hash(style.string)


@pytest.mark.django_db
def test_the_admin_editor_keeps_its_inline_styles_without_the_stylesheet_hash(editor_client):
    """Beside a hash, browsers ignore 'unsafe-inline': the editor's pages get no hash."""
    styles = policy(editor_client.get("/admin/interviews/interview/add/"))["style-src"]
    assert "'unsafe-inline'" in styles and not any(s.startswith("'sha256-") for s in styles)


@pytest.mark.django_db
def test_cookies_are_httponly_and_samesite(client):
    editor = make_editor()
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    client.post("/admin/login/", {"username": editor.username, "password": PASSWORD,
                                  "csrfmiddlewaretoken": csrf.value})  # fmt: skip
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_production_cookies_are_secure_only():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:////tmp/x.db",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_until_reset(client):
    editor = make_editor()
    for _ in range(4):
        response = client.post("/admin/login/", {"username": editor.username, "password": "x"})
        assert response.status_code == 200  # the ordinary "wrong password" form
    fifth = client.post("/admin/login/", {"username": editor.username, "password": "x"})
    assert fifth.status_code == 429
    locked = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client()  # another user name from the same address is not locked out
    get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
    assert (
        other.post("/admin/login/", {"username": "other", "password": PASSWORD}).status_code == 302
    )
    call_command("axes_reset_username", editor.username, verbosity=0)
    again = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert again.status_code == 302


@pytest.mark.django_db
def test_a_forged_post_without_the_csrf_token_is_refused_and_writes_nothing():
    interview = InterviewFactory(title="Untouched")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    url = f"/admin/interviews/interview/{interview.pk}/change/"
    response = client.post(url, {"title": "Forged", "slug": interview.slug})
    assert response.status_code == 403
    assert Interview.objects.get().title == "Untouched"
    response = client.post("/admin/interviews/interview/", {
        "action": "unpublish", "_selected_action": [interview.pk]})  # fmt: skip
    assert response.status_code == 403
    assert Interview.objects.get().status == "published"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/media/../manage.py", "/media/%2e%2e/manage.py", "/media/..%2fmanage.py",
    "/media/images/../../manage.py", "/static/../manage.py", "/static/%2e%2e/manage.py",
    "/media//etc/passwd", "/media/%00.jpg",
])  # fmt: skip
def test_path_traversal_in_media_and_static_urls_finds_nothing(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, url
    assert b"DJANGO_SETTINGS_MODULE" not in b"".join(response)


@pytest.mark.django_db
def test_an_oversized_body_is_refused_before_it_is_read():
    client = Client()
    client.force_login(make_editor())
    response = client.post("/admin/cms/image/add/", {"alt_text": "x"},
                           CONTENT_LENGTH=str(30 * 2**20))  # fmt: skip
    assert response.status_code == 413
    assert "the limit is 22 MB" in response.content.decode()
    assert not Image.objects.exists()
    assert client.post("/admin/login/", {}, CONTENT_LENGTH="twelve").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["evil.example.org", "testserver:abc", "bad host",
                                  "testserver@evil.org", "[::1", ""])  # fmt: skip
def test_malformed_or_foreign_host_headers_answer_400(client, host):
    PostFactory(title="Hosted")
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 400, host


@pytest.mark.django_db
def test_a_tampered_share_token_reveals_nothing(client, editor):
    draft = InterviewFactory(title="Secret draft", status="draft", publish_at=None)
    link = ShareLink.objects.create(
        content_type=ContentType.objects.get_for_model(draft), object_id=draft.pk,
        created_by=editor, expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    assert client.get(f"/share/{link.token}/").status_code == 200
    for token in (link.token[:-1] + ("A" if link.token[-1] != "A" else "B"),
                  link.token + "x", link.token.upper(), "../admin"):  # fmt: skip
        response = client.get(f"/share/{token}/")
        assert response.status_code == 404
        assert b"Secret draft" not in response.content


@pytest.mark.django_db
def test_uploads_are_served_as_images_that_cannot_run(client):
    image = ImageFactory()
    response = client.get(image.url)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_unreachable_database_answers_a_friendly_503():
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(raise_request_exception=False).get('/films/')\n"
        "print(r.status_code, r['Retry-After'], 'back in a moment' in r.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.stdout.split() == ["503", "30", "True"], result.stderr[-2000:]
