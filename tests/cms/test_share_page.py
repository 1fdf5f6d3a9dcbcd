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


# The admin's share-link page: a Copy button per working link, run by the site's own script.


def admin_share_page(client, links: list[dict]) -> BeautifulSoup:
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from cms.publishing.models import ShareLink
    from tests.factories import make_editor

    editor = make_editor()
    interview = InterviewFactory(title="For the lawyer", status="draft", publish_at=None)
    for fields in links:
        expires_at = timezone.now() + timedelta(days=2)
        ShareLink.objects.create(
            content_object=interview, created_by=editor, expires_at=expires_at, **fields
        )
    client.force_login(editor)
    response = client.get(reverse("admin:interviews_interview_share", args=[interview.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_each_working_share_link_has_a_copy_button_for_its_field(client):
    from django.utils import timezone

    soup = admin_share_page(client, [{"note": "Lawyer"}, {"note": "Filmmaker"},
                                     {"note": "Gone", "revoked_at": timezone.now()}])  # fmt: skip
    buttons = soup.select("button[data-copy]")
    assert len(buttons) == 2  # none for the revoked link
    for button in buttons:
        field = soup.find(id=button["data-copy"])
        assert field.name == "input" and field.has_attr("readonly")
        assert field["value"].startswith("http://testserver/share/")
        assert button["type"] == "button" and button.has_attr("hidden")  # shown by the script
    names = sorted(" ".join(b.get_text(" ", strip=True).split()) for b in buttons)
    assert names == ["Copy the link for Filmmaker", "Copy the link for Lawyer"]
    status = soup.select_one("[data-copy-status]")
    assert status["role"] == "status" and status["aria-live"] == "polite"


def test_the_copy_script_is_a_static_file_and_nothing_is_inline(client):
    soup = admin_share_page(client, [{"note": ""}])
    scripts = [s for s in soup.select("script") if "admin-copy" in s.get("src", "")]
    assert [s["src"] for s in scripts] == ["/static/js/admin-copy.js"]
    assert all(s.get("src") or s.get("type") == "importmap" for s in soup.select("script"))
    assert not [s for s in soup.select("script[src]") if s["src"].startswith(("http", "//"))]


def test_without_links_there_is_no_copy_button(client):
    soup = admin_share_page(client, [])
    assert soup.select("button[data-copy]") == []
    assert "No links yet." in soup.get_text()
