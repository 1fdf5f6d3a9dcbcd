"""No lost work, in chromium: the leave warning, autosave and restore, and presence.

Time is the browser's own fake clock (``page.clock``): the 30-second autosave and the
heartbeat fire when the test moves the clock on, never after a real wait.
"""

import time

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from cms.editing.models import Autosave, Presence
from interviews.models import Interview
from tests.browser.accounts import sign_in
from tests.checkers import AXE, WCAG
from tests.factories import InterviewFactory, QuestionAnswerFactory, make_editor

# The journeys that do not depend on the screen's width run once, on a desktop.
desktop_only = pytest.mark.parametrize("page", [(1280, 900)], ids=["desktop"], indirect=True)

AUTOSAVE_MS = settings.CMS_AUTOSAVE_SECONDS * 1000 + 1000
HEARTBEAT_MS = settings.CMS_PRESENCE_HEARTBEAT_SECONDS * 1000 + 1000


def change_url(live_server, interview) -> str:
    return f"{live_server.url}/admin/interviews/interview/{interview.pk}/change/"


def leave_by_breadcrumb(page) -> None:
    page.locator(".breadcrumbs a").first.click()


@desktop_only
def test_leaving_a_changed_form_asks_first_but_not_an_unchanged_or_saved_one(
    editor_page, live_server
):
    interview = InterviewFactory(title="Before", status="draft", publish_at=None)
    page = editor_page
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.goto(change_url(live_server, interview))
    page.locator("#id_title").click()  # a look and a click change nothing
    leave_by_breadcrumb(page)
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == []

    page.goto(change_url(live_server, interview))
    page.locator("#id_title").fill("After")
    leave_by_breadcrumb(page)  # the first question is answered "stay"
    expect(page.locator("#id_title")).to_have_value("After")
    assert dialogs == ["beforeunload"]
    leave_by_breadcrumb(page)  # the second, "leave"
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload", "beforeunload"]

    page.goto(change_url(live_server, interview))
    page.locator("#id_title").fill("Saved")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert dialogs == ["beforeunload", "beforeunload"]  # saving never asks
    interview.refresh_from_db()
    assert interview.title == "Saved"


def test_autosave_keeps_pairs_after_the_tab_is_left_and_restores_them(editor_page, live_server):
    interview = InterviewFactory(title="Interview", status="draft", publish_at=None)
    QuestionAnswerFactory(interview=interview, question="Old question?", answer="<p>Old.</p>")
    page = editor_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.clock.install()
    page.goto(change_url(live_server, interview))

    # Nothing changed: the clock passes 30 s and nothing is autosaved.
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#cms-autosave-status")).to_be_empty()
    assert not Autosave.objects.exists()

    page.locator("#id_title").fill("Interview, edited")
    page.locator("#id_pairs-0-question").fill("Old question, rewritten?")
    page.locator("#pairs-group .add-row a").click()
    page.locator("#id_pairs-1-question").fill("A brand new question?")
    page.locator("#pairs-1 [contenteditable=true]").click()
    page.keyboard.type("A brand new answer.")
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#cms-autosave-status")).to_contain_text("autosaved at")
    assert Autosave.objects.get().data["fields"]["pairs-1-question"] == ["A brand new question?"]
    interview.refresh_from_db()
    assert interview.title == "Interview"  # an autosave publishes and saves nothing

    page.goto(f"{live_server.url}/admin/")  # the tab is left; the warning is accepted
    page.goto(change_url(live_server, interview))
    expect(page.locator("#id_title")).to_have_value("Interview")
    offer = page.locator("#cms-autosave-offer")
    expect(offer).to_contain_text("You have unsaved changes from")
    offer.get_by_role("button", name="Restore").click()
    expect(offer).to_be_hidden()
    expect(page.locator("#id_title")).to_have_value("Interview, edited")
    expect(page.locator("#id_pairs-0-question")).to_have_value("Old question, rewritten?")
    expect(page.locator("#id_pairs-1-question")).to_have_value("A brand new question?")
    expect(page.locator("#pairs-1 [contenteditable=true]")).to_have_text("A brand new answer.")

    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    saved = Interview.objects.get(pk=interview.pk)
    assert saved.title == "Interview, edited"
    assert list(saved.pairs.order_by("sort_order").values_list("question", "answer")) == [
        ("Old question, rewritten?", "<p>Old.</p>"),
        ("A brand new question?", "<p>A brand new answer.</p>"),
    ]
    assert not Autosave.objects.exists()  # the save took the autosave's place
    expect(page.locator("#cms-autosave-offer")).to_have_count(0)


@desktop_only
def test_discard_forgets_the_autosave(editor_page, live_server):
    interview = InterviewFactory(title="Interview", status="draft", publish_at=None)
    page = editor_page
    page.on("dialog", lambda dialog: dialog.accept())
    page.clock.install()
    page.goto(change_url(live_server, interview))
    page.locator("#id_title").fill("Not wanted after all")
    page.clock.fast_forward(AUTOSAVE_MS)
    expect(page.locator("#cms-autosave-status")).to_contain_text("autosaved at")
    page.goto(change_url(live_server, interview))
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("ul.messagelist li.info")).to_contain_text(
        "autosaved changes were discarded"
    )
    expect(page.locator("#id_title")).to_have_value("Interview")
    assert not Autosave.objects.exists()


