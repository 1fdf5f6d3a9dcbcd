"""Every public page makes the same, exact number of queries whatever the amount of content."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from films.availability import AvailabilityWindow
from search.documents import rebuild
from tests.factories import (
    CreditFactory,
    FigureFactory,
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PersonFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
    StaffAuthorFactory,
)


def films(n):
    for _ in range(n):
        CreditFactory(film=FilmFactory(poster=ImageFactory(), social_image=ImageFactory()))
    return "/films/"


def windows(film, i: int = 0) -> None:
    """An open, a closing and a coming window of ``film``, each with a broadcast airing to find."""
    now = timezone.now()
    for platform, starts, ends in [
        (AvailabilityWindow.Platform.FREE_STREAMING, -timedelta(days=9), timedelta(days=3)),
        (AvailabilityWindow.Platform.MEMBERS, -timedelta(days=9), None),
        (AvailabilityWindow.Platform.BROADCAST, timedelta(days=5), timedelta(days=60)),
    ]:
        AvailabilityWindow.objects.create(
            film=film, platform=platform, service=f"Service {i}", url="https://example.org/",
            regions=["US"], starts_at=now + starts, ends_at=ends and now + ends,
        )  # fmt: skip
    ScreeningFactory(film=film, kind="broadcast", starts_at=now + timedelta(days=6))


def film_detail(n):
    film = FilmFactory(poster=ImageFactory())
    for i in range(n):
        windows(film, i)
        CreditFactory(film=film)
        ScreeningFactory(film=film, city=f"City {i}")
        ScreeningFactory(film=film, starts_at=film.publish_at)
        InterviewFactory(film=film, social_image=ImageFactory()).interviewees.add(PersonFactory())
        PostFactory(related_film=film, hero_image=ImageFactory())
    film.tags.add(*[f"tag {i}" for i in range(n)])
    return film.get_absolute_url()


def interviews(n):
    for i in range(n):
        film = FilmFactory(status="draft" if i % 2 else "published")
        interview = InterviewFactory(film=film, hero_image=ImageFactory())
        interview.interviewees.add(PersonFactory())
    return "/interviews/"


def interview_detail(n):
    film = FilmFactory(poster=ImageFactory(), social_image=ImageFactory())
    interview = InterviewFactory(film=film, hero_image=ImageFactory())
    for i in range(n):
        windows(film, i)
        pair = QuestionAnswerFactory(interview=interview)
        FigureFactory(interview=interview, pair=pair)
        interview.interviewees.add(PersonFactory())
        CreditFactory(film=film)  # directors, named in the JSON-LD
        InterviewFactory(film=None, social_image=ImageFactory())  # related, by fallback
        PostFactory()
    interview.tags.add(*[f"tag {i}" for i in range(n)])
    return interview.get_absolute_url()


def screenings(n):
    film = FilmFactory()
    for i in range(n):
        ScreeningFactory(film=film if i % 2 else FilmFactory(), city=f"City {i}")
    return "/screenings/?kind=festival"


def screening_detail(n):
    film = FilmFactory(poster=ImageFactory())
    for i in range(n):
        ScreeningFactory(film=film, city=f"City {i}")
        CreditFactory(film=film)
    return film.screenings.first().get_absolute_url()


def posts(n):
    for _ in range(n):
        PostFactory().authors.add(StaffAuthorFactory())
    return "/blog/"


def post_detail(n):
    post = PostFactory(related_film=FilmFactory())
    post.authors.add(*[StaffAuthorFactory() for _ in range(n)])
    for i in range(n):
        windows(post.related_film, i)
        CreditFactory(film=post.related_film)
    post.tags.add(*[f"tag {i}" for i in range(n)])
    return post.get_absolute_url()


def watch(n):
    for i in range(n):
        windows(FilmFactory(status="draft" if i % 2 else "published"), i)
    return "/watch/"


def watch_feed(n):
    watch(n)
    return "/watch/feed/atom/"


def home(n):
    InterviewFactory(is_featured=True)  # the featured one; n more fill "More interviews"
    for _ in range(n):
        InterviewFactory(social_image=ImageFactory()).interviewees.add(PersonFactory())
        ScreeningFactory()
        PostFactory()
    return "/"


def tag_page(n):
    for _ in range(n):
        FilmFactory(poster=ImageFactory(), social_image=ImageFactory()).tags.add("shared")
        InterviewFactory(social_image=ImageFactory()).tags.add("shared")
        PostFactory(hero_image=ImageFactory()).tags.add("shared")
    return "/tags/shared/"


def news_feed(n):
    for i in range(n):
        PostFactory(hero_image=ImageFactory()).tags.add(f"tag {i}")
    return "/blog/feed/"


def interviews_feed(n):
    for i in range(n):
        InterviewFactory(hero_image=ImageFactory()).tags.add(f"tag {i}")
    return "/interviews/feed/atom/"


def tag_feed(n):
    tag_page(n)
    return "/tags/shared/feed/"


def search_page(n):
    """Every kind of result on one page: interviews (linked to an answer), people, films."""
    film = FilmFactory(title="Pelican film")
    for i in range(n):
        interview = InterviewFactory(title=f"Pelican talk {i}", film=film)
        QuestionAnswerFactory(interview=interview, answer="<p>A pelican flew by.</p>")
        CreditFactory(film=film, person=PersonFactory(name=f"Pelican Person {i}"))
        ScreeningFactory(film=film, venue="Pelican Hall")
        PostFactory(title=f"Pelican news {i}")
    rebuild()
    return "/search/?q=pelican"


def search_interviews(n):
    return search_page(n) + "&type=interview"


def search_people(n):
    return search_page(n) + "&type=person"


# page: (builder, exact number of queries). A page's first kept part reads the token of
# "*" with its own; a later part kept under that same token needs no check of its own
# (cms.page_cache.kept), as nothing at all changed since.
PAGES = {
    "home": (home, 1),  # its kept part's token (5 when the part is made afresh)
    "film list": (films, 1),  # the head's check; afresh 5 + 2
    # The film + the head's check; afresh 27 (tests/films/test_detail_page.py).
    "film detail": (film_detail, 2),
    "interview list": (interviews, 1),  # the head's check
    # The interview + the head's check; built afresh: 15 (tests/interviews/test_detail_page.py).
    "interview detail": (interview_detail, 2),
    # A filtered list: its filter's choices (the live films, the cities), then the head's check.
    "screening list": (screenings, 3),
    # The screening (SQL compiled once: films.views.PreparedScreening), its film by key, the
    # head's check, whether it takes RSVPs here (outreach).
    "screening detail": (screening_detail, 3),
    "post list": (posts, 1),  # the head's check
    "post detail": (post_detail, 2),  # the post, the head's check
    "watch": (watch, 1),  # the main part's check; afresh 3 + 1
    "watch feed": (watch_feed, 1),
    "tag page": (tag_page, 2),  # the tag, its kept part's token
    # Feeds: the token of the kept body (cms.page_cache.kept.kept_response).
    "news feed": (news_feed, 1),
    "interviews feed": (interviews_feed, 1),
    "tag feed": (tag_feed, 1),
    # Search results are kept until anything changes: the token of "*", which also serves
    # the footer (kept_while_nothing_changes). Made afresh: tests/search/test_search.py.
    "search, interviews": (search_interviews, 1),
    "search, people": (search_people, 1),
}


def count_queries(client, url: str) -> int:
    """Queries of a page view after a first view (which warms what a process keeps)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("amount", [1, 30])
def test_query_count_is_exact_and_flat(client, page, amount):
    builder, expected = PAGES[page]
    url = builder(amount)
    assert count_queries(client, url) == expected
