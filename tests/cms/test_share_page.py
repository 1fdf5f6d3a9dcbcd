"""Share links on every content page: plain links and the site's own script, nothing foreign."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.factories import FilmFactory, InterviewFactory, PostFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["film", "interview", "post", "screening"])
def page(request):
    if request.param == "screening":
        return ScreeningFactory(film=FilmFactory(title="Tom & Jerry’s <film>"), venue="")
    factory = {"film": FilmFactory, "interview": InterviewFactory, "post": PostFactory}
    return factory[request.param](title="Tom & Jerry’s <film>")


def share_box(client, page):
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("section.share")


def test_each_service_gets_the_pages_address_and_title(client, page):
    box = share_box(client, page)
    address = f"http://testserver{page.get_absolute_url()}"
    assert box["data-share-url"] == address
    links = {a.get_text(): a["href"] for a in box.select("a")}
    assert set(links) == {"Email", "Bluesky", "Facebook", "X (Twitter)"}
    email = parse_qs(urlsplit(links["Email"]).query)
    assert email == {"subject": ["Tom & Jerry’s <film>"], "body": [address]}
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [address]}
    assert parse_qs(urlsplit(links["X (Twitter)"]).query) == {
        "url": [address], "text": ["Tom & Jerry’s <film>"]
    }  # fmt: skip
    assert parse_qs(urlsplit(links["Bluesky"]).query) == {
        "text": [f"Tom & Jerry’s <film> {address}"]
    }
    for service in ("Bluesky", "Facebook", "X (Twitter)"):
        assert "noopener" in box.find("a", string=service)["rel"]


def test_the_script_is_the_sites_own_and_the_buttons_wait_for_it(client, page):
    box = share_box(client, page)
    script = box.find_next_sibling("script")
    assert script["src"].startswith("/static/js/share") and script.has_attr("defer")
    assert all(item.has_attr("hidden") for item in box.select("[data-share-action]"))
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<script src="http' not in html and "<iframe" not in html
