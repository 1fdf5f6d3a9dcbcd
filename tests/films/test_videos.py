"""Trailers and clips: which addresses are videos, the admin's refusals, the facade, VideoObject."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Post
from films import schema_org
from films.videos import PLAYER_ORIGINS, Video, VideoAddress
from interviews.models import Interview
from tests.admin_forms import change_form_data, inline_management
from tests.config.test_structured_data import vocabulary_errors
from tests.factories import FilmFactory, ImageFactory, InterviewFactory, PostFactory

YOUTUBE = "https://www.youtube.com/watch?v=Vq3MyE0Oc2w"
FILM_URL = "/films/ai-weiwei-never-sorry/"


def make_video(film=None, **fields) -> Video:
    values = {"title": "The trailer", "url": YOUTUBE, "duration": timedelta(minutes=2, seconds=7)}
    return Video.objects.create(film=film or FilmFactory(), **values | fields)


# The address rules


@pytest.mark.parametrize(
    ("url", "provider", "video_id", "embed", "watch"),
    [
        (YOUTUBE, "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://youtube.com/watch?v=Vq3MyE0Oc2w&t=10s&si=tracking", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://m.youtube.com/watch?v=Vq3MyE0Oc2w", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://youtu.be/Vq3MyE0Oc2w?si=x", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://www.youtube.com/embed/Vq3MyE0Oc2w", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://www.youtube.com/shorts/Vq3MyE0Oc2w", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("http://WWW.YOUTUBE.COM/watch?v=Vq3MyE0Oc2w", "youtube", "Vq3MyE0Oc2w",
         "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", YOUTUBE),
        ("https://vimeo.com/76979871", "vimeo", "76979871",
         "https://player.vimeo.com/video/76979871?dnt=1", "https://vimeo.com/76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", "vimeo", "76979871",
         "https://player.vimeo.com/video/76979871?dnt=1", "https://vimeo.com/76979871"),
        ("https://vimeo.com/76979871/0a1b2c3d4e", "vimeo", "76979871",
         "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e&dnt=1",
         "https://vimeo.com/76979871/0a1b2c3d4e"),
        ("https://player.vimeo.com/video/76979871?h=0a1b2c3d4e", "vimeo", "76979871",
         "https://player.vimeo.com/video/76979871?h=0a1b2c3d4e&dnt=1",
         "https://vimeo.com/76979871/0a1b2c3d4e"),
        ("https://www.pbs.org/video/2365245528/", "pbs", "2365245528",
         "https://player.pbs.org/viralplayer/2365245528/", "https://www.pbs.org/video/2365245528/"),
        ("https://player.pbs.org/viralplayer/2365245528/", "pbs", "2365245528",
         "https://player.pbs.org/viralplayer/2365245528/", "https://www.pbs.org/video/2365245528/"),
        ("https://player.pbs.org/widget/partnerplayer/2365245528/?topbar=true", "pbs",
         "2365245528", "https://player.pbs.org/viralplayer/2365245528/",
         "https://www.pbs.org/video/2365245528/"),
    ],
)  # fmt: skip
def test_an_address_is_read_into_its_host_and_id(url, provider, video_id, embed, watch):
    address = VideoAddress.parse(url)
    assert (address.provider, address.video_id) == (provider, video_id)
    assert address.embed_url == embed
    assert address.watch_url == watch


def test_the_player_asked_for_on_play_starts_at_once_in_its_private_form():
    assert VideoAddress.parse(YOUTUBE).play_url == (
        "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w?autoplay=1"
    )
    assert VideoAddress.parse("https://vimeo.com/76979871").play_url == (
        "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
    )
    assert VideoAddress.parse("https://www.pbs.org/video/2365245528/").play_url == (
        "https://player.pbs.org/viralplayer/2365245528/"
    )
    for url in (YOUTUBE, "https://vimeo.com/76979871", "https://www.pbs.org/video/2365245528/"):
        origin = "https://" + urlsplit(VideoAddress.parse(url).play_url).hostname
        assert origin in PLAYER_ORIGINS


BAD_ADDRESSES = [
    ("javascript:alert(document.cookie)", "starting with https://"),
    ("JavaScript://www.youtube.com/%0Aalert(1)", "starting with https://"),
    ("data:text/html,<script>alert(1)</script>", "starting with https://"),
    ("ftp://www.youtube.com/watch?v=Vq3MyE0Oc2w", "starting with https://"),
    ("www.youtube.com/watch?v=Vq3MyE0Oc2w", "starting with https://"),  # no scheme
    ("https://www.dailymotion.com/video/x8abcde", "“www.dailymotion.com” is none of them"),
    ("https://youtube.com.evil.example/watch?v=Vq3MyE0Oc2w", "none of them"),
    ("https://www.youtube.com@evil.example/watch?v=Vq3MyE0Oc2w", "none of them"),
    ("https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w", "none of them"),
    ("https://pbs.org/video/2365245528/", "none of them"),
    ("https://www.youtube.com/watch?v=short", "This YouTube address does not name a video"),
    ("https://www.youtube.com/channel/UC123", "This YouTube address does not name a video"),
    ("https://youtu.be/", "This YouTube address does not name a video"),
    ("https://vimeo.com/about", "This Vimeo address does not name a video"),
    ("https://vimeo.com/76979871/not-a-key!", "This Vimeo address does not name a video"),
    ("https://www.pbs.org/video/ai-weiwei-never-sorry-trailer/", "does not give the video’s num"),
    ("https://player.pbs.org/partnerplayer/tOz9tM5ljOXQqIIWke53UA==/", "the video’s number"),
]


@pytest.mark.parametrize(("url", "message"), BAD_ADDRESSES)
def test_any_other_address_is_refused_saying_why(url, message):
    with pytest.raises(ValidationError) as refused:
        VideoAddress.parse(url)
    assert message in " ".join(refused.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "message"), BAD_ADDRESSES[:2] + BAD_ADDRESSES[5:6])
def test_the_model_refuses_a_bad_address_on_its_field(url, message):
    video = Video(film=FilmFactory(), title="Trailer", url=url)
    with pytest.raises(ValidationError) as refused:
        video.full_clean()
    assert list(refused.value.message_dict) == ["url"]
    assert any(message in text for text in refused.value.message_dict["url"])


@pytest.mark.django_db
def test_a_stored_address_that_is_not_a_video_is_never_shown(client):
    """Rows written past validation (a shell, a fixture) still show no link and no player."""
    video = make_video(url="javascript:alert(1)")
    assert video.address is None
    page = client.get(video.film.get_absolute_url()).content.decode()
    assert "javascript:" not in page and "data-video-facade" not in page
    assert schema_org.video_objects([video, None], RequestFactory().get("/")) == []


# The admin


def film_change_data(client, film, videos: list[dict]) -> dict:
    response = client.get(reverse("admin:films_film_change", args=[film.pk]))
    data = change_form_data(response) | inline_management("videos", len(videos))
    for i, video in enumerate(videos):
        data |= {f"videos-{i}-{name}": value for name, value in video.items()}
        data |= {f"videos-{i}-film": str(film.pk), f"videos-{i}-id": ""}
    return data


def video_row(**fields) -> dict:
    row = {"kind": "trailer", "sort_order": "0", "title": "Trailer", "url": YOUTUBE,
           "description": "", "duration": "2:07", "uploaded_on": "", "poster": ""}  # fmt: skip
    return row | fields


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("javascript:alert(1)", "Enter the video’s web address, starting with https://"),
        ("https://evil.example/watch?v=Vq3MyE0Oc2w", "“evil.example” is none of them"),
        ("https://www.youtube.com/watch?v=nope", "This YouTube address does not name a video"),
    ],
)
def test_the_film_admin_refuses_a_bad_video_address_and_stores_nothing(admin_client, url, message):
    film = FilmFactory()
    data = film_change_data(admin_client, film, [video_row(url=url)])
    response = admin_client.post(reverse("admin:films_film_change", args=[film.pk]), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"]
    video_errors = [f.errors for inline in errors if inline.formset.prefix == "videos"
                    for f in inline.formset.forms]  # fmt: skip
    assert any(message in text for text in video_errors[0]["url"])
    assert list(video_errors[0]) == ["url"]
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_the_film_admin_adds_a_video_with_a_poster_from_the_library(admin_client):
    film, poster = FilmFactory(), ImageFactory()
    data = film_change_data(
        admin_client, film,
        [video_row(url="youtu.be/Vq3MyE0Oc2w", poster=str(poster.pk), has_captions="on")],
    )  # fmt: skip
    response = admin_client.post(reverse("admin:films_film_change", args=[film.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    video = Video.objects.get()
    assert video.url == "https://youtu.be/Vq3MyE0Oc2w"  # the admin assumes https
    assert video.duration == timedelta(minutes=2, seconds=7)
    assert (video.film, video.poster, video.has_captions) == (film, poster, True)
    page = admin_client.get(reverse("admin:films_film_change", args=[film.pk])).content.decode()
    assert 'name="videos-0-poster"' in page and "admin-autocomplete" in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Interview, Post])
def test_interviews_and_posts_place_a_video_found_by_autocomplete(admin_client, model):
    video = make_video(title="Never Sorry trailer")
    item = (InterviewFactory if model is Interview else PostFactory)()
    opts = model._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="video"' in page and 'data-field-name="video"' in page  # an autocomplete
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "never", "app_label": opts.app_label, "model_name": opts.model_name,
         "field_name": "video"},
    ).json()  # fmt: skip
    assert found["results"] == [{"id": str(video.pk), "text": "Never Sorry trailer"}]


# The facade

LOADING = {"src", "srcset", "poster", "data", "action", "formaction", "background"}


def foreign_loads(html: str, host: str = "testserver") -> list[str]:
    """Every address in ``html`` that a browser fetches unasked and that is not this site's."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name not in LOADING and not (name == "href" and tag.name == "link"):
                continue
            for part in str(value).replace(",", " ").split():
                netloc = urlsplit(part).netloc
                if part.startswith(("//", "http:", "https:")) and netloc != host:
                    found.append(f"<{tag.name} {name}={part}>")
    return found


