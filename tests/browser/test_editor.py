"""The editor's tools in a real browser: the WYSIWYG editor, the preview banner, share links."""

from cms.publishing.models import ShareLink
from interviews.models import Interview
from tests.factories import FilmFactory, InterviewFactory


def test_the_wysiwyg_editor_makes_bold_text_and_a_list(editor_page, live_server):
    FilmFactory(title="Never Sorry")
    page = editor_page
    page.goto(live_server.url + "/admin/interviews/interview/add/")
    page.locator("#id_title").press_sequentially("Typed in the editor")
    intro = page.locator(".field-intro [contenteditable=true]")
    intro.click()
    page.keyboard.type("Plain words then ")
    page.locator(".field-intro").get_by_title("Bold").click()
    page.keyboard.type("strong words")
    page.locator(".field-intro").get_by_title("Bold").click()
    page.keyboard.press("Enter")
    page.keyboard.type("- First point")  # the editor's input rule starts a bullet list
    answer = page.locator("#pairs-0 [contenteditable=true]")
    page.fill("#id_pairs-0-question", "Why this film?")
    answer.click()
    page.keyboard.type("Because it matters.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/interviews/interview/")
    interview = Interview.objects.get(title="Typed in the editor")
    assert interview.intro == (
        "<p>Plain words then <strong>strong words</strong></p><ul><li><p>First point</p></li></ul>"
    )
    assert interview.pairs.get().answer == "<p>Because it matters.</p>"


def test_staff_preview_shows_the_banner(editor_page, live_server):
    draft = InterviewFactory(title="Not out yet", status="draft", publish_at=None)
    editor_page.goto(live_server.url + draft.get_absolute_url())
    banner = editor_page.get_by_role("status").filter(has_text="Preview — not published")
    assert banner.is_visible()
    robots = editor_page.locator('meta[name="robots"]').get_attribute("content")
    assert robots == "noindex, nofollow"


def test_a_share_link_opens_in_a_private_window_and_stops_when_revoked(
    editor_page, live_server, browser
):
    draft = InterviewFactory(title="For the lawyer", status="draft", publish_at=None)
    page = editor_page
    page.goto(live_server.url + f"/admin/interviews/interview/{draft.pk}/change/")
    page.get_by_role("link", name="Share a preview").click()
    page.fill("#id_days", "2")
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_label("Share link").input_value()
    assert url.startswith(live_server.url + "/share/")

    private = browser.new_context()  # no cookies: a filmmaker's or lawyer's browser
    visitor = private.new_page()
    assert visitor.goto(url).status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == "For the lawyer"

    page.get_by_role("button", name="Revoke").click()
    assert ShareLink.objects.get().revoked_at is not None
    assert visitor.goto(url).status == 404
    private.close()
