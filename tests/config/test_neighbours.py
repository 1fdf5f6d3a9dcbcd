"""Non-live content never shows through live neighbours: boxes, cards, links, lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import FilmFactory, ImageFactory, InterviewFactory, PostFactory

HIDDEN = "Secret Draft Film"


@pytest.fixture
def draft_film(db):
    return FilmFactory(title=HIDDEN, slug="secret", status="draft", publish_at=None,
                       logline="Not yet announced")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/interviews/", "interview-page", "/tags/shared/"])
def test_a_live_interview_does_not_reveal_its_draft_film(client, draft_film, url):
    interview = InterviewFactory(film=draft_film, is_featured=True)
    interview.tags.add("shared")
    InterviewFactory(film=draft_film)  # fills "More interviews" on the home page
    page = client.get(interview.get_absolute_url() if url == "interview-page" else url)
    assert page.status_code == 200
    html = page.content.decode()
    assert HIDDEN not in html and "Not yet announced" not in html
    assert "/films/secret/" not in html


@pytest.mark.django_db
def test_a_live_post_does_not_link_its_draft_film(client, draft_film):
    post = PostFactory(related_film=draft_film)
    html = client.get(post.get_absolute_url()).content.decode()
    assert HIDDEN not in html and "/films/secret/" not in html


@pytest.mark.django_db
def test_a_live_film_is_shown_and_linked(client):
    film = FilmFactory(title="Public Film", slug="public")
    interview = InterviewFactory(film=film)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert 'href="/films/public/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hidden",
    [
        {"status": "draft", "publish_at": None},
        {"publish_at": timezone.now() + timedelta(hours=1)},
        {"publish_at": timezone.now() - timedelta(days=2),
         "expire_at": timezone.now() - timedelta(days=1)},
    ],
    ids=["draft", "scheduled", "expired"],
)  # fmt: skip
def test_boxes_and_related_lists_show_only_live_items(client, hidden):
    film = FilmFactory(slug="shown")
    shown = InterviewFactory(film=film, title="Shown interview")
    shown.tags.add("shared")
    InterviewFactory(film=film, title="Hidden interview", **hidden).tags.add("shared")
    PostFactory(title="Hidden post", related_film=film, **hidden).tags.add("shared")
    PostFactory(title="Shown post", related_film=film)
    FilmFactory(title="Hidden film", **hidden).tags.add("shared")
    for url in ["/", shown.get_absolute_url(), film.get_absolute_url(), "/tags/shared/",
                "/blog/", "/films/", "/interviews/"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert "Hidden interview" not in html, url
        assert "Hidden post" not in html, url
        assert "Hidden film" not in html, url


@pytest.mark.django_db
def test_social_images_are_absolute_urls(client):
    interview = InterviewFactory(social_image=ImageFactory())
    html = client.get(interview.get_absolute_url()).content.decode()
    assert (
        f'<meta property="og:image" content="http://testserver{interview.social_image.url}">'
        in html
    )
