"""Click-to-play videos in a real browser: nothing asked of the video's host before play.

Every request the page makes is recorded. There is no internet here: requests to any other
host are answered by a small stub page, so the host's player "loads" once pressed.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from films.videos import Video
from tests.factories import FilmFactory, ImageFactory, InterviewFactory

STUB_PLAYER = "<!DOCTYPE html><html lang=en><title>Stub player</title><p>A stub video player."
YOUTUBE = "https://www.youtube.com/watch?v=Vq3MyE0Oc2w"
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com/embed/Vq3MyE0Oc2w?autoplay=1"
VIMEO_PLAYER = "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"


class Recorder:
    """Every request of a page, and every Content-Security-Policy complaint it logs."""

    def __init__(self, page, live_server_url: str):
        self.site = urlsplit(live_server_url).netloc
        self.requests: list[str] = []
        self.violations: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.violations.append(message.text)
                if "Content Security Policy" in message.text else None)  # fmt: skip
        page.route("**/*", self.answer)

    def answer(self, route) -> None:
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=STUB_PLAYER)

    def foreign(self) -> list[str]:
        hosts = [(url, urlsplit(url)) for url in self.requests]
        return [url for url, parts in hosts if parts.scheme in ("http", "https")
                and parts.netloc != self.site]  # fmt: skip


@pytest.fixture
def film_with_trailer(live_server, live_db):
    film = FilmFactory(title="Salt Lines", poster=ImageFactory())
    Video.objects.create(
        film=film, title="Salt Lines trailer", url=YOUTUBE, poster=ImageFactory(),
        duration=timedelta(minutes=2, seconds=7), has_captions=True,
    )  # fmt: skip
    return film


def test_the_film_page_asks_nothing_of_youtube_until_play_is_pressed_from_the_keyboard(
    page, live_server, film_with_trailer
):
    recorder = Recorder(page, live_server.url)
    page.goto(live_server.url + film_with_trailer.get_absolute_url())
    page.wait_for_load_state("networkidle")
    button = page.get_by_role("button", name="Play video: Salt Lines trailer")
    button.wait_for()
    page.locator("[data-video-facade] img").evaluate(
        "img => img.decode()"
    )  # the original until the worker has made its sizes
    assert recorder.foreign() == []  # nothing from YouTube: no iframe, thumbnail or preconnect
    assert page.locator("iframe").count() == 0
    before = list(recorder.requests)

    for _ in range(60):  # Tab to the button, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button.video-facade__play')"):
            break
    else:
        pytest.fail("Tab never reached the play button")
    page.keyboard.press("Enter")

    player = page.locator("iframe.video-facade__player")
    player.wait_for()
    assert player.get_attribute("src") == YOUTUBE_PLAYER
    assert player.get_attribute("title") == "Salt Lines trailer (YouTube video player)"
    assert player.get_attribute("allow") == "autoplay; fullscreen; picture-in-picture"
    assert player.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    page.frame_locator("iframe.video-facade__player").get_by_text("A stub video player.").wait_for()
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"  # focus moved to it
    assert button.count() == 0
    assert recorder.foreign() == [YOUTUBE_PLAYER]  # the player, and only once asked for
    assert recorder.violations == []
    print("\nBefore play:", *before, "After play:", *recorder.requests[len(before) :], sep="\n  ")


def test_a_placed_vimeo_clip_plays_on_a_click_within_the_policy(page, live_server, live_db):
    video = Video.objects.create(
        film=FilmFactory(), title="A clip", kind="clip", url="https://vimeo.com/76979871"
    )
    interview = InterviewFactory(video=video)
    recorder = Recorder(page, live_server.url)
    page.goto(live_server.url + interview.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert recorder.foreign() == []
    page.get_by_role("button", name="Play video: A clip").click()
    player = page.locator("iframe.video-facade__player")
    player.wait_for()
    assert player.get_attribute("src") == VIMEO_PLAYER
    page.frame_locator("iframe.video-facade__player").get_by_text("A stub video player.").wait_for()
    assert recorder.foreign() == [VIMEO_PLAYER]
    assert recorder.violations == []


def test_without_javascript_the_facade_is_a_link_to_the_video_at_its_host(
    browser, live_server, film_with_trailer
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        recorder = Recorder(page, live_server.url)
        page.goto(live_server.url + film_with_trailer.get_absolute_url())
        page.wait_for_load_state("networkidle")
        link = page.get_by_role("link", name="Play video: Salt Lines trailer (on YouTube)")
        assert link.get_attribute("href") == YOUTUBE
        assert recorder.foreign() == []
    finally:
        context.close()
