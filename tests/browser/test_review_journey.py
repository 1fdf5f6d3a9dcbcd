"""A reviewer's journey, at phone and desktop widths: from the dashboard's queue to a
submitted interview, a comment, a reply, then "Ask for changes" with a note; the panel
stays within the screen and the author is told."""

from cms.mail.models import OutgoingEmail
from cms.publishing.review import Review, ReviewComment
from tests.browser.accounts import sign_in
from tests.cms.publishing.roles import make_user
from tests.factories import InterviewFactory


def test_a_reviewer_comments_and_asks_for_changes(page, live_server, live_db):
    author = make_user("contributor", "author")
    reviewer = make_user("reviewer", "rita")
    interview = InterviewFactory(title="Laura Poitras on Citizenfour", status="draft",
                                 publish_at=None, updated_by=author)  # fmt: skip
    Review.objects.create(page=interview, submitted_by=author)
    sign_in(page, live_server, reviewer)

    page.goto(live_server.url + "/admin/")
    queue = page.get_by_role("region", name="Waiting for your review")
    queue.get_by_role("link", name="Laura Poitras on Citizenfour").click()
    panel = page.get_by_role("complementary", name="Review")
    assert "Waiting for review" in panel.inner_text()

    panel.get_by_label("New comment").fill("Is the quote in answer 2 word for word?")
    panel.get_by_role("button", name="Add comment").click()
    assert "Comment added." in page.locator(".messagelist").first.inner_text()
    panel = page.get_by_role("complementary", name="Review")
    assert "Is the quote in answer 2 word for word?" in panel.inner_text()

    panel.get_by_text("Reply").first.click()
    panel.get_by_label("Your reply").fill("I will check the tape myself.")
    panel.get_by_role("button", name="Reply", exact=True).click()
    thread = page.locator(".cms-review__thread").first
    assert "I will check the tape myself." in thread.locator(".cms-review__replies").inner_text()

    box = page.get_by_role("complementary", name="Review").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    panel = page.get_by_role("complementary", name="Review")
    panel.get_by_label("What should change?").fill("Please confirm the quote, then resubmit.")
    panel.get_by_role("button", name="Ask for changes").click()
    assert "Changes asked for: the author has been told." in page.locator(
        ".messagelist").first.inner_text()  # fmt: skip
    assert "Changes asked for" in page.get_by_role("complementary", name="Review").inner_text()
    assert Review.objects.get().state == "changes"
    assert ReviewComment.objects.filter(parent__isnull=True).count() == 2
    assert OutgoingEmail.objects.filter(to="author@staff.example").exists()
