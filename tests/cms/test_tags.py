"""Tags made only of symbols or emoji get a readable, unique, non-empty slug."""

import pytest
from taggit.models import Tag

from cms.tagging import readable_tag_slug
from tests.factories import FilmFactory, InterviewFactory, PostFactory
from tests.services import replayed_migration


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("★", "black-star"),
        ("#", "number-sign"),
        ("—", "em-dash"),
        ("❤️", "heavy-black-heart"),  # the emoji's variation selector is not a word
        ("🎬 ★", "clapper-board-black-star"),
        ("Sundance 2012", "sundance-2012"),
        ("Zhào", "zhào"),
        ("\u200d", "tag"),  # nothing nameable at all
    ],
)
def test_a_symbol_only_name_is_named_by_its_characters(name, slug):
    assert readable_tag_slug(name) == slug


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["★", "#", "—", "🎬"])
def test_pages_showing_a_symbol_tag_answer(client, name):
    post = PostFactory()
    interview = InterviewFactory()
    film = FilmFactory()
    for item in (post, interview, film):
        item.tags.add(name)
    tag = Tag.objects.get(name=name)
    assert tag.slug and tag.slug == readable_tag_slug(name)
    for url in ("/", "/blog/", "/interviews/", "/films/", post.get_absolute_url(),
                interview.get_absolute_url(), film.get_absolute_url(), f"/tags/{tag.slug}/",
                f"/tags/{tag.slug}/feed/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert name in client.get(f"/tags/{tag.slug}/").content.decode()


@pytest.mark.django_db
def test_symbol_tags_whose_slugs_collide_stay_unique():
    PostFactory().tags.add("Black star")  # slug "black-star"
    post = PostFactory()
    post.tags.add("★", "✪", "☆")
    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert slugs == ["black-star", "black-star-2", "circled-white-star", "white-star"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_empty_slugs_a_readable_one():
    Tag.objects.bulk_create([Tag(name="★", slug=""), Tag(name="#", slug="_1")])  # no signals
    before = "0004_image_licence_and_renditions"
    with replayed_migration("cms", before, "0005_tag_slugs_never_empty"):
        slugs = dict(Tag.objects.values_list("name", "slug"))
        assert slugs == {"★": "black-star", "#": "number-sign"}


@pytest.mark.django_db
def test_slugs_of_digits_are_real_slugs_and_kept():
    PostFactory().tags.add("2012")
    tag = Tag.objects.create(name="The answer", slug="42")
    assert tag.slug == "42" and Tag.objects.get(name="2012").slug == "2012"
