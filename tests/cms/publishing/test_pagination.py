"""List pages count the live rows only as far as the next few pages: flat at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from cms.publishing.views import LivePaginator
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_count_reads_no_further_than_a_few_pages_past_the_one_asked_for():
    PostFactory.create_batch(30)
    paginator = LivePaginator(Post.objects.live(), 2, asked_page=1)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == (1 + LivePaginator.lookahead) * 2 + 1
    assert "LIMIT 13" in queries[0]["sql"]
    assert paginator.count_is_capped
    assert not LivePaginator(Post.objects.live(), 2, asked_page=14).count_is_capped
    assert LivePaginator(Post.objects.live(), 2, asked_page="last").count == 30


def test_a_long_list_says_page_n_without_a_made_up_total(client):
    PostFactory.create_batch(10 * (1 + LivePaginator.lookahead) + 1)  # blog: 10 a page
    first = client.get("/blog/").content.decode()
    assert "<span>Page 1</span>" in first
    assert 'rel="next"' in first
    last = client.get("/blog/?page=7").content.decode()
    assert "<span>Page 7 of 7</span>" in last
    assert 'rel="next"' not in last
    assert client.get("/blog/?page=8").status_code == 404


def test_a_short_list_gives_its_total(client):
    PostFactory.create_batch(11)
    assert "<span>Page 1 of 2</span>" in client.get("/blog/").content.decode()
