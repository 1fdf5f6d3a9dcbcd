"""Availability windows: open to the second, refused when wrong, shown where viewers look.

The "Where to watch" box on film, interview and post pages, the /watch/ page and its feeds,
the editors' inline and dashboard, and the page cache changing at a window's boundary.
"""

import time
from datetime import timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.page_cache import cache as page_cache
from cms.publishing.dashboard import calendar_events
from films.availability import AvailabilityWindow, countries, parse_regions
from tests.admin_forms import change_form_data, inline_management
from tests.factories import FilmFactory, InterviewFactory, PostFactory, ScreeningFactory, at

Platform = AvailabilityWindow.Platform
START = at(2027, 3, 1, 5)  # midnight on 1 March in New York, the site's zone
END = at(2027, 3, 27, 3, 59)  # 23:59 on 26 March in New York
SECOND = timedelta(seconds=1)


def window(film=None, **fields) -> AvailabilityWindow:
    values = {"film": film or FilmFactory(), "platform": Platform.FREE_STREAMING,
              "service": "PBS App", "url": "https://www.pbs.org/show/", "starts_at": START,
              "ends_at": END, "price_note": "Free"} | fields  # fmt: skip
    return AvailabilityWindow.objects.create(**values)


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


# Boundaries, to the second


@pytest.mark.django_db
def test_a_window_opens_at_its_start_and_has_closed_at_its_end():
    shown = window()
    open_at = AvailabilityWindow.objects.open_now
    assert list(open_at(START - SECOND)) == []
    assert list(open_at(START)) == [shown]
    assert list(open_at(START + SECOND)) == [shown]
    assert list(open_at(END - SECOND)) == [shown]
    assert list(open_at(END)) == []
    assert list(open_at(END + SECOND)) == []
    assert [shown.is_open(moment) for moment in (START - SECOND, START, END - SECOND, END)] == [
        False, True, True, False
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_window_without_an_end_stays_open():
    shown = window(ends_at=None)
    far = START + timedelta(days=365 * 50)
    assert list(AvailabilityWindow.objects.open_now(far)) == [shown]
    assert list(AvailabilityWindow.objects.not_closed(far)) == [shown]
    assert list(AvailabilityWindow.objects.closing_soon(far, days=14)) == []


@pytest.mark.django_db
def test_opening_and_closing_soon_count_days_to_the_second():
    shown = window()
    opening = AvailabilityWindow.objects.opening_soon
    assert list(opening(START - timedelta(days=30) - SECOND, days=30)) == []
    assert list(opening(START - timedelta(days=30), days=30)) == [shown]
    assert list(opening(START, days=30)) == []  # open now, no longer "arriving"
    closing = AvailabilityWindow.objects.closing_soon
    assert list(closing(END - timedelta(days=14) - SECOND, days=14)) == []
    assert list(closing(END - timedelta(days=14), days=14)) == [shown]
    assert list(closing(END, days=14)) == []


@pytest.mark.django_db
def test_regions_an_empty_list_is_everywhere():
    film = FilmFactory()
    everywhere = window(film, regions=[])
    us_ca = window(film, platform=Platform.MEMBERS, regions=["US", "CA"])
    gb = window(film, platform=Platform.STREAMING, regions=["GB"])
    assert set(AvailabilityWindow.objects.for_region("us")) == {everywhere, us_ca}
    assert set(AvailabilityWindow.objects.for_region("GB")) == {everywhere, gb}
    assert set(AvailabilityWindow.objects.for_region("FR")) == {everywhere}
    assert list(AvailabilityWindow.objects.for_region("ZZ")) == []  # not a country


@pytest.mark.django_db
def test_the_page_cache_boundary_is_the_next_start_end_or_change_of_wording():
    window()
    day = timedelta(days=1)
    change = AvailabilityWindow.next_visibility_change
    assert change(START - 31 * day) == START - 30 * day  # arrives in /watch/'s 30 days
    assert change(START - day) == START
    assert change(START) == END - 14 * day  # leaves in /watch/'s 14 days
    assert change(END - 14 * day) == END - 7 * day  # "Last chance"
    assert change(END - 7 * day) == END - 6 * day  # "leaves in 7 days" becomes "in 6 days"
    assert change(END - day - SECOND) == END - day
    assert change(END - day) == END
    assert change(END) is None


@pytest.mark.django_db
def test_openings_and_closings_are_on_the_publishing_calendar():
    shown = window()
    events = calendar_events(START - timedelta(days=1), END + timedelta(days=1))
    assert [(e.at, e.what, e.item) for e in events if e.item == shown] == [
        (START, "window opens", shown), (END, "window closes", shown)
    ]  # fmt: skip


# Bad input: refused on its field, nothing stored


def unsaved(**fields) -> AvailabilityWindow:
    values = {"film": FilmFactory(), "platform": Platform.FREE_STREAMING, "service": "PBS App",
              "starts_at": START, "ends_at": END} | fields  # fmt: skip
    return AvailabilityWindow(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": START}, "ends_at", "The end must come after the start."),
        ({"ends_at": START - SECOND}, "ends_at", "The end must come after the start."),
        ({"regions": ["US", "XX"]}, "regions", "Unknown country code: XX."),
        ({"regions": "US"}, "regions", None),  # typed as text: normalised, accepted
        ({"regions": [1]}, "regions", "Give country codes as a list"),
        ({"platform": "cinema"}, "platform", "is not a valid choice"),
        ({"url": "javascript:alert(1)"}, "url", "Enter a valid URL."),
    ],
    ids=[
        "ends at start",
        "ends before start",
        "unknown country",
        "text",
        "not codes",
        "platform",
        "url",
    ],  # fmt: skip
)
def test_a_wrong_window_is_refused_on_its_field(fields, field, message):
    candidate = unsaved(**fields)
    if message is None:
        candidate.full_clean()
        assert candidate.regions == ["US"]
        return
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert list(error.value.message_dict) == [field]
    assert message in " ".join(error.value.message_dict[field])
    assert not AvailabilityWindow.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "new", "clash"),
    [
        ({}, {"starts_at": END - SECOND, "ends_at": None}, True),
        ({}, {"starts_at": END, "ends_at": None}, False),  # starts the second the other ends
        ({"ends_at": None}, {"starts_at": END + timedelta(days=900), "ends_at": None}, True),
        ({"regions": []}, {"regions": ["FR"]}, True),  # everywhere overlaps every country
        ({"regions": ["US"]}, {"regions": ["CA"]}, False),
        ({"regions": ["US", "CA"]}, {"regions": ["ca"]}, True),
        ({}, {"service": "Kanopy"}, False),
        ({}, {"service": "pbs app "}, True),
        ({}, {"platform": Platform.MEMBERS}, False),
    ],
    ids=[
        "times meet",
        "end to end",
        "open end",
        "everywhere",
        "other country",
        "shared country",
        "other service",
        "same service",
        "other platform",
    ],  # fmt: skip
)
def test_overlapping_windows_on_one_platform_service_and_country_are_refused(stored, new, clash):
    film = FilmFactory()
    window(film, **stored)
    candidate = unsaved(film=film, **({"ends_at": END} | new))
    if not clash:
        candidate.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert list(error.value.message_dict) == ["starts_at"]
    assert "This overlaps another" in error.value.message_dict["starts_at"][0]
    assert AvailabilityWindow.objects.count() == 1