def sign_in_context(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport)
    sign_in(context, live_server, user)
    return context


@desktop_only
def test_two_editors_see_each_other_on_the_form_and_the_list(editor_page, live_server, browser):
    interview = InterviewFactory(title="Shared interview", status="draft", publish_at=None)
    ann = make_editor("ann")
    ann.first_name = "Ann"
    ann.save()
    page = editor_page
    page.clock.install()
    page.goto(change_url(live_server, interview))
    presence = page.locator("#cms-presence")
    expect(presence).to_be_empty()

    second = sign_in_context(browser, live_server, ann, page.viewport_size)
    ann_page = second.new_page()
    ann_page.goto(change_url(live_server, interview))
    expect(ann_page.locator("#cms-presence")).to_contain_text("ed has been editing since")

    # The first editor learns of Ann at the next heartbeat, without reloading.
    page.clock.fast_forward(HEARTBEAT_MS)
    expect(presence).to_contain_text("Ann has been editing since")

    # The list shows it too.
    list_page = second.new_page()
    list_page.goto(f"{live_server.url}/admin/interviews/interview/")
    notice = list_page.locator("#cms-open-by-others")
    expect(notice).to_contain_text("Shared interview")
    expect(notice).to_contain_text("ed has been editing since")
    row = list_page.locator("#result_list tr.cms-open-elsewhere")
    expect(row).to_contain_text("Shared interview")
    expect(row.locator(".cms-open-badge")).to_have_text("Open: ed")
    list_page.close()

    # Ann leaves the form: her page says goodbye at once, and the first editor's next
    # heartbeat no longer names her.
    ann_page.goto(f"{live_server.url}/admin/")
    left_by(ann)
    page.clock.fast_forward(HEARTBEAT_MS)
    expect(presence).to_be_empty()
    second.close()


def left_by(user, attempts: int = 50) -> None:
    """Wait (briefly, for the goodbye request in flight) until the user's visit is gone."""
    for _ in range(attempts):
        if not Presence.objects.filter(user=user).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"{user} is still shown as editing after leaving")


def test_the_offer_and_the_notices_pass_axe_and_fit_a_phone(axe_page, live_server, live_db):
    """With an autosave offered and a colleague present, the form stays accessible."""
    editor, ann = make_editor(), make_editor("ann")
    interview = InterviewFactory(title="Checked", status="draft", publish_at=None)
    content_type = ContentType.objects.get_for_model(Interview)
    Autosave.store(editor, content_type, interview.pk,
                   {"fields": {"title": ["Checked, edited"]}, "labels": {}})  # fmt: skip
    Presence.beat(ann, content_type, interview.pk)
    sign_in(axe_page, live_server, editor)
    axe_page.goto(change_url(live_server, interview))
    expect(axe_page.locator("#cms-autosave-offer")).to_be_visible()
    expect(axe_page.locator("#cms-presence")).to_contain_text("ann has been editing since")
    # The whole form is checked by test_admin_accessibility; here, the part this adds to it.
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(
        "tags => axe.run({include: [['#cms-editing']]}, {runOnly: {type: 'tag', values: tags}})",
        list(WCAG),
    )
    assert result["passes"]
    assert [violation["id"] for violation in result["violations"]] == []
    offer = axe_page.locator("#cms-autosave-offer").bounding_box()
    assert offer["x"] + offer["width"] <= axe_page.viewport_size["width"]
    axe_page.get_by_role("button", name="Restore").click()
    expect(axe_page.locator("#cms-autosave-status")).to_contain_text("Save to keep them")
    expect(axe_page.locator("#id_title")).to_have_value("Checked, edited")


@desktop_only
def test_an_autosave_and_a_heartbeat_sent_at_once_are_both_stored(editor_page, live_server):
    """A fast-forwarded clock (or a slow network) sends both at the same moment.

    On the live server's one shared SQLite connection the second request's transaction used
    to begin inside the first's and fail ("cannot start a transaction within a transaction"),
    which the editor read as "Autosave failed".
    """
    interview = InterviewFactory(title="Before", status="draft", publish_at=None)
    page = editor_page
    page.goto(change_url(live_server, interview))
    statuses = page.evaluate(
        """async () => {
            const config = document.getElementById("cms-editing");
            const form = document.querySelector("#interview_form");
            const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
            const state = {fields: {title: ["After"]}, labels: {}};
            const autosave = () => fetch(config.dataset.autosaveUrl, {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(state),
            });
            const beat = () => {
                const body = new FormData();
                body.append("csrfmiddlewaretoken", token);
                return fetch(config.dataset.presenceUrl, {
                    method: "POST", credentials: "same-origin", body: body,
                });
            };
            const sent = [];
            for (let round = 0; round < 8; round++) sent.push(autosave(), beat());
            return (await Promise.all(sent)).map((response) => response.status);
        }"""
    )
    assert statuses == [200] * 16
    assert Autosave.objects.filter(object_id=interview.pk).count() == 1
    assert Presence.objects.filter(object_id=interview.pk).count() == 1
