"""One flow into the page cache: every kind of write to public content moves the version,
each content model names its own next boundary, and the cache applies only where it should.
"""

from datetime import timedelta

import pytest
from django.db.models.signals import m2m_changed, post_save
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from blog.models import Post
from cms.media.models import Image, Rendition
from cms.page_cache import cache as page_cache
from cms.page_cache.models import ContentVersion, PublicContent
from cms.page_cache.signals import changed, public_content_models
from cms.publishing.models import Publishable, ShareLink
from films.models import Credit, Film, Person, Screening
from interviews.models import Figure, Interview, QuestionAnswer
from tests.factories import (
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PersonFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db


def moves_the_version(write) -> bool:
    before = ContentVersion.current()
    write()
    return ContentVersion.current() != before


def test_every_model_viewers_see_is_public_content_and_nothing_else_is():
    followed = {model._meta.label for model in public_content_models()}
    assert {
        "films.Film", "films.Person", "films.Credit", "films.Screening", "films.TaggedFilm",
        "interviews.Interview", "interviews.QuestionAnswer", "interviews.Figure",
        "interviews.TaggedInterview", "blog.Post", "blog.TaggedPost", "cms.Image",
    } <= followed  # fmt: skip
    # Made while pages are viewed, or never shown: they must not empty the cache.
    never = {"cms.Rendition", "cms.ShareLink", "cms.ContentVersion", "search.SearchEntry"}
    assert not never & followed
    assert not issubclass(Rendition, PublicContent) and not issubclass(ShareLink, PublicContent)


def test_each_public_model_is_followed_by_its_own_receivers_not_a_global_one():
    for model in (Film, Screening, Image, QuestionAnswer, Figure, Post):
        assert post_save.has_listeners(model)
    assert m2m_changed.has_listeners(Interview.interviewees.through)
    assert not post_save.has_listeners(Rendition)
    assert changed in post_save._live_receivers(Film)[0]
    assert changed not in post_save._live_receivers(ShareLink)[0]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda f: Film.objects.filter(pk=f.pk).update(logline="New"), id="update"),
        pytest.param(lambda f: Film.objects.bulk_update([f], ["logline"]), id="bulk_update"),
        pytest.param(
            lambda f: Screening.objects.bulk_create([ScreeningFactory.build(film=f)]),
            id="bulk_create",
        ),
        pytest.param(lambda f: Person.objects.filter(pk__gt=0).update(bio="x"), id="person"),
        pytest.param(lambda f: f.save(), id="save"),
        pytest.param(lambda f: f.tags.add("new tag"), id="tags"),
        pytest.param(lambda f: Screening.objects.filter(film=f).delete(), id="delete"),
        pytest.param(lambda f: Film.objects.filter(pk=f.pk).unpublish(), id="unpublish"),
    ],
)
def test_every_kind_of_write_to_public_content_moves_the_version(write):
    film = FilmFactory(logline="Old")
    ScreeningFactory(film=film)
    PersonFactory()
    assert moves_the_version(lambda: write(film))


def test_publishing_a_draft_moves_the_version():
    film = FilmFactory(status=Film.Status.DRAFT, publish_at=None)
    assert moves_the_version(lambda: Film.objects.filter(pk=film.pk).publish())


def test_a_write_that_changes_no_row_leaves_the_version():
    assert not moves_the_version(lambda: Film.objects.filter(pk=-1).update(logline="x"))


def test_renditions_and_share_links_leave_the_version():
    image = ImageFactory()
    interview = InterviewFactory()
    ContentVersion.current()
    assert not moves_the_version(lambda: image.renditions_for([240]))
    assert not moves_the_version(
        lambda: ShareLink.objects.create(
            content_object=interview, expires_at=timezone.now() + timedelta(days=1)
        )
    )


def test_a_renamed_tag_moves_the_version():
    FilmFactory().tags.add("old name")
    tag = Tag.objects.get(name="old name")
    tag.name = "new name"
    assert moves_the_version(tag.save)


def test_each_model_names_its_own_next_boundary():
    now = timezone.now()
    assert Film.next_visibility_change(now) is None
    FilmFactory(publish_at=now + timedelta(hours=5))
    assert Film.next_visibility_change(now) == now + timedelta(hours=5)
    screening = ScreeningFactory(starts_at=now + timedelta(hours=2), ends_at=None)
    assert Screening.next_visibility_change(now) == screening.starts_at
    ImageFactory(licence_expires_on=timezone.localdate(now) + timedelta(days=2))
    day = Image.next_visibility_change(now)
    assert timezone.localtime(day).date() == timezone.localdate(now) + timedelta(days=2)
    assert timezone.localtime(day).time().hour == 0
    assert Person.next_visibility_change(now) is None  # edited, never scheduled
    assert page_cache.next_boundary(now) == screening.starts_at


def test_publishable_models_inherit_the_flow():
    for model in (Film, Interview, Post):
        assert issubclass(model, Publishable) and issubclass(model, PublicContent)
    assert issubclass(Credit, PublicContent)


@pytest.fixture
def cache_on(settings):
    settings.CMS_PAGE_CACHE_ENABLED = True
    page_cache.cacheable_view.cache_clear()
    yield
    page_cache.guarded(lambda: page_cache.cache().clear())


def test_the_cache_applies_to_public_pages_only(cache_on, client: Client):
    InterviewFactory()
    assert page_cache.cacheable_view("/interviews/")[0]
    assert page_cache.cacheable_view("/")[0]
    for path in ("/admin/", "/admin/login/", "/search/", "/healthz", "/share/abc/", "/nope/"):
        assert not page_cache.cacheable_view(path)[0], path
    assert client.get("/interviews/")["X-Cache"] == "miss"
    assert "X-Cache" not in client.get("/search/?q=x")
    assert "X-Cache" not in client.get("/healthz")


def test_the_admin_keeps_its_query_string(cache_on, client: Client):
    """Parameters are dropped only for cached views: the sign-in page keeps its ``next``."""
    response = client.get("/admin/login/?next=/admin/films/film/")
    assert response.status_code == 200
    assert 'value="/admin/films/film/"' in response.content.decode()