@pytest.mark.django_db
def test_the_film_page_shows_each_video_behind_a_facade_that_loads_nothing_foreign(client):
    film = FilmFactory()
    make_video(film, title="Trailer", poster=ImageFactory(), has_captions=True)
    make_video(film, title="A clip", kind="clip", url="https://vimeo.com/76979871", sort_order=2)
    html = client.get(film.get_absolute_url()).content.decode()
    assert foreign_loads(html) == []
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("iframe") is None
    facades = soup.select("[data-video-facade]")
    assert len(facades) == 2
    trailer, clip = facades
    link = trailer.select_one("a.video-facade__play")
    assert link["href"] == YOUTUBE  # without JavaScript, the video's page at its host
    assert link["data-play-url"] == "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w?autoplay=1"
    assert link.get_text(" ", strip=True) == "Play video: Trailer (on YouTube)"
    poster = trailer.select_one("img.video-facade__poster")
    assert poster["src"].startswith("/media/images/")  # the original until the worker has run
    assert poster["width"] and poster["height"]
    assert trailer.select_one("time")["datetime"] == "PT2M7S"
    assert "Captions available" in trailer.get_text()
    assert clip.select_one(".video-facade__poster--none") is not None  # the placeholder
    assert "No captions" in clip.get_text() and "Clip" in clip.get_text()
    foreign_links = [
        a["href"] for a in soup.select("a[href^=http]") if "testserver" not in a["href"]
    ]
    assert foreign_links == [YOUTUBE, "https://vimeo.com/76979871"]  # the no-JS fallbacks only
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert scripts.count("/static/js/video-facade.js") == 1
    assert soup.select_one('script[src="/static/js/video-facade.js"]').has_attr("defer")
    assert not soup.select("script:not([src]):not([type='application/ld+json'])")


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [InterviewFactory, PostFactory])
def test_an_interview_or_post_shows_its_placed_video_the_same_way(client, factory):
    video = make_video(poster=ImageFactory())
    item = factory(video=video)
    html = client.get(item.get_absolute_url()).content.decode()
    assert foreign_loads(html) == []
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("[data-video-facade]")) == 1
    assert soup.select_one("a.video-facade__play")["href"] == YOUTUBE
    assert soup.find("iframe") is None
    without = BeautifulSoup(client.get(factory().get_absolute_url()).content, "html.parser")
    assert without.select("[class*=video-facade], [data-video-facade]") == []
    assert without.select('script[src*="video-facade"]') == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Post])  # an interview's: tests/interviews/test_detail_page.py
