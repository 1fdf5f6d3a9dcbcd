"""Every public page renders the demo content; unknown query-string values never break a page."""

import html
import re

import pytest
from django.urls import reverse

from cms.media.models import Image
from films.models import Screening
from interviews.models import Interview
from tests import factories

INTERVIEW_URL = "/interviews/alison-klayman-on-filming-ai-weiwei/"
BROADCAST_UID = "6f1c2b7e-5d1a-4c1e-9b7e-2013022522ee"


def text_of(response) -> str:
    """The page's text, tags removed and entities decoded, for word-for-word comparisons."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Alison Klayman on Filming Ai Weiwei"),
        ("/films/", "Ai Weiwei: Never Sorry"),
        ("/films/ai-weiwei-never-sorry/", "83-minute broadcast cut"),
        ("/interviews/", "Alison Klayman on Filming Ai Weiwei"),
        (INTERVIEW_URL, "In this interview"),
        ("/screenings/", "Community screening and conversation"),
        ("/screenings/past/", "World premiere, Sundance Film Festival"),
        (f"/screenings/{BROADCAST_UID}/", "10 PM local time — check local listings"),
        ("/blog/", "Carrie Lozano Will Lead ITVS as President &amp; CEO"),
        ("/blog/lisa-tawil-joins-the-international-board-of-input/", "INPUT"),
        ("/tags/china/", "Tagged “China”"),
        ("/robots.txt", "Disallow: /admin/"),
    ],
)
def test_public_page_renders_demo_content(client, demo, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_interview_reads_in_full_with_thirteen_answers_and_a_table_of_contents(client, demo):
    response = client.get(INTERVIEW_URL)
    page = response.content.decode()
    interview = Interview.objects.get(slug="alison-klayman-on-filming-ai-weiwei")
    pairs = list(interview.pairs.all())
    assert len(pairs) == 13
    for pair in pairs:
        assert f'<a href="#{pair.anchor}">' in page  # table of contents entry
        assert f'id="{pair.anchor}"' in page  # its target
    text = " ".join(text_of(response).split())
    assert "Coffee. And if you’re in China???" in text
    assert "Laoma Tihua" in text and "Zhao Zhao" in text
    # Figures appear between answers, in the order of the article.
    # (The demo's pictures are art made for it; their captions are the article's.)
    positions = [page.index(f"<figcaption>{caption}") for caption in (
        "Filmmaker Alison Klayman with Ai Weiwei",
        "Ai Weiwei and police/security guard",
        "Wide shot of Ai Weiwei being interviewed by Alison Klayman at his studio",
        "Ai Weiwei typing at computer with cat between him and camera",
    )]  # fmt: skip
    assert positions == sorted(positions)
    assert page.index("Ai Weiwei and police/security guard") > page.index(f'id="{pairs[3].anchor}"')
    assert page.index("Ai Weiwei and police/security guard") < page.index(f'id="{pairs[4].anchor}"')
    assert "From our blog" in page


@pytest.mark.django_db
def test_home_shows_featured_interview_upcoming_screening_and_blog(client, demo):
    page = client.get("/").content.decode()
    assert "Featured interview" in page
    assert "Community screening and conversation" in page
    assert page.count('class="from-our-blog"') == 1
    for title in ("ITVS Welcomes Brandii Rice", "Carrie Lozano Will Lead ITVS", "Lisa Tawil Joins"):
        assert title in page


@pytest.mark.django_db
def test_film_page_lists_credits_interviews_and_screenings(client, demo):
    page = client.get("/films/ai-weiwei-never-sorry/").content.decode()
    assert "Alison Klayman" in page and "Director" in page and "Subject" in page
    assert "91 minutes" in page
    assert INTERVIEW_URL in page
    assert "Past screenings (3)" in page


@pytest.mark.django_db
def test_screening_times_are_shown_on_the_venue_clock(client, demo):
    page = client.get("/screenings/past/").content.decode()
    assert "6 PM MST" in page  # Sundance, Park City
    assert "7 PM EDT" in page  # New York, July
    assert '<time datetime="2013-02-25T22:00">' in page  # floating local broadcast time


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("city=Park+City", "Sundance", "IFC Center"),
        ("kind=theatrical", "IFC Center", "Sundance"),
        ("film=ai-weiwei-never-sorry&kind=festival", "Sundance", "IFC Center"),
    ],
)
def test_screening_filters(client, demo, query, shown, hidden):
    page = text_of(client.get(f"/screenings/past/?{query}"))  # (a poster's alt may name one)
    assert shown in page
    assert hidden not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("film=no-such-film", 200),
        ("kind=drive-in", 200),
        ("city=Atlantis", 200),
        ("film[]=x&kind=%00", 200),
        ("city=" + "x" * 5000, 200),
        ("page=abc", 404),
        ("page=99", 404),
    ],
)
def test_unknown_filter_values_never_give_a_server_error(client, demo, query, status):
    response = client.get(f"/screenings/past/?{query}")
    assert response.status_code == status
    page = response.content.decode()
    if status == 200 and "film[]" not in query:
        assert "were not recognised" in page
    if status == 200:
        assert "Sundance" in page  # the unfiltered list


@pytest.mark.django_db
def test_unknown_pages_and_out_of_range_pagination_answer_404(client, demo):
    assert client.get("/interviews/no-such-interview/").status_code == 404
    assert client.get("/screenings/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/blog/?page=999").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404
    response = client.get("/films/nothing-here/")
    assert "We couldn" in response.content.decode()


@pytest.mark.django_db
def test_screenings_of_an_unpublished_film_are_hidden(client, demo):
    screening = Screening.objects.get(uid=BROADCAST_UID)
    screening.film.status = "draft"
    screening.film.save()
    assert client.get(screening.get_absolute_url()).status_code == 404
    assert "Community screening" not in client.get(reverse("films:screenings")).content.decode()


@pytest.mark.django_db
def test_a_past_screening_says_it_has_taken_place(client, demo):
    past = client.get(f"/screenings/{BROADCAST_UID}/").content.decode()
    assert "This screening has taken place." in past
    upcoming = Screening.objects.get(kind="community")
    assert "has taken place" not in client.get(upcoming.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_city_filter_offers_only_cities_in_the_list_shown(client, demo):
    past = client.get("/screenings/past/").context["filter_form"]
    upcoming = client.get("/screenings/").context["filter_form"]
    assert [c for c, _ in past.fields["city"].choices] == ["", "New York", "Park City"]
    assert [c for c, _ in upcoming.fields["city"].choices] == ["", "Oakland"]


@pytest.mark.django_db
def test_interview_hero_that_is_also_a_figure_is_shown_once(client, demo):
    page = client.get(INTERVIEW_URL).content.decode()
    hero = Image.objects.get(file="demo/klayman-with-ai-weiwei.jpg")
    assert page.count(f'alt="{hero.alt_text}"') == 1


@pytest.mark.django_db
def test_post_excerpt_is_not_repeated_when_the_body_opens_with_it(client, demo):
    page = client.get("/blog/lisa-tawil-joins-the-international-board-of-input/").content.decode()
    main = page[page.index("<main") :]
    assert main.count("strengthens worldwide collaboration") == 1
    assert 'class="lede"' not in main


@pytest.mark.django_db
def test_each_answer_permalink_names_its_question(client, demo):
    page = client.get(INTERVIEW_URL).content.decode()
    assert (
        'Link to this answer<span class="visually-hidden">: What advice do you have for '
        "aspiring filmmakers?</span>" in page
    )


@pytest.mark.django_db
def test_pagination_keeps_filters_without_repeating_page(client):
    from tests.factories import FilmFactory, ScreeningFactory

    film = FilmFactory()
    for _ in range(60):
        ScreeningFactory(film=film, kind="festival")
    page = client.get("/screenings/?kind=festival&page=2").content.decode()
    assert 'href="?kind=festival&amp;page=3"' in page
    assert 'href="?kind=festival&amp;page=1"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "current"),
    [("/films/", "Films"), ("/screenings/", "Screenings"), ("/screenings/past/", "Screenings"),
     ("/interviews/", "Interviews"), ("/blog/", "Blog")],
)  # fmt: skip
def test_main_navigation_marks_the_current_section(client, url, current):
    page = client.get(url).content.decode()
    marked = re.findall(r'aria-current="page">(\w+)<', page)
    assert marked == [current]


@pytest.mark.django_db
def test_the_header_made_once_per_process_follows_the_section_and_the_settings(client, settings):
    """The header is rendered once per section (``{% unchanging %}``): each section keeps
    its own mark however the pages come, and a changed setting shows at once."""
    pages = [
        ("/films/", ["Films"]), ("/", []), ("/interviews/", ["Interviews"]),
        ("/screenings/", ["Screenings"]), ("/search/?q=x", []), ("/blog/", ["Blog"]),
    ]  # fmt: skip
    for url, current in pages * 2:
        page = client.get(url).content.decode()
        assert re.findall(r'aria-current="page">(\w+)<', page) == current, url
    settings.SITE_NAME = "A Renamed Series"
    assert (
        '<span class="brand__name">A Renamed Series</span>'
        in client.get("/films/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "factory", "picture"),
    [
        ("/films/", factories.FilmFactory, "poster"),
        ("/interviews/", factories.InterviewFactory, "hero_image"),
        ("/blog/", factories.PostFactory, "hero_image"),
        ("/tags/grid/", factories.InterviewFactory, "hero_image"),
    ],
)
def test_the_pictures_a_wide_grid_shows_first_are_never_lazy(client, url, factory, picture):
    """Any card of the first row may be the largest painted: a lazy one there would wait
    for layout (a browser test caught the blog's second card so, at 1280 px)."""
    image = factories.ImageFactory()
    for _ in range(6):
        factory(**{picture: image}).tags.add("grid")
    page = client.get(url).content.decode()
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', page, re.S)
    imgs = [re.search(r"<img[^>]*>", card).group() for card in cards]
    assert ['loading="lazy"' in img for img in imgs] == [False] * 4 + [True] * 2
    # Ahead of the rest only the first: on a phone the other three are below the fold, and
    # would share its bytes.
    assert ['fetchpriority="high"' in img for img in imgs] == [True] + [False] * 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "factory", "picture", "rows"),
    [
        ("/films/", factories.FilmFactory, "poster", [True] * 3),
        ("/interviews/", factories.InterviewFactory, "hero_image", [False, True, True]),
        ("/blog/", factories.PostFactory, "hero_image", [False, True, True]),
    ],
)
def test_on_a_phone_a_list_shows_its_cards_as_rows_with_small_pictures(
    client, url, factory, picture, rows
):
    """A phone's screen holds several films or stories, not part of one picture: every film,
    and each story after the first, is a row whose picture is 7.5rem wide (site.css)."""
    image = factories.ImageFactory()
    image.keep_renditions(image.render_missing_renditions())  # as the worker does
    for _ in range(3):
        factory(**{picture: image})
    page = client.get(url).content.decode()
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', page, re.S)
    assert ["card--row" in card.split(">", 1)[0] for card in cards] == rows
    sizes = [re.search(r'<img[^>]* sizes="([^"]*)"', card).group(1) for card in cards]
    assert [size.endswith(", 7.5rem") for size in sizes] == rows
