"""``count_up_to``: how many live rows there are, read no further than a list page needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_count_up_to_stops_at_its_limit_and_counts_live_rows_only():
    PostFactory.create_batch(5)
    PostFactory(status="draft", publish_at=None)
    assert Post.objects.live().count_up_to(3) == 3
    assert Post.objects.live().count_up_to(100) == 5


def test_count_up_to_is_one_query_that_reads_at_most_its_limit():
    PostFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        Post.objects.live().order_by("title").count_up_to(2)
    assert len(queries) == 1
    assert "LIMIT 2" in queries[0]["sql"]
    assert "title" not in queries[0]["sql"]  # no sort of rows it does not return