def test_the_placed_video_and_its_poster_come_with_the_page_query(model):
    item = (InterviewFactory if model is Interview else PostFactory)(
        video=make_video(poster=ImageFactory())
    )
    item = model.objects.for_detail().get(pk=item.pk)
    with CaptureQueriesContext(connection) as queries:
        assert item.video.poster.renditions.all() is not None
        assert item.video.address.provider == "youtube"
        list(item.video.poster.renditions.all())
    assert len(queries) == 0


@pytest.mark.django_db
def test_the_film_pages_videos_come_in_one_query_with_their_posters():
    film = FilmFactory()
    for i in range(3):
        make_video(film, title=f"Clip {i}", url=f"https://vimeo.com/{i + 1}", poster=ImageFactory())
    with CaptureQueriesContext(connection) as queries:
        videos = list(Video.objects.filter(film=film).for_facade())
        assert [v.poster.renditions.all().count() >= 0 for v in videos] == [True] * 3
    assert len(queries) == 2  # the videos with their posters, then the posters' renditions


@pytest.mark.django_db
def test_the_policy_frames_only_the_hosts_players(client):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["frame-src"] == ["'self'", *PLAYER_ORIGINS]
    header = client.get("/").headers["Content-Security-Policy"]
    assert f"frame-src 'self' {' '.join(PLAYER_ORIGINS)}" in header
    script = (settings.BASE_DIR / "static" / "js" / "video-facade.js").read_text()
    assert all(f'"{origin}"' in script for origin in PLAYER_ORIGINS)


