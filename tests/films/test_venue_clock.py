"""A screening's date and time are the venue's, on every page and in every mail, whatever
clock the reader's page is rendered on (the site's, New York; an editor's own)."""

import pytest
from django.template import Context, Template
from django.utils import timezone

from tests.factories import ScreeningFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_in_los_angeles():
    """9:30 PM on Saturday 19 December in Los Angeles: already the 20th in New York."""
    return ScreeningFactory(
        venue="Rockridge Library", city="Oakland", time_zone="America/Los_Angeles",
        starts_at=at(2026, 12, 19, 21, 30, tz="America/Los_Angeles"), ends_at=None,
    )  # fmt: skip


def test_the_date_filter_keeps_the_venue_clock_in_any_active_zone(late_in_los_angeles):
    template = Template("{{ s.local_start|date:'l, F j, Y H:i' }}")
    for zone in ("America/New_York", "Europe/Berlin", "UTC"):
        with timezone.override(zone):
            shown = template.render(Context({"s": late_in_los_angeles}))
        assert shown == "Saturday, December 19, 2026 21:30", zone


def test_the_screening_page_and_list_show_the_venue_date(client, late_in_los_angeles):
    page = client.get(late_in_los_angeles.get_absolute_url()).content.decode()
    listing = client.get("/screenings/").content.decode()
    for html in (page, listing):
        assert "December 19, 2026" in html
        assert "December 20" not in html
    assert "9:30 PM PST" in page
