"""Text is sent compressed to viewers who accept it; a stored page is compressed only once."""

import gzip

import pytest
from django.core.cache import cache

from cms.page_cache import cache as page_cache
from tests.factories import ImageFactory, InterviewFactory, ScreeningFactory, make_editor

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def cache_on(settings, db):
    settings.CMS_PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._down_until = 0.0


def test_a_page_is_stored_compressed_and_served_so_without_compressing_again(client):
    interview = InterviewFactory(title="Squeezed talk")
    url = interview.get_absolute_url()
    first = client.get(url, headers=GZIP)
    assert first["X-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    html = gzip.decompress(first.content).decode()
    assert "Squeezed talk" in html
    second = client.get(url, headers=GZIP)
    # Each compression writes random bytes into the gzip header: equal bytes mean stored.
    assert second["X-Cache"] == "hit" and second.content == first.content
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert plain.content.decode() == html  # its own entry, the same page


@pytest.mark.parametrize(
    "url", ["/interviews/feed/", "/sitemap.xml", "/screenings/calendar.ics", "/search/?q=talk"]
)
def test_feeds_sitemaps_calendars_and_search_are_compressed(client, url):
    InterviewFactory(title="A talk")
    ScreeningFactory()  # a calendar with an event: longer than the 200 bytes not worth it
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200, url
    assert response["Content-Encoding"] == "gzip", url
    assert gzip.decompress(b"".join(response)).strip(), url


def test_pictures_are_sent_as_they_are(client):
    image = ImageFactory()
    response = client.get(image.url, headers=GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # a JPEG, untouched


def test_the_admin_editor_is_still_allowed_by_hash_when_its_page_is_compressed(client):
    """The import map is hashed from the plain body, before gzip (a browser asks for gzip)."""
    client.force_login(make_editor())
    interview = InterviewFactory()
    response = client.get(f"/admin/interviews/interview/{interview.pk}/change/", headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert b'<script type="importmap">' in gzip.decompress(response.content)
    assert "'sha256-" in response["Content-Security-Policy"]
