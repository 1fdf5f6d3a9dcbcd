"""``live()`` is the one rule for what viewers see; check it for every combination."""

import itertools
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from blog.models import Post
from interviews.models import Interview
from tests.factories import FilmFactory, at

NOW = at(2026, 3, 1, 12, 0)
PUBLISH_TIMES = {
    "never": None,
    "past": NOW - timedelta(days=1),
    "exactly-now": NOW,
    "future": NOW + timedelta(seconds=1),
}
EXPIRY_TIMES = {
    "none": None,
    "past": NOW - timedelta(seconds=1),
    "exactly-now": NOW,
    "future": NOW + timedelta(days=1),
}
CASES = list(itertools.product(["draft", "published"], PUBLISH_TIMES, EXPIRY_TIMES))


def viewer_may_see(status: str, publish: str, expiry: str) -> bool:
    """The rule from DESIGN.md, written out independently of the implementation."""
    started = publish in ("past", "exactly-now")
    not_expired = expiry in ("none", "future")
    return status == "published" and started and not_expired


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "publish", "expiry"), CASES)
def test_live_for_every_status_publish_time_and_expiry(status, publish, expiry):
    if status == "published" and publish == "never":
        # The database refuses it: a published page always has a publishing time.
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.bulk_create([Post(title="t", slug="t", status=status, publish_at=None)])
        return
    # bulk_create stores the fields exactly as given, with no save() defaults.
    [post] = Post.objects.bulk_create(
        [
            Post(
                title="t",
                slug="t",
                status=status,
                publish_at=PUBLISH_TIMES[publish],
                expire_at=EXPIRY_TIMES[expiry],
            )
        ]
    )
    expected = viewer_may_see(status, publish, expiry)

    assert Post.objects.live(at=NOW).filter(pk=post.pk).exists() is expected
    annotated = Post.objects.with_state(at=NOW).get(pk=post.pk)
    assert annotated.is_live is expected
    assert (annotated.state == "live") is expected
    assert Post.objects.scheduled(at=NOW).filter(pk=post.pk).exists() is (
        status == "published" and publish == "future"
    )
    assert Post.objects.expired(at=NOW).filter(pk=post.pk).exists() is (
        status == "published" and expiry in ("past", "exactly-now")
    )


@pytest.mark.django_db
def test_live_defaults_to_the_current_time():
    film = FilmFactory(publish_at=at(2000, 1, 1))
    FilmFactory(slug="later", publish_at=at(2999, 1, 1))
    assert list(type(film).objects.live()) == [film]


@pytest.mark.django_db
def test_publishing_without_a_date_publishes_now():
    post = Post.objects.create(title="t", slug="t", status="published")
    assert post.publish_at is not None
    assert Post.objects.live().filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_bulk_publish_keeps_scheduled_dates_and_unpublish_returns_to_draft():
    scheduled = Post.objects.create(title="a", slug="a", status="draft", publish_at=at(2999, 1, 1))
    undated = Post.objects.create(title="b", slug="b", status="draft")

    assert len(Post.objects.all().publish(at=NOW)) == 2
    scheduled.refresh_from_db()
    undated.refresh_from_db()
    assert scheduled.status == undated.status == "published"
    assert scheduled.publish_at == at(2999, 1, 1)
    assert undated.publish_at == NOW

    assert len(Post.objects.all().unpublish()) == 2
    assert not Post.objects.exclude(status="draft").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "publish", "expire", "label"),
    [
        ("draft", None, None, "Draft"),
        ("published", at(2000, 1, 1), None, "Live"),
        ("published", at(2999, 1, 1), None, "Scheduled"),
        ("published", at(2000, 1, 1), at(2001, 1, 1), "Expired"),
    ],
)
def test_publishing_state_label_for_editors(status, publish, expire, label):
    Interview.objects.bulk_create(
        [Interview(title="t", slug="t", status=status, publish_at=publish, expire_at=expire)]
    )
    assert Interview.objects.with_state().get().state == label.lower()
