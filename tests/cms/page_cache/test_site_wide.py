"""The footer is made once per content version per process, and never served stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.site_settings import SiteSettings
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def queries_and_page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def set_donate(label: str) -> None:
    site = SiteSettings.load()
    site.donate_url, site.donate_label = "https://example.org/give", label
    site.save()


def test_a_kept_page_serves_the_footer_with_no_query_and_shows_an_edit_at_once(client):
    set_donate("Give today")
    PostFactory()
    client.get("/blog/")
    warm, page = queries_and_page(client, "/blog/")
    assert "Give today" in page
    # The tokens of the blog list's first kept part and of ``*``; the second part and the
    # footer were kept under that same ``*``.
    assert warm == 1
    set_donate("Become a member")
    rebuilt, page = queries_and_page(client, "/blog/")
    assert "Become a member" in page and "Give today" not in page
    assert rebuilt > warm  # made afresh under the new version


def test_a_page_with_no_kept_part_builds_the_footer_from_what_is_stored_now(client):
    set_donate("Give today")
    client.get("/blog/")  # a kept page: this process made the footer under this version
    set_donate("Become a member")
    # Search keeps no part, so no version was read on it: the footer is built, never the
    # one made on the earlier request.
    assert "Become a member" in client.get("/search/?q=anything").content.decode()