def test_country_codes_come_from_the_time_zone_database():
    assert countries()["US"] == "United States"
    assert len(countries()) > 240
    assert parse_regions("us, ca  gb,") == ["CA", "GB", "US"]
    with pytest.raises(ValidationError, match="Unknown country code: UK, ZZ"):
        parse_regions("uk zz us")


# The admin inline and the dashboard


def film_form_with_windows(client, film, *rows) -> dict:
    data = change_form_data(client.get(reverse("admin:films_film_change", args=[film.pk])))
    data |= inline_management("windows", len(rows))
    for i, row in enumerate(rows):
        values = {"platform": Platform.FREE_STREAMING, "service": "PBS App",
                  "url": "www.pbs.org/show/", "regions": "", "starts_at_0": "2027-03-01",
                  "starts_at_1": "00:00:00", "ends_at_0": "2027-03-26", "ends_at_1": "23:59:00",
                  "price_note": "Free"} | row  # fmt: skip
        data |= {f"windows-{i}-{name}": value for name, value in values.items()}
    return data


@pytest.fixture
def staff_client(admin_client):
    return admin_client  # the Editors group has no window permissions yet (see the report)


@pytest.mark.django_db
def test_editors_add_a_window_inline_in_their_own_time_zone(staff_client):
    film = FilmFactory()
    data = film_form_with_windows(staff_client, film, {"regions": "us, ca"})
    response = staff_client.post(reverse("admin:films_film_change", args=[film.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    saved = film.windows.get()
    assert saved.regions == ["CA", "US"]
    assert saved.url == "https://www.pbs.org/show/"
    assert (saved.starts_at, saved.ends_at) == (START, END)  # typed in New York time
    change = staff_client.get(reverse("admin:films_film_change", args=[film.pk]))
    assert 'value="CA US"' in change.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"regions": "US, Narnia"}], "Unknown country code: NARNIA."),
        ([{"ends_at_0": "2027-02-01"}], "The end must come after the start."),
        ([{"url": "javascript:alert(1)"}], "Enter a valid URL."),
        (
            [{}, {"regions": "US", "starts_at_0": "2027-03-20", "ends_at_0": "", "ends_at_1": ""}],
            "This overlaps another",
        ),
    ],
    ids=["country", "end", "url", "overlap in the form"],
)
def test_a_wrong_window_in_the_inline_is_refused_and_nothing_stored(staff_client, rows, message):
    film = FilmFactory(title="Kept title")
    data = film_form_with_windows(staff_client, film, *rows) | {"title": "Changed title"}
    response = staff_client.post(reverse("admin:films_film_change", args=[film.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AvailabilityWindow.objects.exists()
    film.refresh_from_db()
    assert film.title == "Kept title"


@pytest.mark.django_db
def test_an_inline_window_overlapping_a_stored_one_is_refused(staff_client):
    film = FilmFactory()
    stored = window(film)
    data = film_form_with_windows(staff_client, film)
    data |= inline_management("windows", 2, initial=1)
    data |= {"windows-1-platform": Platform.FREE_STREAMING, "windows-1-service": "PBS App",
             "windows-1-starts_at_0": "2027-03-10",
             "windows-1-starts_at_1": "00:00:00"}  # fmt: skip
    response = staff_client.post(reverse("admin:films_film_change", args=[film.pk]), data)
    assert response.status_code == 200
    assert "This overlaps another" in response.content.decode()
    assert list(film.windows.all()) == [stored]


@pytest.mark.django_db
def test_the_dashboard_lists_windows_opening_or_closing_within_14_days(staff_client):
    now = timezone.now()
    window(FilmFactory(title="Opening film"), starts_at=now + timedelta(days=3), ends_at=None)
    window(FilmFactory(title="Closing film"), starts_at=now - timedelta(days=3),
           ends_at=now + timedelta(days=13))  # fmt: skip
    window(FilmFactory(title="Far film"), starts_at=now + timedelta(days=15), ends_at=None)
    page = text(staff_client.get(reverse("admin:index")))
    assert "Windows opening or closing in the next 14 days" in page
    assert "PBS App opens" in page and "Opening film" in page
    assert "PBS App closes" in page and "Closing film" in page
    panel = page.split("Windows opening or closing in the next 14 days")[1].split("</section>")[0]
    assert panel.index("Opening film") < panel.index("Closing film")  # the sooner change first
    assert "Far film" not in panel


# What viewers see


@pytest.mark.django_db
def test_the_box_says_until_when_and_nothing_once_closed(client):
    now = timezone.now()
    film = FilmFactory()
    window(film, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=40))
    page = text(client.get(film.get_absolute_url()))
    until = timezone.localtime(now + timedelta(days=40))
    day = f"{until.day} {until:%B}" + ("" if until.year == now.year else f" {until.year}")
    assert f"Stream free on PBS App until {day}" in page
    assert "Where to watch" in page and 'href="https://www.pbs.org/show/"' in page
    assert "More to watch" in page
    AvailabilityWindow.objects.update(ends_at=now - SECOND)
    page = text(client.get(film.get_absolute_url()))
    assert "Where to watch" not in page and "pbs.org/show" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends", "wording"),
    [
        (timedelta(days=-1), None, "Stream free on PBS App"),
        (timedelta(days=-1), timedelta(days=3, hours=1), "Last chance: leaves PBS App in 4 days"),
        (timedelta(days=-1), timedelta(days=7), "Last chance: leaves PBS App in 7 days"),
        (timedelta(days=-1), timedelta(hours=2), "Last chance: leaves PBS App within a day"),
    ],
    ids=["open end", "last chance", "a week left", "hours left"],
)
def test_the_box_wording(client, starts, ends, wording):
    now = timezone.now()
    film = FilmFactory()
    window(film, starts_at=now + starts, ends_at=ends and now + ends)
    page = text(client.get(film.get_absolute_url()))
    assert wording in page
    if ends is None:
        assert "until" not in page.split("Where to watch")[1].split("</section>")[0]


@pytest.mark.django_db
def test_the_box_announces_a_window_to_come_and_a_broadcast_premiere_in_local_time(client):
    film = FilmFactory()
    now = timezone.now()
    coming = timezone.localtime(now + timedelta(days=40))
    window(film, starts_at=now + timedelta(days=40), ends_at=None, regions=["US"])
    premiere = ScreeningFactory(
        film=film, kind="broadcast", venue="PBS", time_zone="America/New_York",
        starts_at=now + timedelta(days=20), local_broadcast_time=True,
    )  # fmt: skip
    window(film, platform=Platform.BROADCAST, service="PBS", url="", price_note="",
           starts_at=premiere.starts_at - timedelta(hours=1), ends_at=None)  # fmt: skip
    page = text(client.get(film.get_absolute_url()))
    year = "" if coming.year == now.year else f" {coming.year}"
    assert f"Coming to PBS App on {coming.day} {coming:%B}{year} <span" in page
    assert "(United States only)" in page
    local = premiere.local_start
    clock = f"{local:%-I} {local:%p}" if not local.minute else f"{local:%-I:%M %p}"
    assert f"Premieres on PBS {local:%A} {local.day} {local:%B}" in page
    assert f"{clock} local time — check local listings" in page
    assert "Watch on PBS App" not in page  # no link before the window opens


@pytest.mark.django_db
def test_the_box_is_on_interview_and_post_pages_about_the_film(client):
    film = FilmFactory()
    window(film, starts_at=timezone.now() - timedelta(days=1), ends_at=None)
    interview = InterviewFactory(film=film)
    post = PostFactory(related_film=film)
    for page in (interview.get_absolute_url(), post.get_absolute_url()):
        assert "Stream free on PBS App" in text(client.get(page))
    no_film = PostFactory(related_film=None)
    assert "Where to watch" not in text(client.get(no_film.get_absolute_url()))
    film.status = "draft"
    film.save()
    for page in (interview.get_absolute_url(), post.get_absolute_url()):
        assert "Where to watch" not in text(client.get(page))


@pytest.mark.django_db
def test_the_watch_page_lists_now_arriving_and_leaving_for_live_films(client):
    now = timezone.now()
    window(FilmFactory(title="Streaming film"), starts_at=now - timedelta(days=1), ends_at=None)
    window(FilmFactory(title="Arriving film"), starts_at=now + timedelta(days=29), ends_at=None)
    window(FilmFactory(title="Later film"), starts_at=now + timedelta(days=31), ends_at=None)
    window(FilmFactory(title="Leaving film"), starts_at=now - timedelta(days=9),
           ends_at=now + timedelta(days=13))  # fmt: skip
    window(FilmFactory(title="Gone film"), starts_at=now - timedelta(days=9), ends_at=now)
    window(FilmFactory(title="Draft film", status="draft"), starts_at=now - timedelta(days=1))
    page = text(client.get(reverse("films:watch")))
    now_part, rest = page.split("Arriving in the next 30 days")
    arriving, leaving = rest.split("Leaving in the next 14 days")
    assert "Streaming film" in now_part and "Leaving film" in now_part
    assert "The series&#x27; free streaming site and app</h3>" in now_part
    assert "Arriving film" in arriving and "Later film" not in page
    assert "Leaving film" in leaving and "Streaming film" not in leaving
    assert "Gone film" not in page and "Draft film" not in page
    crumbs = page.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert ">Home</a>" in crumbs and ">Films</a>" in crumbs and "Where to watch" in crumbs


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/watch/feed/", "/watch/feed/atom/"])
def test_the_feeds_list_open_windows_newest_first(client, url):
    now = timezone.now()
    window(FilmFactory(title="Older"), starts_at=now - timedelta(days=5), ends_at=None)
    window(FilmFactory(title="Newer"), starts_at=now - timedelta(days=1), ends_at=None)
    window(FilmFactory(title="Closed"), starts_at=now - timedelta(days=9), ends_at=now)
    window(FilmFactory(title="Coming"), starts_at=now + timedelta(days=1), ends_at=None)
    feed = feedparser.parse(client.get(url).content)
    assert [entry.title for entry in feed.entries] == ["Newer: PBS App", "Older: PBS App"]
    assert feed.entries[0].link.endswith("/films/" + feed.entries[0].link.split("/films/")[1])
    assert "Stream free on PBS App" in feed.entries[0].summary


@pytest.mark.django_db
def test_the_watch_page_is_in_the_sitemap(client):
    assert "/watch/</loc>" in client.get("/sitemap-pages.xml").content.decode()


@pytest.mark.django_db
def test_the_demo_film_streams_free_now_and_for_members_longer(client, demo):
    page = text(client.get("/films/ai-weiwei-never-sorry/"))
    assert "Stream free on PBS App until 26 March" in page
    assert "Members stream on PBS Passport until 31 October" in page


# The page cache at a boundary


@pytest.fixture
def cache_on(settings, transactional_db):
    settings.CMS_PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache._down_until = 0.0
    yield
    page_cache.guarded(cache.clear)
    page_cache._down_until = 0.0


@pytest.mark.parametrize("page", ["film", "interview", "watch"])
def test_the_cached_page_changes_the_second_a_window_opens_and_closes(cache_on, page):
    now = timezone.now()
    film = FilmFactory()
    opens, closes = now + timedelta(seconds=2), now + timedelta(seconds=4)
    window(film, starts_at=opens, ends_at=closes)
    url = {"film": film.get_absolute_url(), "watch": reverse("films:watch"),
           "interview": InterviewFactory(film=film).get_absolute_url()}[page]  # fmt: skip
    viewer = Client()
    assert "Stream free on PBS App" not in text(viewer.get(url))
    assert viewer.get(url)["X-Cache"] == "hit"  # kept, but only until the window opens
    time.sleep(max(0.0, (opens + timedelta(seconds=0.1) - timezone.now()).total_seconds()))
    response = viewer.get(url)
    assert response["X-Cache"] == "miss"
    assert "Last chance: leaves PBS App within a day" in text(response)
    assert viewer.get(url)["X-Cache"] == "hit"
    time.sleep(max(0.0, (closes + timedelta(seconds=0.1) - timezone.now()).total_seconds()))
    response = viewer.get(url)
    assert response["X-Cache"] == "miss"
    assert "PBS App" not in text(response)
