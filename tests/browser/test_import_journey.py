"""A contributor's import journey, at phone and desktop widths: an eight-pair interview pasted
from Google Docs (its HTML on the clipboard, a picture Docs names by a remote address), the
split checked, the picture's file given in its slot, the draft created. Timed and counted."""

import base64
import time

from cms.media.models import Image
from interviews.models import Interview
from tests.browser.accounts import sign_in
from tests.checkers import axe_violations
from tests.cms.publishing.roles import make_user
from tests.factories import jpeg_bytes

QUESTIONS = [
    "What led you to make this film?",
    "How did you find the people in it?",
    "What was hardest to film?",
    "What did you leave out?",
    "Which scene moves you most?",
    "How have audiences responded?",
    "What keeps you going?",
    "What advice do you have for new filmmakers?",
]
REMOTE = "https://lh7-us.googleusercontent.com/docsz/AD_4nXexample"


def docs_clipboard_html() -> str:
    """What Google Docs puts on the clipboard for a copied interview."""
    normal = '<span style="font-size:11pt;font-family:Arial;font-weight:400">{}</span>'
    bold = '<span style="font-size:11pt;font-family:Arial;font-weight:700">{}</span>'
    out = [
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-7e1f">',
        '<h1 dir="ltr"><span style="font-size:20pt">Eight Questions for the Director</span></h1>',
        '<p dir="ltr">' + normal.format("Posted on October 2, 2026") + "</p>",
        '<p dir="ltr"><span><br></span></p>',
        '<p dir="ltr">' + normal.format("We spoke with the director before the premiere.") + "</p>",
    ]
    for number, question in enumerate(QUESTIONS, start=1):
        out += [
            '<p dir="ltr">' + bold.format(question) + "</p>",
            '<p dir="ltr">' + normal.format(f"This is answer {number}, as she said it.") + "</p>",
            '<p dir="ltr"><span>&nbsp;</span></p>',
        ]
        if number == 3:
            out += [
                f'<p dir="ltr"><span><img src="{REMOTE}" width="602" height="339"></span></p>',
                '<p dir="ltr">' + normal.format("The director on location") + "</p>",
            ]
    return "".join([*out, "</b>"])


def paste(page, selector: str, html: str, text: str) -> None:
    """A real paste event, its clipboard carrying text/html as Google Docs' does."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, html, text]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                       cancelable: true});
            document.querySelector(selector).dispatchEvent(event);
        }""",
        [selector, html, text],
    )


def test_a_contributor_pastes_a_docs_interview_and_gets_a_draft(page, live_server, live_db,
                                                                 tmp_path):  # fmt: skip
    sign_in(page, live_server, make_user("contributor", "cora"))
    photo = tmp_path / "on-location.jpg"
    photo.write_bytes(jpeg_bytes(600, 338, "darkred"))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    refused: list[str] = []  # the Content-Security-Policy refusing a script or a style
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    clicks = 0

    started = time.monotonic()
    page.goto(live_server.url + "/admin/interviews/interview/import/")
    paste(page, "[data-import-paste]", docs_clipboard_html(), "Eight Questions for the Director")
    status = page.locator("[data-import-paste-status]")
    status.filter(has_text="Pasted with its formatting").wait_for()
    page.get_by_role("button", name="Show the split").click()
    clicks += 1

    assert page.locator("#import-title").inner_text() == "Eight Questions for the Director"
    assert "8 questions, 1 picture" in page.locator("#import-counts").inner_text()
    assert page.locator(".import-pair").count() == 8
    warning = page.locator(".import-warnings").inner_text()
    assert "lh7-us.googleusercontent.com" in warning and "never fetched" in warning
    assert page.locator("#import-figure-1").inner_text().count("The director on location") >= 1
    page.get_by_label("File for picture 1").set_input_files(str(photo))
    clicks += 1  # choosing the file
    page.get_by_role("button", name="Create the draft").click()
    clicks += 1
    page.wait_for_url("**/admin/interviews/interview/*/change/")
    elapsed = time.monotonic() - started

    assert (
        "Imported “Eight Questions for the Director” as a draft"
        in page.locator(".messagelist").first.inner_text()
    )
    questions = page.locator('textarea[name^="pairs-"][name$="-question"]')
    filled = [q for q in questions.all() if q.input_value()]
    assert [q.input_value() for q in filled] == QUESTIONS
    interview = Interview.objects.get()
    assert interview.status == "draft" and interview.pairs.count() == 8
    figure = interview.figures.get()
    assert figure.pair.question == QUESTIONS[2]
    assert figure.image.alt_text == "The director on location"
    assert figure.image.alt_text_needs_review is True
    assert Image.objects.count() == 1 and figure.image.credit == ""
    assert outside == []  # nothing loaded from another host, the Docs picture included
    assert refused == []
    width = page.viewport_size["width"]
    print(f"\nimport journey at {width}px: {clicks} clicks, {elapsed:.1f} s")
    assert elapsed < 120


def test_the_paste_box_works_with_the_keyboard_alone(page, live_server, live_db):
    """Without a mouse: tab to the box, paste, tab to the button, Enter."""
    sign_in(page, live_server, make_user("contributor", "kay"))
    page.goto(live_server.url + "/admin/interviews/interview/import/")
    page.locator("[data-import-paste]").focus()
    html = docs_clipboard_html().replace(REMOTE, "data:image/jpeg;base64," + base64.b64encode(
        jpeg_bytes(40, 30)).decode())  # fmt: skip
    paste(page, "[data-import-paste]", html, "Eight Questions")
    page.get_by_role("button", name="Show the split").focus()
    page.keyboard.press("Enter")
    page.locator("#import-title").wait_for()
    assert page.locator(".import-figure img.import-thumbnail").count() == 1
    assert page.locator(".import-warnings").count() == 0


def test_both_steps_pass_axe_and_fit_the_screen(axe_page, live_server, live_db):
    page = axe_page
    sign_in(page, live_server, make_user("contributor", "ali"))
    page.goto(live_server.url + "/admin/interviews/interview/import/")
    assert axe_violations(page) == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    paste(page, "[data-import-paste]", docs_clipboard_html(), "Eight Questions")
    page.get_by_role("button", name="Show the split").click()
    page.locator("#import-title").wait_for()
    assert axe_violations(page) == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
