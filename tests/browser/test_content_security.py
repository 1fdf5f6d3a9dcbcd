"""The Content-Security-Policy, in a real browser: nothing the pages need is blocked."""

from tests.factories import FigureFactory, InterviewFactory, QuestionAnswerFactory


def violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    return found


def test_public_pages_and_the_admin_editor_run_with_no_policy_violation(editor_page, live_server):
    interview = InterviewFactory(title="Under policy")
    QuestionAnswerFactory(interview=interview)
    FigureFactory(interview=interview)
    page = editor_page
    seen = violations(page)
    for path in ("/", interview.get_absolute_url(), "/screenings/", "/search/?q=policy",
                 "/admin/", f"/admin/interviews/interview/{interview.pk}/change/",
                 "/admin/calendar/"):  # fmt: skip
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert page.locator(".field-intro [contenteditable=true]").count() == 0  # left the form
    assert seen == []
    page.goto(live_server.url + f"/admin/interviews/interview/{interview.pk}/change/")
    assert page.locator(".field-intro [contenteditable=true]").is_visible()  # editor ran
