"""The public page cache: fast, answers conditional GETs, and never shows a stale page.

These tests commit for real (``transactional_db``), since the content version moves on
when a transaction commits, exactly as it does for a save in the admin.
"""

import time
from datetime import datetime, timedelta
from datetime import time as time_of_day

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cms.page_cache import cache as page_cache
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
from tests.services import answers, free_port, spare_redis_url, wait_until_listening


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


def test_a_page_stored_before_the_stylesheet_changed_is_not_served_after(client, monkeypatch):
    """The policy names the serving process's stylesheet hash; an older page would be unstyled."""
    from cms import stylesheet

    url = InterviewFactory().get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit"
    source = stylesheet.stylesheet_source()
    monkeypatch.setattr(stylesheet, "stylesheet_source", lambda: source + ".deployed{color:red}")
    stylesheet.cached_stylesheet_with_hash.cache_clear()
    try:
        after = get(client, url)
        assert after["X-Cache"] == "miss"
        assert stylesheet.inline_stylesheet()[1].strip("'") in after["Content-Security-Policy"]
        assert ".deployed{color:red}" in after.content.decode()
    finally:
        stylesheet.cached_stylesheet_with_hash.cache_clear()


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
    # Noon, not the clock: at 23:50 the licence's midnight would come before the 20 minutes.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time_of_day(12)))
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
            "BACKEND": "cms.page_cache.redis_cache.RedisCache",
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
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": redis_url}
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.CMS_PAGE_CACHE_ENABLED)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parents[3])  # fmt: skip
    assert result.stdout.strip() == expected, result.stderr


def test_a_change_is_recorded_in_its_own_transaction_and_rolls_back_with_it():
    from django.db import transaction

    from cms.page_cache.models import ContentVersion

    before = ContentVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        InterviewFactory()
        assert ContentVersion.current() != before  # visible inside the transaction
        raise RuntimeError("abandon the save")
    assert ContentVersion.current() == before  # nothing changed, nothing to invalidate
    InterviewFactory()
    assert ContentVersion.current() != before


