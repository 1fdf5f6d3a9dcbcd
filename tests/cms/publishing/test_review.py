"""The review flow: submit, the reviewers' queue, approve or ask for changes, comments,
e-mail notices and history; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from cms.mail.models import OutgoingEmail
from cms.publishing.review import Review, ReviewComment
from interviews.models import Interview
from tests.cms.publishing.roles import make_user
from tests.cms.publishing.test_roles import change_url, client_of, form_data, stored
from tests.factories import InterviewFactory, PostFactory

pytestmark = pytest.mark.django_db


def review_url(page, action: str) -> str:
    opts = page._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[page.pk, action])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def history(page) -> list[str]:
    """The page's history as the admin's history page lists it: revision comments."""
    return [
        version.revision.comment
        for version in Version.objects.get_for_object(page).order_by("revision__date_created")
    ]


@pytest.fixture
def people():
    return {
        "author": make_user("contributor", "author"),
        "reviewer": make_user("reviewer", "rita"),
        "editor": make_user("editor", "eddie"),
    }


@pytest.fixture
def submitted(people):
    """A contributor's draft, saved and submitted with the form's own button."""
    page = InterviewFactory(status="draft", publish_at=None, updated_by=people["author"])
    client = client_of(people["author"])
    response = client.post(
        change_url(page), form_data(page, title="Ready to check", _review_submit="1"),
        follow=True,
    )  # fmt: skip
    assert "Submitted for review" in " ".join(messages_of(response))
    page.refresh_from_db()
    return page


def test_save_and_submit_saves_the_form_then_queues_it_for_reviewers(submitted, people):
    assert submitted.title == "Ready to check" and submitted.status == "draft"
    review = Review.objects.about(submitted).get()
    assert (review.state, review.submitted_by) == ("pending", people["author"])
    assert history(submitted)[-1] == "Submitted for review."
    assert LogEntry.objects.filter(object_id=str(submitted.pk),
                                   change_message="Submitted for review.").exists()  # fmt: skip
    # Everyone who may approve interviews is told, never the author.
    mail = OutgoingEmail.objects.order_by("to")
    assert [m.to for m in mail] == ["eddie@staff.example", "rita@staff.example"]
    assert mail[0].subject == "For review: Ready to check (interview)"
    assert change_url(submitted) in mail[0].text_body


def test_the_queue_is_on_the_dashboard_of_those_who_may_approve(submitted, people):
    other = PostFactory(status="draft", publish_at=None, title="A post to check")
    Review.objects.create(page=other, submitted_by=people["author"])
    page = client_of(people["reviewer"]).get(reverse("admin:index")).content.decode()
    queue = page.split("Waiting for your review", 1)[1].split("</section>", 1)[0]
    assert "Ready to check" in queue and "A post to check" in queue
    assert queue.index("Ready to check") < queue.index("A post to check")  # oldest first
    assert "submitted by author" in queue
    mine = client_of(people["author"]).get(reverse("admin:index")).content.decode()
    assert "Waiting for your review" not in mine


def test_the_queue_costs_the_same_queries_for_one_or_many_pages(people, django_assert_num_queries):
    from cms.publishing.review import Review as R

    def queue_queries() -> int:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        reviewer = type(people["reviewer"]).objects.get(pk=people["reviewer"].pk)
        ContentType.objects.clear_cache()  # as a fresh process has it, whatever ran before
        with CaptureQueriesContext(connection) as queries:
            assert R.objects.queue_for(reviewer)
        return len(queries)

    R.objects.create(page=InterviewFactory(status="draft", publish_at=None),
                     submitted_by=people["author"])  # fmt: skip
    # The reviewer's permissions (2), the kinds' content types (1), the reviews (1) and
    # each kind's pages (1 for interviews).
    assert queue_queries() == 5
    for _ in range(3):
        R.objects.create(page=InterviewFactory(status="draft", publish_at=None),
                         submitted_by=people["author"])  # fmt: skip
    assert queue_queries() == 5


def test_approve_publishes_now_and_tells_the_author(submitted, people):
    client = client_of(people["reviewer"])
    response = client.post(review_url(submitted, "approve"), follow=True)
    assert "Approved and published." in messages_of(response)
    assert Interview.objects.live().filter(pk=submitted.pk).exists()
    review = Review.objects.about(submitted).get()
    assert (review.state, review.decided_by) == ("approved", people["reviewer"])
    assert history(submitted)[-1] == "Approved and published."
    told = OutgoingEmail.objects.get(to="author@staff.example")
    assert told.subject == "Approved: Ready to check" and "It is published." in told.text_body


def test_approve_schedules_a_page_whose_time_is_still_to_come(people):
    later = (timezone.now() + timedelta(days=4)).replace(microsecond=0)
    page = InterviewFactory(status="draft", publish_at=later)
    Review.objects.create(page=page, submitted_by=people["author"])
    response = client_of(people["reviewer"]).post(review_url(page, "approve"), follow=True)
    assert Interview.objects.scheduled().filter(pk=page.pk, publish_at=later).exists()
    assert messages_of(response)[0].startswith("Approved and scheduled for ")
    assert "It is scheduled for" in OutgoingEmail.objects.get(to="author@staff.example").text_body


def test_ask_for_changes_sends_it_back_with_the_comment(submitted, people):
    client = client_of(people["reviewer"])
    client.post(review_url(submitted, "changes"), {"body": "Check the date in answer 3."})
    review = Review.objects.about(submitted).get()
    assert (review.state, review.decided_by) == ("changes", people["reviewer"])
    comment = ReviewComment.objects.about(submitted).get()
    assert (comment.body, comment.author) == ("Check the date in answer 3.", people["reviewer"])
    assert Interview.objects.get(pk=submitted.pk).status == "draft"
    assert history(submitted)[-1] == "Changes asked for."
    told = OutgoingEmail.objects.get(to="author@staff.example")
    assert told.subject == "Changes asked for: Ready to check"
    assert "Check the date in answer 3." in told.text_body
    # The author sees it on the dashboard, then may submit again.
    author = client_of(people["author"])
    assert "1 of your pages came back with changes asked for" in author.get(
        reverse("admin:index")).content.decode()  # fmt: skip
    author.post(review_url(submitted, "submit"))
    assert Review.objects.about(submitted).pending().exists()


def test_asking_for_changes_without_a_comment_changes_nothing(submitted, people):
    sent = OutgoingEmail.objects.count()
    response = client_of(people["reviewer"]).post(
        review_url(submitted, "changes"), {"body": "   "}, follow=True
    )
    assert "Say what should change: the comment is empty." in messages_of(response)
    assert Review.objects.about(submitted).get().state == "pending"
    assert not ReviewComment.objects.exists() and OutgoingEmail.objects.count() == sent


def test_approving_twice_changes_nothing_the_second_time(submitted, people):
    client = client_of(people["reviewer"])
    client.post(review_url(submitted, "approve"))
    before, versions, sent = (
        stored(submitted),
        len(history(submitted)),
        OutgoingEmail.objects.count(),
    )
    response = client.post(review_url(submitted, "approve"), follow=True)
    assert "This page is not waiting for review: nothing was changed." in messages_of(response)
    assert stored(submitted) == before and len(history(submitted)) == versions
    assert OutgoingEmail.objects.count() == sent


def test_a_contributor_cannot_approve_even_by_posting(submitted, people):
    before = stored(submitted)
    response = client_of(people["author"]).post(review_url(submitted, "approve"))
    assert response.status_code == 403
    assert stored(submitted) == before
    assert Review.objects.about(submitted).get().state == "pending"
    page = client_of(people["author"]).get(change_url(submitted)).content.decode()
    assert "Waiting for review" in page and ">Approve<" not in page


def test_a_reviewer_who_submitted_cannot_approve_alone(people):
    page = InterviewFactory(status="draft", publish_at=None)
    Review.objects.create(page=page, submitted_by=people["reviewer"])
    response = client_of(people["reviewer"]).post(review_url(page, "approve"), follow=True)
    assert "Someone else must review a page you submitted." in messages_of(response)
    assert Interview.objects.get(pk=page.pk).status == "draft"


def test_submitting_twice_or_a_live_page_is_refused(submitted, people):
    client = client_of(people["author"])
    # A page waiting for review is read-only to its author: a second submit is refused.
    assert client.post(review_url(submitted, "submit")).status_code == 403
    assert Review.objects.about(submitted).count() == 1
    live = InterviewFactory()
    assert client.post(review_url(live, "submit")).status_code == 403
    assert not Review.objects.about(live).exists()


def test_review_steps_take_only_posts_and_known_actions(submitted, people):
    client = client_of(people["reviewer"])
    assert client.get(review_url(submitted, "approve")).status_code == 405
    url = review_url(submitted, "approve").replace("approve", "publish")
    assert client.post(url).status_code == 404
    assert Review.objects.about(submitted).get().state == "pending"


def test_comments_are_threaded_and_resolvable(submitted, people):
    reviewer, author = client_of(people["reviewer"]), client_of(people["author"])
    reviewer.post(review_url(submitted, "comment"), {"body": "Is the quote in answer 2 exact?"})
    thread = ReviewComment.objects.get()
    author.post(review_url(submitted, "comment"), {"body": "Yes, from the tape.",
                                                   "parent": thread.pk})  # fmt: skip
    reply = ReviewComment.objects.exclude(pk=thread.pk).get()
    reviewer.post(review_url(submitted, "comment"), {"body": "Thanks.", "parent": reply.pk})
    assert list(thread.replies.values_list("body", flat=True)) == ["Yes, from the tape.",
                                                                    "Thanks."]  # fmt: skip
    page = author.get(change_url(submitted)).content.decode()
    assert "Comments (1 open)" in page and "Yes, from the tape." in page
    reviewer.post(review_url(submitted, "resolve"), {"comment": thread.pk})
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == people["reviewer"]
    page = author.get(change_url(submitted)).content.decode()
    assert "No open comments." in page and "Resolved (1)" in page
    author.post(review_url(submitted, "reopen"), {"comment": thread.pk})
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_a_reply_to_a_comment_on_another_page_is_refused(submitted, people):
    other = InterviewFactory(status="draft", publish_at=None)
    elsewhere = ReviewComment.objects.create(page=other, author=people["editor"], body="Hm.")
    client = client_of(people["reviewer"])
    response = client.post(review_url(submitted, "comment"),
                           {"body": "A reply", "parent": elsewhere.pk}, follow=True)  # fmt: skip
    assert "That comment is not on this page: nothing was saved." in messages_of(response)
    client.post(review_url(submitted, "resolve"), {"comment": elsewhere.pk})
    client.post(review_url(submitted, "comment"), {"body": "", "parent": ""})
    assert list(ReviewComment.objects.all()) == [elsewhere]
    assert not ReviewComment.objects.get().is_resolved


def test_the_panel_sits_beside_the_form_with_its_buttons(submitted, people):
    page = client_of(people["reviewer"]).get(change_url(submitted)).content.decode()
    assert 'id="review"' in page and "admin-review.css" in page
    assert ">Approve</button>" in page and "Approving publishes the page now." in page
    assert "Ask for changes" in page and "Save and submit for review" not in page
    draft = InterviewFactory(status="draft", publish_at=None, updated_by=people["author"])
    page = client_of(people["author"]).get(change_url(draft)).content.decode()
    assert 'form="interview_form" name="_review_submit"' in page


def test_deleting_a_page_deletes_its_reviews_and_comments(people):
    page = InterviewFactory(status="draft", publish_at=None)
    Review.objects.create(page=page, submitted_by=people["author"])
    ReviewComment.objects.create(page=page, author=people["reviewer"], body="Note")
    client_of(people["editor"]).post(
        reverse("admin:interviews_interview_delete", args=[page.pk]), {"post": "yes"}
    )
    assert not Review.objects.exists() and not ReviewComment.objects.exists()


def test_every_publishable_admin_has_the_review_steps(people):
    post = PostFactory(status="draft", publish_at=None)
    client: Client = client_of(people["author"])
    client.post(review_url(post, "submit"))
    client_of(people["reviewer"]).post(review_url(post, "approve"))
    assert type(post).objects.live().filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_an_editor_who_schedules_a_page_sent_back_settles_its_review(client):
    """An editor may publish or schedule without the review step; the review then closes
    as approved by them, so the author is not left with "changes asked for" on a page
    they may no longer change, and the queue forgets it. Comments stay."""
    from cms.publishing.review import latest_review
    from tests.admin_forms import change_form_data
    from tests.cms.publishing.roles import make_user
    from tests.factories import InterviewFactory

    author, editor = make_user("contributor", "cora"), make_user("editor", "eddie")
    interview = InterviewFactory(status="draft", publish_at=None, updated_by=author)
    Review.objects.create(page=interview, submitted_by=author, state=Review.State.CHANGES_REQUESTED)
    ReviewComment.objects.create(page=interview, author=editor, body="Check the quote.")
    client.force_login(editor)
    url = f"/admin/interviews/interview/{interview.pk}/change/"
    data = change_form_data(client.get(url))
    tomorrow = timezone.localtime() + timedelta(days=1)
    data.update(status="scheduled", publish_at=tomorrow.strftime("%Y-%m-%dT09:00"))
    response = client.post(url, data)
    assert response.status_code == 302
    assert Interview.objects.scheduled().filter(pk=interview.pk).exists()
    review = latest_review(interview)
    assert (review.state, review.decided_by) == (Review.State.APPROVED, editor)
    assert ReviewComment.objects.filter(body="Check the quote.").exists()
