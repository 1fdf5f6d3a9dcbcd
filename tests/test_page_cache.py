"""The public page cache: fast, answers conditional GETs, and never shows a stale page.

These tests commit for real (``transactional_db``), since the content version moves on
when a transaction commits, exactly as it does for a save in the admin.
"""

import time
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cms import page_cache
from interviews.models import Interview
from tests.admin_forms import change_form_data
from tests.factories import (
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
    make_editor,
)


@pytest.fixture(autouse=True)
def cache_on(settings, transactional_db):
    settings.CMS_PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._down_until = 0.0
    yield
    page_cache.guarded(cache.clear)  # the cache may be the one a test switched off
    page_cache._down_until = 0.0


def get(client: Client, url: str, **headers):
    return client.get(url, headers=headers)


def test_a_second_view_comes_from_the_cache_and_revalidates_with_304(client):
    interview = InterviewFactory(title="Cached talk")
    url = interview.get_absolute_url()
    first = get(client, url)
    assert first["X-Cache"] == "miss"
    second = get(client, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    assert get(client, url, if_none_match=second["ETag"]).status_code == 304
    later = get(client, url, if_modified_since=second["Last-Modified"])
    assert later.status_code == 304
    assert "max-age=0" in second["Cache-Control"]


def test_an_edit_shows_to_the_next_viewer(client):
    pair = QuestionAnswerFactory(answer="<p>First wording.</p>")
    url = pair.interview.get_absolute_url()
    etag = get(client, url)["ETag"]
    pair.answer = "<p>Second wording.</p>"
    pair.save()
    response = get(client, url, if_none_match=etag)
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert "Second wording." in response.content.decode()


def test_an_edit_in_the_admin_shows_at_once(client):
    interview = InterviewFactory(title="Before the edit")
    url = interview.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit"
    editor_client = Client()
    editor_client.force_login(make_editor())
    change = f"/admin/interviews/interview/{interview.pk}/change/"
    data = change_form_data(editor_client.get(change)) | {"title": "After the edit"}
    assert editor_client.post(change, data).status_code == 302
    assert "After the edit" in get(client, url).content.decode()


@pytest.mark.parametrize("action", ["unpublish", "publish"])
def test_bulk_publishing_shows_at_once(client, action):
    status = "published" if action == "unpublish" else "draft"
    interview = InterviewFactory(title="Bulk", status=status,
                                 publish_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    url = interview.get_absolute_url()
    before = get(client, url).status_code
    getattr(Interview.objects.filter(pk=interview.pk), action)()
    after = get(client, url).status_code
    assert (before, after) == ((200, 404) if action == "unpublish" else (404, 200))


def test_a_list_follows_a_new_page_and_a_deleted_one(client):
    get(client, "/blog/")
    post = PostFactory(title="Fresh news")
    assert "Fresh news" in get(client, "/blog/").content.decode()
    post.delete()
    assert "Fresh news" not in get(client, "/blog/").content.decode()


def test_a_screening_change_shows_on_its_film_and_the_listing(client):
    screening = ScreeningFactory(city="Lowell")
    for url in ("/screenings/", screening.film.get_absolute_url()):
        assert "Lowell" in get(client, url).content.decode()
    screening.city = "Worcester"
    screening.save()
    for url in ("/screenings/", screening.film.get_absolute_url()):
        assert "Worcester" in get(client, url).content.decode()


def test_a_scheduled_page_appears_the_moment_it_goes_live(client):
    now = timezone.now()
    InterviewFactory(title="Already out", publish_at=now - timedelta(days=1))
    InterviewFactory(title="Goes out soon", publish_at=now + timedelta(seconds=2))
    assert "Goes out soon" not in get(client, "/interviews/").content.decode()
    assert get(client, "/interviews/")["X-Cache"] == "hit"  # kept, but only until then
    time.sleep(max(0.0, (now + timedelta(seconds=2.1) - timezone.now()).total_seconds()))
    response = get(client, "/interviews/")
    assert response["X-Cache"] == "miss"
    assert "Goes out soon" in response.content.decode()


def test_the_boundary_is_the_next_go_live_expiry_screening_or_licence_day():
    now = timezone.now()
    assert page_cache.next_boundary(now) is None
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    ImageFactory(licence_expires_on=tomorrow)
    midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    assert page_cache.next_boundary(now) == midnight
    InterviewFactory(publish_at=now + timedelta(hours=3))
    assert page_cache.next_boundary(now) == min(midnight, now + timedelta(hours=3))
    PostFactory(publish_at=now - timedelta(days=1), expire_at=now + timedelta(minutes=20))
    assert page_cache.next_boundary(now) == now + timedelta(minutes=20)
    screening = ScreeningFactory(starts_at=now + timedelta(minutes=10))
    assert page_cache.next_boundary(now) == screening.starts_at
    FilmFactory(status="draft", publish_at=now + timedelta(minutes=1))  # a draft: no boundary
    assert page_cache.next_boundary(now) == screening.starts_at


def test_staff_previews_and_staff_views_are_never_cached(client):
    draft = InterviewFactory(title="Draft talk", status="draft", publish_at=None)
    live = InterviewFactory(title="Live talk")
    staff = Client()
    staff.force_login(make_editor())
    for _ in range(2):
        preview = get(staff, draft.get_absolute_url())
        assert preview.status_code == 200 and "X-Cache" not in preview
        assert "no-store" in preview["Cache-Control"]
        assert "X-Cache" not in get(staff, live.get_absolute_url())
    assert get(client, draft.get_absolute_url()).status_code == 404  # nothing leaked
    assert get(client, live.get_absolute_url())["X-Cache"] == "miss"


def test_admin_search_and_share_links_are_never_cached(client):
    InterviewFactory()
    for url in ("/search/?q=interview", "/admin/login/", "/healthz"):
        get(client, url)
        assert "X-Cache" not in get(client, url), url


def test_the_site_serves_when_the_cache_is_down(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    interview = InterviewFactory(title="Still served")
    response = get(client, interview.get_absolute_url())
    assert response.status_code == 200 and response["X-Cache"] == "off"
    assert "Still served" in response.content.decode()
    assert "Page cache unavailable" in caplog.text
    interview.title = "Edited while the cache was down"
    interview.save()  # the version cannot move on; the save must still succeed
    assert "Edited while" in get(client, interview.get_absolute_url()).content.decode()


def test_feeds_and_sitemaps_are_cached_and_follow_edits(client):
    post = PostFactory(title="First headline")
    for url in ("/blog/feed/", "/sitemap-news.xml"):
        get(client, url)
        assert get(client, url)["X-Cache"] == "hit", url
    post.title = "Second headline"
    post.slug = "second-headline"
    post.save()
    assert "Second headline" in get(client, "/blog/feed/").content.decode()
    assert "second-headline" in get(client, "/sitemap-news.xml").content.decode()


@pytest.mark.parametrize(
    ("redis_url", "expected"), [("", "False"), ("redis://127.0.0.1:6379/15", "True")]
)
def test_pages_are_cached_by_default_only_in_a_shared_cache(redis_url, expected):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "REDIS_URL": redis_url}
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.CMS_PAGE_CACHE_ENABLED)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert result.stdout.strip() == expected, result.stderr
