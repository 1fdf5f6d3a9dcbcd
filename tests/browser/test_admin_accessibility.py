"""Every type of admin page passes axe (WCAG 2.2 A and AA) and fits a phone.

One page of each type, opened as a superuser (or signed out, for the sign-in page), at
390 px and at 1280 px. On a phone the page itself never scrolls sideways
(``document.scrollingElement.scrollWidth <= innerWidth``); a wide table may, inside its own
scrolling container. A page type added tomorrow is one line in ``GROUPS``.

The demo content is loaded once for the module and served by the module's own live server,
so each test only drives the browser; the tables are emptied at the end, as a transactional
test leaves them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer
from reversion.models import Version

from blog.models import Post
from cms.media.models import Image
from cms.publishing.models import ShareLink
from films.models import Film, Screening
from interviews.models import Interview
from outreach.host_requests import HostRequest
from tests.checkers import axe_violations
from tests.cms.publishing.roles import ROLES, role_group

# Each test in a transaction of its own; the live server shares the in-memory database's
# connection, so it sees the module's rows and whatever a test changes.
pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def first(model: type[models.Model]) -> Callable[[], list]:
    """The URL arguments of the model's first row, looked up once the demo is loaded."""
    return lambda: [model._default_manager.order_by("pk").values_list("pk", flat=True)[0]]


def interview_with_pairs_and_figures() -> list:
    found = Interview.objects.filter(pairs__isnull=False, figures__isnull=False)
    return [found.values_list("pk", flat=True).distinct().first()]


@dataclass(frozen=True)
class AdminPage:
    """One admin page type: its URL name, how to find its arguments, and how to reach it."""

    name: str
    url_name: str
    args: Callable[[], list] = field(default=list)
    query: Callable[[], str] = field(default=str)
    # A bulk action run on the list's first row from the browser: its confirmation page.
    action: str = ""
    signed_in: bool = True

    def path(self) -> str:
        query = self.query()
        return reverse(self.url_name, args=self.args()) + (f"?{query}" if query else "")


def compare_query() -> str:
    versions = Version.objects.get_for_object_reference(
        Interview, interview_with_pairs_and_figures()[0]
    ).order_by("pk")
    return f"old={versions.first().pk}&new={versions.last().pk}"


GROUPS: dict[str, list[AdminPage]] = {
    "site": [
        AdminPage("sign in", "admin:login", signed_in=False),
        AdminPage("dashboard", "admin:index"),
        AdminPage("app index", "admin:app_list", args=lambda: ["interviews"]),
        AdminPage("password change", "admin:password_change"),
        AdminPage("calendar", "publishing-calendar"),
    ],
    "lists": [
        AdminPage("interviews", "admin:interviews_interview_changelist"),
        AdminPage("films", "admin:films_film_changelist"),
        AdminPage("screenings", "admin:films_screening_changelist"),
        AdminPage("posts", "admin:blog_post_changelist"),
        AdminPage("images", "admin:cms_image_changelist"),
        AdminPage("host requests", "admin:outreach_hostrequest_changelist"),
    ],
    "forms": [
        AdminPage("site settings", "admin:cms_sitesettings_change", args=lambda: [1]),
        AdminPage("add interview", "admin:interviews_interview_add"),
        AdminPage(
            "change interview",
            "admin:interviews_interview_change",
            args=interview_with_pairs_and_figures,
        ),  # fmt: skip
        AdminPage("change image", "admin:cms_image_change", args=first(Image)),
        AdminPage("delete film", "admin:films_film_delete", args=first(Film)),
        AdminPage("bulk delete posts", "admin:blog_post_changelist", action="delete_selected"),
    ],
    "history": [
        AdminPage(
            "history", "admin:interviews_interview_history", args=interview_with_pairs_and_figures
        ),
        AdminPage(
            "compare",
            "admin:interviews_interview_compare",
            args=interview_with_pairs_and_figures,
            query=compare_query,
        ),  # fmt: skip
        AdminPage(
            "share", "admin:interviews_interview_share", args=interview_with_pairs_and_figures
        ),
        AdminPage("screening change", "admin:films_screening_change", args=first(Screening)),
        AdminPage("host request", "admin:outreach_hostrequest_change", args=first(HostRequest)),
    ],
    # Pages of the editor's desk (issue 15) as they arrive.
    "editor's desk": [
        AdminPage("import", "admin:interviews_interview_import"),
        AdminPage("change post", "admin:blog_post_change", args=first(Post)),
        AdminPage("confirm bulk unpublish", "admin:blog_post_changelist", action="unpublish"),
        AdminPage("outbox", "admin:cms_outgoingemail_changelist"),
    ],
}

# Sideways overflow of the page itself; a table scrolling in its own box does not count.
OVERFLOW = """() => {
  const page = document.scrollingElement;
  if (page.scrollWidth <= window.innerWidth) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return `${page.scrollWidth}px wide in ${window.innerWidth}px: ${wide.join(', ')}`;
}"""


@pytest.fixture(scope="module")
def admin_site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The demo, a second saved version and a share link of its interview, a superuser's
    session, and a live server of the module's own (pytest-django's empties the tables
    after every test)."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        # The library's thumbnails made now: made by parallel requests of the page, they
        # would trip over each other on the live server's one shared in-memory SQLite
        # connection (a test server's limit, not a real server's) and break later pages.
        for image in Image.objects.all():
            for size in Image.LIBRARY_SIZES:
                image.library_rendition(size)
        superuser = get_user_model().objects.create_superuser(
            "axe-admin", "admin@example.org", PASSWORD
        )
        interview = Interview.objects.get(pk=interview_with_pairs_and_figures()[0])
        with reversion.create_revision():
            interview.seo_title = "Alison Klayman on Ai Weiwei"
            interview.save()
            reversion.set_comment("A shorter title for search engines.")
        ShareLink.objects.create(
            content_type=ContentType.objects.get_for_model(Interview),
            object_id=interview.pk,
            note="the filmmaker",
            created_by=superuser,
            expires_at=timezone.now() + timedelta(days=7),
        )
        client = Client()
        client.force_login(superuser)
        paths = {page.name: page.path() for pages in GROUPS.values() for page in pages}
        server = LiveServer("localhost")
        try:
            yield {
                "url": server.url,
                "paths": paths,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # The flush took the groups the migrations made; the tests after this module
            # (pytest-django runs the ones without a database first) expect them.
            for role in ROLES:
                role_group(role)


def open_page(browser_page, site: dict, page: AdminPage) -> None:
    """Open the page as its visitor would, through the list's action form for a bulk action."""
    browser_page.context.clear_cookies()
    if page.signed_in:
        browser_page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME, "value": site["session"], "url": site["url"],
        }])  # fmt: skip
    response = browser_page.goto(site["url"] + site["paths"][page.name])
    assert response.status == 200, f"{page.name}: {response.status}"
    if page.action:
        browser_page.locator("input.action-select").first.check()
        browser_page.select_option("select[name=action]", page.action)
        with browser_page.expect_navigation():
            browser_page.click("button[name=index]")


@pytest.mark.parametrize("group", GROUPS)
def test_every_admin_page_type_passes_axe_and_fits_the_screen(axe_page, admin_site, group):
    problems = {}
    for page in GROUPS[group]:
        open_page(axe_page, admin_site, page)
        found = axe_violations(axe_page)
        if overflow := axe_page.evaluate(OVERFLOW):
            found.append(f"scrolls sideways: {overflow}")
        if found:
            problems[page.name] = found
    assert problems == {}
