"""blog.importing: the interface other apps write posts through."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from blog.importing import IncomingPost, add_posts, new_posts
from blog.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_new_posts_are_drafts_with_the_excerpt_as_dek_and_escaped_body():
    (post,) = add_posts(
        [IncomingPost("A <new> partner", excerpt="Tom & Jerry <b>", publish_at=None)]
    )
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert post.slug == "a-new-partner"
    assert post.dek == "Tom & Jerry <b>"
    assert post.body == "<p>Tom &amp; Jerry &lt;b&gt;</p>"


def test_a_post_the_site_has_is_left_as_editors_made_it():
    PostFactory(title="Already here", slug="already-here", dek="Edited by hand")
    assert add_posts([IncomingPost("Already here", excerpt="From the import")]) == []
    assert Post.objects.get(slug="already-here").dek == "Edited by hand"


def test_the_first_of_each_slug_only_and_known_slugs_count_as_present():
    incoming = [IncomingPost("Twice"), IncomingPost("twice"), IncomingPost("Planned")]
    posts = new_posts(incoming, known_slugs={"planned"})
    assert [post.slug for post in posts] == ["twice"]
    assert Post.objects.count() == 0  # new_posts saves nothing


def test_publishing_needs_a_time_and_keeps_it():
    moment = datetime(2012, 7, 27, 19, tzinfo=UTC)
    (post,) = add_posts([IncomingPost("Dated", publish_at=moment)], publish=True)
    assert post.status == Post.Status.PUBLISHED and post.publish_at == moment


def test_a_title_that_is_too_long_is_refused_and_nothing_is_written():
    with pytest.raises(ValidationError):
        add_posts([IncomingPost("Fine"), IncomingPost("x" * 300)])
    assert Post.objects.count() == 0