def test_a_save_with_the_cache_server_unreachable_still_makes_cached_pages_misses(client, settings):
    """The proof of change is in the database, not in the cache server the save can't reach."""
    interview = InterviewFactory(title="Before the fault")
    url = interview.get_absolute_url()
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit"
    shared = settings.CACHES
    settings.CACHES = {"default": {
        "BACKEND": "cms.page_cache.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}  # fmt: skip
    Interview.objects.filter(pk=interview.pk).unpublish()
    settings.CACHES = shared
    page_cache._down_until = 0.0
    assert get(client, url).status_code == 404


REDIS_FOR_TESTS = spare_redis_url()


@pytest.mark.skipif(not answers(6379), reason="Redis does not answer at 127.0.0.1:6379")
def test_two_processes_one_cut_off_from_redis_never_leave_a_stale_page(tmp_path):
    """A server on Redis, and an editor's process that cannot reach Redis, on one database.

    The server caches a page; the other process edits, then unpublishes it; the server's
    next answer follows each change at once, though no message ever reached Redis.
    """
    import os
    import subprocess
    import sys
    import urllib.error
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    base_env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PAGE_CACHE": "1",
        "DJANGO_DEBUG": "0",
    }
    online = base_env | {"REDIS_URL": REDIS_FOR_TESTS}
    cut_off = base_env | {"REDIS_URL": "redis://127.0.0.1:1/0"}

    def manage(env, *args):
        return subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=root,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip

    manage(online, "migrate", "--noinput", "-v", "0")
    manage(online, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    manage(online, "shell", "-c", "from tests.factories import InterviewFactory; "
           "InterviewFactory(title='Original headline', slug='two-process-talk')")  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=online, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/interviews/two-process-talk/"

    def fetch():
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.headers["X-Cache"], response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["X-Cache"], ""

    try:
        wait_until_listening(port, server, "runserver")
        assert fetch()[:2] == (200, "miss")
        assert fetch()[:2] == (200, "hit")
        manage(cut_off, "shell", "-c", "from interviews.models import Interview; "
               "i = Interview.objects.get(slug='two-process-talk'); "
               "i.title = 'Corrected headline'; i.save()")  # fmt: skip
        status, state, page = fetch()
        assert (status, state) == (200, "miss") and "Corrected headline" in page
        assert fetch()[:2] == (200, "hit")
        manage(cut_off, "shell", "-c", "from interviews.models import Interview; "
               "Interview.objects.filter(slug='two-process-talk').unpublish()")  # fmt: skip
        assert fetch()[0] == 404
    finally:
        server.terminate()
        server.wait(10)
        manage(online, "shell", "-c", "from django.core.cache import cache; cache.clear()")


def test_the_key_holds_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "one.example", "two.example"]
    interview = InterviewFactory()
    url = interview.get_absolute_url()
    first = client.get(url, HTTP_HOST="one.example")
    assert first["X-Cache"] == "miss" and "http://one.example/" in first.content.decode()
    second = client.get(url, HTTP_HOST="two.example")
    assert second["X-Cache"] == "miss"
    assert "http://two.example/" in second.content.decode()
    assert "one.example" not in second.content.decode()
    secure = client.get(url, HTTP_HOST="two.example", secure=True)
    assert secure["X-Cache"] == "miss" and "https://two.example/" in secure.content.decode()
    assert client.get(url, HTTP_HOST="one.example")["X-Cache"] == "hit"


def test_unknown_query_parameters_neither_make_entries_nor_reach_the_page(client):
    interview = InterviewFactory()
    url = interview.get_absolute_url()
    assert get(client, url)["X-Cache"] == "miss"
    for n in range(20):
        response = get(client, f"{url}?x={n}&utm_source=mail{n}")
        assert response["X-Cache"] == "hit", n
    # The screening list reads its filters; a junk parameter does not count as a filter.
    ScreeningFactory(city="Lyon")
    page = get(client, "/screenings/?x=1").content.decode()
    assert "Clear filters" not in page
    assert get(client, "/screenings/")["X-Cache"] == "hit"
    filtered = get(client, "/screenings/?city=Lyon&x=2")
    assert filtered["X-Cache"] == "miss" and "Clear filters" in filtered.content.decode()
    assert get(client, "/screenings/?x=3&city=Lyon")["X-Cache"] == "hit"


def test_pages_for_unknown_filter_values_are_not_kept(client):
    for n in range(5):
        response = get(client, f"/screenings/?city=nowhere{n}")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert get(client, f"/screenings/?city=nowhere{n}")["X-Cache"] == "miss"


def test_parameters_a_page_does_not_read_make_no_entry_whatever_their_name(client):
    """Each view declares what it reads; "page" on an interview or "film" on home is junk."""
    interview = InterviewFactory()
    ScreeningFactory(city="Lyon", film=interview.film)
    for url, junk in [
        (interview.get_absolute_url(), "?page=7"),
        ("/", "?film=junk&kind=x&city=y&page=2"),
        ("/blog/feed/", "?page=3"),
    ]:
        assert get(client, url)["X-Cache"] == "miss", url
        assert get(client, url + junk)["X-Cache"] == "hit", url + junk
    # Repeated values: the last is the one the form reads, and the only one in the key.
    assert get(client, "/screenings/?city=Lyon")["X-Cache"] == "miss"
    assert get(client, "/screenings/?city=bad&city=x&city=Lyon")["X-Cache"] == "hit"


def test_page_numbers_in_another_spelling_are_answered_but_not_kept(client):
    InterviewFactory()
    for url in ("/interviews/?page=01", "/interviews/?page=0001", "/interviews/?page=+1"):
        response = get(client, url)
        assert response.status_code == 200 and response["X-Cache"] == "miss", url
        assert get(client, url)["X-Cache"] == "miss", url  # nothing was stored
    assert get(client, "/interviews/?page=1")["X-Cache"] == "miss"
    assert get(client, "/interviews/?page=1")["X-Cache"] == "hit"


def test_a_sitemap_section_reads_its_page_number(client, settings):
    InterviewFactory()
    assert get(client, "/sitemap-interviews.xml").status_code == 200
    assert get(client, "/sitemap-interviews.xml?p=2").status_code == 404  # only one page
    assert get(client, "/sitemap-interviews.xml?p=1")["X-Cache"] == "miss"


def test_a_cache_hit_costs_one_query_the_content_version(client, django_assert_num_queries):
    url = InterviewFactory().get_absolute_url()
    get(client, url)
    with django_assert_num_queries(1) as captured:
        assert get(client, url)["X-Cache"] == "hit"
    assert "token" in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        assert get(client, f"{url}?utm_source=x")["X-Cache"] == "hit"
