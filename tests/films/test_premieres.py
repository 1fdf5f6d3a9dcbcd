"""A film's premiere: its earliest broadcast that is not cancelled, a floating "10 PM local
time" broadcast counted on the series' clock."""

import pytest

from films.models import Film, Screening
from films.premieres import premiere_of, premiere_subquery
from tests.factories import FilmFactory, ScreeningFactory, at

BROADCAST = Screening.Kind.BROADCAST


def broadcast(film, starts_at, **fields):
    return ScreeningFactory(film=film, kind=BROADCAST, venue="PBS", starts_at=starts_at, **fields)


def premiere_by_query(film):
    """The premiere as the pages timed to it read it: the subquery, from an outer row."""
    return Film.objects.annotate(premiere=premiere_subquery("pk")).get(pk=film.pk).premiere


@pytest.mark.django_db
def test_the_premiere_is_the_earliest_broadcast_not_cancelled():
    film = FilmFactory()
    ScreeningFactory(film=film, kind=Screening.Kind.FESTIVAL, starts_at=at(2027, 1, 10))
    broadcast(film, at(2027, 2, 1, 3), status=Screening.Status.CANCELLED)
    broadcast(film, at(2027, 3, 1, 3))
    broadcast(film, at(2027, 2, 15, 3), status=Screening.Status.POSTPONED)

    assert premiere_of(film) == at(2027, 2, 15, 3)  # postponed is not cancelled
    assert premiere_by_query(film) == at(2027, 2, 15, 3)


@pytest.mark.django_db
def test_a_film_with_no_broadcast_has_no_premiere():
    film = FilmFactory()
    ScreeningFactory(film=film, kind=Screening.Kind.FESTIVAL, starts_at=at(2027, 1, 10))
    broadcast(film, at(2027, 2, 1, 3), status=Screening.Status.CANCELLED)

    assert premiere_of(film) is None
    assert premiere_by_query(film) is None
    assert premiere_of(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "wall_clock", "premiere"),
    [
        # 10 PM in Los Angeles is stored as 06:00 UTC; the premiere is 10 PM in New York.
        ("America/Los_Angeles", at(2027, 2, 25, 22, tz="America/Los_Angeles"), at(2027, 2, 26, 3)),
        ("America/New_York", at(2027, 2, 25, 22, tz="America/New_York"), at(2027, 2, 26, 3)),
        ("America/Chicago", at(2027, 7, 14, 22, tz="America/Chicago"), at(2027, 7, 15, 2)),  # EDT
        ("Pacific/Honolulu", at(2027, 11, 1, 22, tz="Pacific/Honolulu"), at(2027, 11, 2, 2)),
    ],
)
def test_a_floating_10_pm_broadcast_premieres_at_10_pm_in_new_york(zone, wall_clock, premiere):
    film = FilmFactory()
    broadcast(film, wall_clock, time_zone=zone, local_broadcast_time=True)

    assert premiere_of(film) == premiere
    assert premiere_by_query(film) == premiere


@pytest.mark.django_db
def test_a_broadcast_at_a_fixed_time_premieres_at_that_instant():
    film = FilmFactory()
    broadcast(film, at(2027, 2, 26, 6), time_zone="America/Los_Angeles")

    assert premiere_of(film) == at(2027, 2, 26, 6)


@pytest.mark.django_db
def test_a_floating_broadcast_is_ordered_by_its_series_clock_moment():
    """Floating 10 PM in Los Angeles on the 25th (03:00 UTC on the 26th, on New York's clock)
    premieres before a fixed 04:00 UTC broadcast the same night, though stored later."""
    film = FilmFactory()
    broadcast(film, at(2027, 2, 26, 4))
    floating = at(2027, 2, 25, 22, tz="America/Los_Angeles")  # stored as 06:00 UTC
    broadcast(film, floating, time_zone="America/Los_Angeles", local_broadcast_time=True)

    assert premiere_of(film) == at(2027, 2, 26, 3)
    assert premiere_by_query(film) == at(2027, 2, 26, 3)


@pytest.mark.django_db
def test_the_series_time_zone_is_a_setting(settings):
    settings.SERIES_TIME_ZONE = "America/Chicago"
    film = FilmFactory()
    wall_clock = at(2027, 2, 25, 22, tz="America/Los_Angeles")
    broadcast(film, wall_clock, time_zone="America/Los_Angeles", local_broadcast_time=True)

    assert premiere_of(film) == at(2027, 2, 26, 4)  # 10 PM in Chicago
