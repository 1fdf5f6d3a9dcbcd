"""Varnish in front of the site, with the repository's VCL and the app's headers and purges.

A real varnishd (Debian's, with the xkey module) before the live test server: anonymous
pages are stored and served, a change purges exactly the pages that show it, a scheduled
page appears on its moment with no purge, and nothing personal is ever stored.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from cms.publishing.models import ShareLink
from interviews.models import Interview
from tests.factories import InterviewFactory, PostFactory, make_editor
from tests.http_cache.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varnish(live_server, settings, start_varnish):
    settings.CMS_HTTP_CACHE_HEADERS = True
    settings.CMS_TRUSTED_PROXIES = ["127.0.0.1"]
    varnish = start_varnish([("127.0.0.1", live_server.thread.port)])
    settings.CMS_HTTP_CACHE_PURGE_URLS = [varnish.url]
    return varnish


def path_of(interview: Interview) -> str:
    return interview.get_absolute_url()


def test_an_anonymous_page_is_a_miss_then_a_hit_and_keeps_its_keys_to_itself(varnish):
    interview = InterviewFactory(title="Filming Ai Weiwei")
    first = varnish.get(path_of(interview))
    assert first.status == 200 and first.cache == "MISS"
    assert "Filming Ai Weiwei" in first.body
    second = varnish.get(path_of(interview))
    assert second.cache == "HIT" and second.body == first.body
    assert second.headers["Cache-Control"].startswith("public, max-age=0")
    assert "xkey" not in second.headers and "Surrogate-Key" not in second.headers


def test_an_edit_purges_exactly_the_pages_that_show_it(varnish):
    edited = InterviewFactory(title="Before the edit")
    news = PostFactory(title="Unrelated news")  # a page that shows no interview
    for path in (path_of(edited), news.get_absolute_url()):
        varnish.get(path)
        assert varnish.get(path).cache == "HIT"

    edited.title = "After the edit"
    edited.save()

    assert eventually(lambda: "After the edit" in varnish.get(path_of(edited)).body)
    assert varnish.get(path_of(edited)).cache == "HIT"  # stored again
    assert varnish.get(news.get_absolute_url()).cache == "HIT"  # never purged


def test_publishing_a_draft_purges_the_list_that_gains_it(varnish):
    InterviewFactory(title="Already out")
    draft = InterviewFactory(title="Just published", status="draft", publish_at=None)
    varnish.get("/interviews/")
    assert varnish.get("/interviews/").cache == "HIT"
    draft.status = "published"
    draft.publish_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    assert eventually(lambda: "Just published" in varnish.get("/interviews/").body)


def test_host_and_scheme_are_part_of_the_key(varnish, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    interview = InterviewFactory()
    path = path_of(interview)
    varnish.get(path)
    assert varnish.get(path).cache == "HIT"
    other_host = varnish.get(path, Host="localhost")
    assert other_host.cache == "MISS" and "http://localhost" in other_host.body
    https = varnish.get(path, X_Forwarded_Proto="https")
    assert https.cache == "MISS" and "https://127.0.0.1" in https.body
    assert "http://127.0.0.1" in varnish.get(path).body  # the plain one is still its own


def test_a_scheduled_page_goes_live_on_its_moment_with_no_purge(varnish):
    moment = timezone.now() + timedelta(seconds=4)
    InterviewFactory(title="Already out")
    InterviewFactory(title="Premieres soon", publish_at=moment)  # one purge, now
    first = varnish.get("/interviews/")
    assert "Premieres soon" not in first.body
    assert varnish.get("/interviews/").cache == "HIT"  # kept after that purge, until...
    seen = []

    def live() -> bool:
        answer = varnish.get("/interviews/")
        shown = "Premieres soon" in answer.body
        seen.append((timezone.now(), shown, answer.status, answer.cache, answer.headers["Age"]))
        return shown

    went_live = eventually(live, seconds=10, pause=0.2)
    # What each poll saw, and Varnish's view of the app server, should this ever fail.
    story = "\n".join(map(str, seen)) + "\n" + varnish.backend_health()
    assert went_live, story
    assert all(at >= moment for at, shown, *_ in seen if shown), story
    assert seen[-1][0] - moment < timedelta(seconds=3), story


def staff_cookie() -> str:
    client = Client()
    client.force_login(make_editor())
    return f"sessionid={client.cookies['sessionid'].value}"


def never_stored(varnish, path: str, **headers: str) -> list[str]:
    return [varnish.get(path, **headers).cache for _ in range(3)]


def test_signed_in_staff_and_their_previews_are_never_stored(varnish):
    interview = InterviewFactory(title="Public version")
    draft = InterviewFactory(title="Draft in review", status="draft", publish_at=None)
    cookie = staff_cookie()
    assert set(never_stored(varnish, path_of(interview), Cookie=cookie)) == {"PASS"}
    preview = varnish.get(path_of(draft), Cookie=cookie)
    assert preview.status == 200 and "Draft in review" in preview.body
    assert varnish.get(path_of(draft)).status == 404  # the preview was never stored
    assert varnish.get(path_of(interview)).cache == "MISS"  # nor the staff's own page


def test_share_links_forms_and_the_admin_are_never_stored(varnish):
    draft = InterviewFactory(title="For the lawyer", status="draft", publish_at=None)
    link = ShareLink.objects.create(
        content_object=draft,
        created_by=make_editor(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    for path in (link.get_absolute_url(), "/host/", "/admin/login/"):
        answers = [varnish.get(path) for _ in range(3)]
        assert answers[0].status == 200, path
        assert "HIT" not in {answer.cache for answer in answers}, path


def test_other_cookies_do_not_stop_a_hit(varnish):
    interview = InterviewFactory()
    varnish.get(path_of(interview))
    assert varnish.get(path_of(interview), Cookie="_ga=GA1.2.3; csrftoken=abc").cache == "HIT"


def test_purges_are_accepted_only_from_this_machine(varnish):
    purge = {"method": "PURGE", "headers": {"xkey-purge": "interviews.interview:*"}}
    assert varnish.request("/", **purge).status == 200
    assert varnish.request("/", source="127.0.0.2", **purge).status == 403


def sign_in_fails(varnish, source: str, forwarded: str) -> int:
    form = varnish.request("/admin/login/", source=source)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", form.headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    body = f"csrfmiddlewaretoken={token}&username=ed&password=wrong&next=/admin/"
    headers = {
        "Cookie": f"csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": forwarded,
    }
    return varnish.request(
        "/admin/login/", method="POST", headers=headers, body=body, source=source
    ).status


def test_the_viewers_address_reaches_the_sign_in_lockout_and_a_forged_one_does_not(varnish):
    make_editor()
    # A viewer at 127.0.0.2 (not a trusted upstream of Varnish) forging another address.
    assert sign_in_fails(varnish, "127.0.0.2", forwarded="198.51.100.7") == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.2"]
    # A trusted load balancer on this machine forwarding its viewer's address.
    AccessAttempt.objects.all().delete()
    assert sign_in_fails(varnish, "127.0.0.1", forwarded="198.51.100.8") == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.8"]
