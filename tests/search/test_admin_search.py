"""The admin's search box finds words the site's index holds: answers, captions, bodies.

Runs on SQLite (FTS5) and, with DATABASE_URL set, on PostgreSQL (tsvector).
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from blog.models import Post
from cms import admin_search
from cms.admin_search import register_admin_search, unregister_admin_search
from interviews.models import Interview
from search.admin_search import matching_pks
from tests.factories import (
    FigureFactory,
    FilmFactory,
    InterviewFactory,
    PostFactory,
    QuestionAnswerFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, model, q: str) -> list[str]:
    """The titles of the admin list's rows for search ``q``, in order, repeats kept."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(strip=True) for cell in soup.select("#result_list tbody th")]


@pytest.fixture
def without_index():
    """The admin's search as Django alone does it, for comparison."""
    unregister_admin_search(matching_pks)
    yield
    register_admin_search(matching_pks)


def test_the_search_app_fills_the_kits_admin_search():
    assert admin_search._lookups == [matching_pks]
    register_admin_search(matching_pks)  # a second ready() adds nothing
    assert admin_search._lookups == [matching_pks]


def test_an_interview_is_found_by_a_word_only_in_an_answer(admin_client, committed):
    with committed():
        interview = InterviewFactory(title="On the road", film=None, status="draft")
        QuestionAnswerFactory(interview=interview, question="Where?", answer="<p>Kathmandu.</p>")
        InterviewFactory(title="Elsewhere", film=None)
    assert listed(admin_client, Interview, "kathmandu") == ["On the road"]


def test_without_the_index_the_answer_word_is_not_found(admin_client, committed, without_index):
    with committed():
        interview = InterviewFactory(title="On the road", film=None)
        QuestionAnswerFactory(interview=interview, answer="<p>Kathmandu.</p>")
    assert listed(admin_client, Interview, "kathmandu") == []


def test_an_interview_is_found_by_a_figure_caption(admin_client, committed):
    with committed():
        interview = InterviewFactory(title="With photo", film=None)
        FigureFactory(interview=interview, caption="A marmot on the ridge")
    assert listed(admin_client, Interview, "marmot") == ["With photo"]


def test_a_post_is_found_by_another_form_of_a_word_in_its_body(admin_client, committed):
    """Django's ``icontains`` on the body misses "filming" for "filmed"; the stemmed index not."""
    with committed():
        PostFactory(title="Crew news", body="<p>They <em>filmed</em> in Beijing.</p>")
        PostFactory(title="Other news")
    assert listed(admin_client, Post, "filming beijing") == ["Crew news"]


def test_djangos_own_field_search_still_finds_parts_of_words(admin_client, committed):
    """The index matches whole words; ``icontains`` on the search fields, parts of them."""
    with committed():
        InterviewFactory(title="Zanzibar notes", film=None)
        PostFactory(title="Post title", dek="From Zanzibar.")
    assert matching_pks(Interview, "zanzib").count() == 0
    assert listed(admin_client, Interview, "zanzib") == ["Zanzibar notes"]
    assert listed(admin_client, Post, "zanzib") == ["Post title"]


def test_a_row_found_both_ways_and_through_many_pairs_is_listed_once(admin_client, committed):
    with committed():
        interview = InterviewFactory(title="Lhasa diaries", film=None)
        for _ in range(3):  # pairs__question, a search field, would repeat the row
            QuestionAnswerFactory(interview=interview, question="Lhasa again?")
    assert listed(admin_client, Interview, "lhasa") == ["Lhasa diaries"]


def test_every_word_must_match_somewhere_in_the_page(admin_client, committed):
    with committed():
        first = InterviewFactory(title="First", film=None)
        QuestionAnswerFactory(interview=first, answer="<p>Yaks and snow.</p>")
        second = InterviewFactory(title="Second", film=None)
        QuestionAnswerFactory(interview=second, answer="<p>Yaks only.</p>")
    assert listed(admin_client, Interview, "yaks snow") == ["First"]
    assert sorted(listed(admin_client, Interview, "yaks")) == ["First", "Second"]


def test_list_filters_still_apply_to_rows_the_index_finds(admin_client, committed):
    with committed():
        film = FilmFactory(title="Never Sorry")
        for title, about in (("About it", film), ("Not about it", None)):
            interview = InterviewFactory(title=title, film=about)
            QuestionAnswerFactory(interview=interview, answer="<p>Porcelain seeds.</p>")
    url = reverse("admin:interviews_interview_changelist")
    response = admin_client.get(url, {"q": "porcelain", "film__id__exact": film.pk})
    soup = BeautifulSoup(response.content, "html.parser")
    assert [th.get_text(strip=True) for th in soup.select("#result_list tbody th")] == ["About it"]


def test_the_search_is_one_query_with_the_index_as_a_subquery(
    committed, django_assert_num_queries, admin_user
):
    with committed():
        for n in range(3):
            interview = InterviewFactory(title=f"Interview {n}", film=None)
            QuestionAnswerFactory(interview=interview, answer="<p>Sunflower seeds.</p>")
    model_admin = site._registry[Interview]
    request = RequestFactory().get("/admin/interviews/interview/", {"q": "sunflower"})
    request.user = admin_user
    queryset, may_have_duplicates = model_admin.get_search_results(
        request, model_admin.get_queryset(request), "sunflower"
    )
    assert may_have_duplicates is False
    with django_assert_num_queries(1):
        assert len(list(queryset)) == 3


def test_the_list_costs_as_many_queries_with_the_index_as_without(
    admin_client, committed, django_assert_num_queries
):
    with committed():
        interview = InterviewFactory(title="Counted", film=None)
        QuestionAnswerFactory(interview=interview, question="Sunflower?")
    url = reverse("admin:interviews_interview_changelist")
    admin_client.get(url)  # warm the session and content types
    unregister_admin_search(matching_pks)
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as plain:
            admin_client.get(url, {"q": "sunflower"})
    finally:
        register_admin_search(matching_pks)
    with django_assert_num_queries(len(plain)):
        admin_client.get(url, {"q": "sunflower"})


@pytest.mark.parametrize(
    "text",
    ['"', 'NEAR(a b)', "*", "a OR", "-", "-excluded", "title:x", "'; DROP TABLE x; --", "^a",
     "\x00", "é" * 300, "(", ")", "AND", '"unclosed phrase'],
)  # fmt: skip
def test_any_text_in_the_box_answers_a_normal_list(admin_client, committed, text):
    with committed():
        InterviewFactory(title="Still here", film=None)
    count = Interview.objects.count()
    listed(admin_client, Interview, text)
    assert Interview.objects.count() == count


def test_words_that_hold_nothing_to_search_leave_djangos_search_alone():
    assert matching_pks(Interview, "-excluded") is None
    assert matching_pks(Interview, "!!! ???") is None


def test_a_model_that_is_not_indexed_is_left_to_djangos_search():
    from cms.media.models import Image

    assert matching_pks(Image, "marmot") is None
