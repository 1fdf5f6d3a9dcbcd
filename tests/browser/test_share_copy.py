"""The share-link page's Copy buttons in a real browser: the clipboard, or a selected link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.publishing.models import ShareLink
from tests.browser.accounts import sign_in
from tests.checkers import axe_violations
from tests.factories import InterviewFactory, make_editor


def open_share_page(page, live_server, note: str = "Lawyer") -> str:
    draft = InterviewFactory(title="For the lawyer", status="draft", publish_at=None)
    link = ShareLink.objects.create(content_object=draft, note=note,
                                    expires_at=timezone.now() + timedelta(days=2))  # fmt: skip
    page.goto(live_server.url + f"/admin/interviews/interview/{draft.pk}/share/")
    return live_server.url + link.get_absolute_url()


def test_copy_puts_the_link_on_the_clipboard_and_says_so(editor_page, live_server):
    page = editor_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    url = open_share_page(page, live_server)
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
    page.get_by_role("button", name="Copy the link for Lawyer").click()
    expect(status).to_have_text("Copied.")
    assert status.is_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url


def test_without_the_clipboard_api_the_link_is_selected(editor_page, live_server):
    page = editor_page
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    url = open_share_page(page, live_server)
    page.get_by_role("button", name="Copy the link for Lawyer").click()
    expect(page.get_by_role("status")).not_to_have_text("")
    field = page.get_by_label("Share link for Lawyer")
    assert field.evaluate("f => document.activeElement === f")
    selected = field.evaluate("f => f.value.slice(f.selectionStart, f.selectionEnd)")
    assert selected == url
    assert page.get_by_role("status").inner_text() in {
        "Copied.",
        "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.",
    }


@pytest.fixture
def editor_axe_page(axe_page, live_server, live_db):
    """A logged-in editor's page whose context lets axe-core past the CSP."""
    sign_in(axe_page, live_server, make_editor())
    return axe_page


def test_the_share_page_passes_axe_and_fits_a_phone(editor_axe_page, live_server):
    page = editor_axe_page
    open_share_page(page, live_server)
    page.wait_for_selector("button[data-copy]:not([hidden])")
    assert axe_violations(page) == []
    # The links table scrolls inside its box; the page itself never scrolls sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
