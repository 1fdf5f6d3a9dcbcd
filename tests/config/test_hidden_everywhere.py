"""A page viewers may not see (a draft, scheduled for later, expired) is in no channel.

Site search, every feed, every sitemap and every calendar are checked for the same hidden
film, interview and post, with its screening, next to live ones that must appear.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    FilmFactory,
    InterviewFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
)

CHANNELS = [
    "/search/?q=okapi",
    "/blog/feed/",
    "/blog/feed/atom/",
    "/interviews/feed/",
    "/interviews/feed/atom/",
    "/tags/okapi/feed/",
    "/tags/okapi/feed/atom/",
    "/sitemap-films.xml",
    "/sitemap-interviews.xml",
    "/sitemap-news.xml",
    "/sitemap-screenings.xml",
    "/screenings/calendar.ics",
]


@pytest.fixture
def content(db, django_capture_on_commit_callbacks):
    """A live okapi film, interview, post and screening; and a hidden okapi set in ``state``."""

    def make(state: str) -> None:
        now = timezone.now()
        states = {
            "draft": {"status": "draft", "publish_at": None},
            "scheduled": {"publish_at": now + timedelta(hours=1)},
            "expired": {"publish_at": now - timedelta(days=2), "expire_at": now - timedelta(1)},
        }
        with django_capture_on_commit_callbacks(execute=True):
            for prefix, values in (("shown", {}), ("hidden", states[state])):
                film = FilmFactory(title=f"{prefix}-film okapi", slug=f"{prefix}-film", **values)
                interview = InterviewFactory(
                    title=f"{prefix}-interview okapi", slug=f"{prefix}-interview",
                    film=film, **values,
                )  # fmt: skip
                QuestionAnswerFactory(interview=interview, answer="<p>An okapi.</p>")
                post = PostFactory(title=f"{prefix}-post okapi", slug=f"{prefix}-post", **values)
                ScreeningFactory(film=film, title=f"{prefix}-screening okapi")
                for item in (film, interview, post):
                    item.tags.add("Okapi")

    return make


@pytest.mark.parametrize("state", ["draft", "scheduled", "expired"])
def test_hidden_content_is_in_no_channel_and_live_content_is(client, content, state):
    content(state)
    seen = set()
    for url in CHANNELS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "hidden-" not in body, (url, state)
        seen |= {kind for kind in ("film", "interview", "post", "screening")
                 if f"shown-{kind}" in body}  # fmt: skip
    assert seen == {"film", "interview", "post", "screening"}