# Structured data


@pytest.mark.django_db
def test_a_video_is_a_schema_org_video_object():
    video = make_video(
        title="Never Sorry trailer", description="The trailer.", poster=ImageFactory(),
        uploaded_on=date(2012, 6, 21), has_captions=True,
        duration=timedelta(hours=1, minutes=2, seconds=3),
    )  # fmt: skip
    request = RequestFactory().get("/")
    data = schema_org.video_object(video, request)
    assert vocabulary_errors(data) == []
    assert data["@type"] == "VideoObject"
    assert data["name"] == "Never Sorry trailer"
    assert data["description"] == "The trailer."
    assert data["thumbnailUrl"].startswith("http://testserver/media/")
    assert data["uploadDate"] == "2012-06-21"
    assert data["duration"] == "PT1H2M3S"
    assert data["embedUrl"] == "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w"
    assert data["url"] == YOUTUBE
    assert data["accessibilityFeature"] == ["captions"]


@pytest.mark.django_db
def test_a_video_with_only_an_address_still_has_a_name_and_description():
    video = make_video(title="A clip", kind="clip", duration=None)
    [data] = schema_org.video_objects([video], RequestFactory().get("/"))
    assert vocabulary_errors(data) == []
    assert data["description"] == "Clip: A clip"
    assert data["thumbnailUrl"] is None  # dropped from the page's JSON-LD, as empty values are


# Demo content


@pytest.mark.django_db
def test_the_demo_trailer_loads_with_its_poster_and_again_without_duplicates(client, demo):
    call_command("loaddata", "demo", verbosity=0)
    call_command("loaddata", "demo", verbosity=0)
    video = Video.objects.get()
    assert video.film.slug == "ai-weiwei-never-sorry"
    assert video.address.provider == "youtube" and video.poster.is_usable
    html = client.get(FILM_URL).content.decode()
    assert foreign_loads(html) == []
    assert "Play video" in html and "/media/demo/never-sorry-trailer-poster.jpg" in html
