"""Pages are emptied only where what they show changed: each page keeps the keys it showed."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.template.context_processors import csrf
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.page_cache import cache as page_cache
from cms.page_cache.dependencies import mark_changed
from cms.page_cache.kept import in_process, kept, page_started
from cms.page_cache.keys import list_key, object_key, recording
from cms.page_cache.models import ContentVersion
from films.models import Screening
from interviews.models import Interview, QuestionAnswer
from tests.factories import (
    FilmFactory,
    InterviewFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.CMS_PAGE_CACHE_ENABLED = True
    page_cache.cacheable_view.cache_clear()
    page_cache._down_until = 0.0


def x_cache(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Cache"]


def warm(client: Client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert x_cache(client, url) == "hit", url


def test_an_answer_edited_empties_its_interview_and_no_other_page(client):
    pair = QuestionAnswerFactory(answer="<p>First wording.</p>")
    other = InterviewFactory(title="Another talk")
    post = PostFactory()
    pages = [pair.interview.get_absolute_url(), other.get_absolute_url(), "/interviews/",
             post.get_absolute_url(), "/"]  # fmt: skip
    warm(client, *pages)
    pair = QuestionAnswer.objects.get(pk=pair.pk)  # as the admin loads it
    pair.answer = "<p>Second wording.</p>"
    pair.save()
    assert x_cache(client, pages[0]) == "miss"
    assert "Second wording" in client.get(pages[0]).content.decode()
    assert [x_cache(client, url) for url in pages[1:]] == ["hit"] * 4


def test_a_new_interview_empties_the_pages_listing_interviews_not_a_post(client):
    InterviewFactory(title="First talk")
    post = PostFactory()
    warm(client, "/interviews/", post.get_absolute_url())
    InterviewFactory(title="Second talk")
    assert x_cache(client, "/interviews/") == "miss"
    assert "Second talk" in client.get("/interviews/").content.decode()
    assert x_cache(client, post.get_absolute_url()) == "hit"


def test_a_list_read_empty_is_followed_too(client):
    film = FilmFactory()
    warm(client, film.get_absolute_url())
    ScreeningFactory(film=film)
    assert x_cache(client, film.get_absolute_url()) == "miss"


def test_unpublishing_through_a_bulk_update_empties_the_page_of_the_row(client):
    interview = InterviewFactory()
    warm(client, interview.get_absolute_url())
    Interview.objects.filter(pk=interview.pk).unpublish()
    assert client.get(interview.get_absolute_url()).status_code == 404


def test_a_text_edit_moves_the_row_and_a_change_of_status_moves_its_lists():
    interview = InterviewFactory()
    keys = [object_key(interview), list_key(Interview)]
    loaded = Interview.objects.get(pk=interview.pk)
    before = ContentVersion.tokens(keys)
    loaded.intro = "<p>A new introduction.</p>"
    loaded.save()
    after = ContentVersion.tokens(keys)
    assert after[keys[0]] != before[keys[0]] and after[keys[1]] == before[keys[1]]
    loaded.status = Interview.Status.DRAFT
    loaded.save()
    assert ContentVersion.tokens(keys)[keys[1]] != after[keys[1]]


def test_mark_changed_empties_the_pages_of_what_it_names(client):
    interview = InterviewFactory()
    warm(client, interview.get_absolute_url(), "/interviews/")
    mark_changed(interview)
    assert x_cache(client, interview.get_absolute_url()) == "miss"
    warm(client, "/blog/")
    mark_changed(Screening)
    assert x_cache(client, "/blog/") == "hit"


def test_a_change_committed_while_a_page_is_built_keeps_it_from_being_stored(client):
    interview = InterviewFactory()
    request = RequestFactory().get(interview.get_absolute_url())
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    lookup = page_cache.look_up(request)
    with recording() as keys:
        response = client.get(interview.get_absolute_url())  # the page, built
    page_cache.cache().delete(lookup.key)  # (the test client's own request kept it)
    mark_changed(interview)  # committed before the page's tokens are read
    lookup.keep(request, response, keys)
    assert page_cache.cached_page(lookup.key) is None


def test_each_page_is_kept_up_to_its_own_boundary():
    now = timezone.now()
    ScreeningFactory(starts_at=now + timedelta(minutes=10))
    version = ContentVersion.current()
    post_keys = {"blog.post:1", "blog.post:*"}
    screening_keys = {"films.screening:*", *post_keys}
    assert page_cache.seconds_to_keep(version, post_keys) == 600  # CMS_PAGE_CACHE_SECONDS
    assert 590 <= page_cache.seconds_to_keep(version, screening_keys) <= 600
    InterviewFactory(publish_at=now + timedelta(minutes=2))
    version = ContentVersion.current()
    assert page_cache.seconds_to_keep(version, post_keys) == 600
    assert 110 <= page_cache.seconds_to_keep(version, {"interviews.interview:*"}) <= 120


def test_a_page_built_across_a_go_live_is_not_kept_past_it():
    """The build reads the list before the moment; keeping it after would hide the page."""
    moment = timezone.now() + timedelta(seconds=1)
    InterviewFactory(title="Premieres soon", publish_at=moment)
    builds = []

    def build() -> list[str]:
        titles = list(Interview.objects.live().values_list("title", flat=True))
        builds.append(titles)
        while timezone.now() <= moment:  # a slow build: the moment comes meanwhile
            time.sleep(0.05)
        return titles

    assert kept("test-go-live", build) == []
    assert kept("test-go-live", build) == ["Premieres soon"]  # built again, not kept
    assert len(builds) == 2
    version = ContentVersion.current()
    before = moment - timedelta(seconds=1)
    assert page_cache.seconds_to_keep(version, {"interviews.interview:*"}, before) == 0
    assert page_cache.seconds_to_keep(version, {"interviews.interview:*"}) == 600


def test_a_part_begun_after_a_go_live_for_a_request_begun_before_it_is_not_kept():
    """A view's querysets read "now" as the request begins; a part built from them after the
    moment still shows the earlier moment (``page_started``, set by the page cache's
    middleware), so it must not be kept: the next request would be served the old list."""
    moment = timezone.now() + timedelta(seconds=0.5)
    InterviewFactory(title="Premieres soon", publish_at=moment)
    request_began = timezone.now()
    shown = Interview.objects.live()  # the view's queryset: its moment is taken here
    while timezone.now() <= moment:
        time.sleep(0.05)
    began = page_started.set(request_began)
    try:
        assert kept("test-late-part", lambda: list(shown.values_list("title", flat=True))) == []
    finally:
        page_started.reset(began)
    assert kept("test-late-part", lambda: ["built again"]) == ["built again"]


def test_a_value_kept_under_the_version_a_request_read_needs_no_check_of_its_own(
    django_assert_num_queries,
):
    """Nothing changed since ``*`` had the token this request read: a value kept under that
    token is current. Not once this request saves, and never outside a request (nothing
    there would forget the token when another process saves)."""
    posts = [list_key(PostFactory._meta.model)]  # what both values show; not interviews
    kept("test-first", lambda: "first", shows=posts)
    kept("test-second", lambda: "second", shows=posts)
    began = page_started.set(timezone.now())
    try:
        with django_assert_num_queries(1):  # the first value's check reads ``*``
            assert kept("test-first", lambda: "afresh", shows=posts) == "first"
            assert kept("test-second", lambda: "afresh", shows=posts) == "second"
        InterviewFactory()  # this request saves: ``*`` moves
        with django_assert_num_queries(1):  # checked again, and still current
            assert kept("test-second", lambda: "afresh", shows=posts) == "second"
    finally:
        page_started.reset(began)
    with django_assert_num_queries(1):
        assert kept("test-second", lambda: "afresh", shows=posts) == "second"


def test_a_copy_kept_in_process_is_served_without_the_cache_server_and_still_checked(
    django_assert_num_queries,
):
    """The process's own copy saves the trip to the cache server, never the check of its
    tokens: with the server emptied it is still served, for one query; once what it shows
    changes (as another process's save would change it), it is made afresh."""
    posts = [list_key(PostFactory._meta.model)]
    kept("test-value", lambda: "first", shows=posts)
    page_cache.cache().clear()  # as if the cache server had lost it
    with django_assert_num_queries(1):
        assert kept("test-value", lambda: "afresh", shows=posts) == "first"
    ContentVersion.move_on(posts)  # a post saved elsewhere
    assert kept("test-value", lambda: "second", shows=posts) == "second"
    assert kept("test-value", lambda: "third", shows=posts) == "second"


def test_a_newer_copy_another_process_kept_is_served_over_this_process_s_old_one(
    django_assert_num_queries,
):
    posts = [list_key(PostFactory._meta.model)]
    kept("test-value", lambda: "old", shows=posts)
    ContentVersion.move_on(posts)
    mine = in_process.entries.copy()
    in_process.clear()
    kept("test-value", lambda: "newer", shows=posts)  # "another process", sharing the server
    in_process.entries.update(mine)  # this process still holds its old copy
    with django_assert_num_queries(2):  # the old copy's check, then the newer one's
        assert kept("test-value", lambda: "built here", shows=posts) == "newer"


def test_copies_kept_in_process_stay_within_their_bytes(settings):
    """Least recently served first out; a value too large for the share is not held."""
    settings.CMS_KEPT_IN_PROCESS_BYTES = 8000
    posts = [list_key(PostFactory._meta.model)]
    for name in ("a", "b", "c"):
        kept(name, lambda: "x" * 900, shows=posts)
    kept("a", lambda: "afresh", shows=posts)  # served: now the most recent
    kept("big", lambda: "x" * 1001, shows=posts)  # more than an eighth of the bytes
    for name in ("d", "e", "f", "g", "h", "i"):
        kept(name, lambda: "x" * 900, shows=posts)
    assert set(in_process.entries) == {"a", "c", *"defghi"}  # "b" out first
    assert in_process.size == 8 * 900 <= settings.CMS_KEPT_IN_PROCESS_BYTES


def test_http_caches_are_told_how_long_and_what_a_page_shows(client, settings, editor):
    settings.CMS_HTTP_CACHE_HEADERS = True
    now = timezone.now()
    interview = InterviewFactory()
    InterviewFactory(publish_at=now + timedelta(minutes=5))
    response = client.get(interview.get_absolute_url())
    control = response["Cache-Control"]
    assert control.startswith("public, max-age=0, s-maxage=") and "must-revalidate" in control
    assert 290 <= int(control.split("s-maxage=")[1].split(",")[0]) <= 300
    shown = response["xkey"].split()
    assert object_key(interview) in shown and list_key(Interview) in shown
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Cache-Tag"] == ",".join(shown)
    hit = client.get(interview.get_absolute_url())
    assert hit["X-Cache"] == "hit" and "s-maxage=" in hit["Cache-Control"]
    client.force_login(editor)
    staff = client.get(interview.get_absolute_url())
    assert "private" in staff["Cache-Control"] and "xkey" not in staff
    assert "private" in client.get("/admin/")["Cache-Control"]


def test_without_http_caches_no_keys_are_published(client):
    response = client.get(InterviewFactory().get_absolute_url())
    assert "xkey" not in response and "s-maxage" not in response.get("Cache-Control", "")


FRAGMENT = Template(
    "{% load page_cache %}{% fragment 'answers' interview %}"
    "{% for pair in interview.pairs.all %}{{ pair.answer|safe }}{% endfor %}{% endfragment %}"
)


def test_a_fragment_is_kept_until_a_row_shown_inside_changes(django_assert_num_queries):
    pair = QuestionAnswerFactory(answer="<p>Kept words.</p>")
    interview = Interview.objects.get(pk=pair.interview_id)
    url = interview.get_absolute_url()
    assert "Kept words" in FRAGMENT.render(Context({"interview": interview,
                                                    "request": page_request(url)}))  # fmt: skip
    fresh = Interview.objects.get(pk=pair.interview_id)
    request = page_request(url)
    with django_assert_num_queries(1), recording() as keys:  # the tokens; no pairs read
        assert "Kept words" in FRAGMENT.render(Context({"interview": fresh, "request": request}))
    assert {object_key(pair), object_key(interview)} <= keys  # the page shows them too
    pair = QuestionAnswer.objects.get(pk=pair.pk)
    pair.answer = "<p>New words.</p>"
    pair.save()
    context = Context({"interview": fresh, "request": page_request(url)})
    assert "New words" in FRAGMENT.render(context)


def test_a_fragment_is_neither_kept_nor_served_on_a_preview(editor):
    """A share link or a preview shows the same objects with other addresses."""
    pair = QuestionAnswerFactory(answer="<p>Kept words.</p>")
    interview = Interview.objects.get(pk=pair.interview_id)
    url = interview.get_absolute_url()
    FRAGMENT.render(Context({"interview": interview, "request": page_request(url, editor)}))
    request = page_request(url)
    with CaptureQueriesContext(connection) as queries:
        FRAGMENT.render(Context({"interview": interview, "request": request}))
    assert any("interviews_questionanswer" in query["sql"] for query in queries)  # afresh


def test_fragments_can_be_switched_off(settings, django_assert_num_queries):
    settings.CMS_FRAGMENT_CACHE_ENABLED = False
    pair = QuestionAnswerFactory()
    interview = Interview.objects.get(pk=pair.interview_id)
    FRAGMENT.render(Context({"interview": interview}))
    fresh = Interview.objects.get(pk=pair.interview_id)
    with django_assert_num_queries(1):  # the pairs, every time
        FRAGMENT.render(Context({"interview": fresh}))


def test_a_fragment_follows_the_rows_loaded_with_its_object_before_it_began():
    pair = QuestionAnswerFactory(answer="<p>Words.</p>")
    film = pair.interview.film
    template = Template(
        "{% load page_cache %}{% fragment 'film' interview %}{{ interview.film.title }}"
        "{% endfragment %}"
    )
    url = pair.interview.get_absolute_url()
    loaded = Interview.objects.select_related("film").get(pk=pair.interview_id)
    assert film.title in template.render(Context({"interview": loaded,
                                                  "request": page_request(url)}))  # fmt: skip
    film.title = "A New Title"
    film.save()
    again = Interview.objects.select_related("film").get(pk=pair.interview_id)
    context = Context({"interview": again, "request": page_request(url)})
    assert "A New Title" in template.render(context)


PAGE_PART = Template(
    "{% load page_cache %}{% page_part 'main' %}"
    "{% for pair in interview.pairs.all %}{{ pair.answer|safe }}{% endfor %}{% endpage_part %}"
)


def page_request(path: str, user=None):
    request = RequestFactory().get(path)
    request.user = user or type("Anonymous", (), {"is_authenticated": False})()
    page_cache.look_up(request)
    return request


def test_a_page_part_is_kept_per_page_for_anonymous_views_only(editor, django_assert_num_queries):
    pair = QuestionAnswerFactory(answer="<p>Kept words.</p>")
    interview = Interview.objects.get(pk=pair.interview_id)
    url = interview.get_absolute_url()
    PAGE_PART.render(Context({"interview": interview, "request": page_request(url)}))
    again = page_request(url)
    with django_assert_num_queries(1):  # the tokens: the pairs are not read
        html = PAGE_PART.render(Context({"interview": interview, "request": again}))
    assert "Kept words" in html
    staff = page_request(url, user=editor)
    assert staff.page_key is None
    with django_assert_num_queries(1):  # the pairs: an editor's page is built for them
        PAGE_PART.render(Context({"interview": interview, "request": staff}))
    search = page_request("/search/")
    with django_assert_num_queries(1):  # a page never shared (search) is not kept either
        PAGE_PART.render(Context({"interview": interview, "request": search}))


def test_a_page_part_holding_a_form_token_is_never_kept():
    form = Template(
        "{% load page_cache %}{% page_part 'main' %}<form method=post>{% csrf_token %}</form>"
        "{% for pair in interview.pairs.all %}{{ pair.answer|safe }}{% endfor %}{% endpage_part %}"
    )
    interview = QuestionAnswerFactory(answer="<p>Words.</p>").interview
    url = interview.get_absolute_url()
    tokens = []
    for _ in range(2):
        request = page_request(url)
        context = Context({"interview": interview, "request": request, **csrf(request)})
        assert "Words" in form.render(context)
        tokens.append(request.META["CSRF_COOKIE"])  # each viewer's own, in their page
    assert tokens[0] != tokens[1]


def test_a_page_part_without_a_form_is_kept(django_assert_num_queries):
    part = Template(
        "{% load page_cache %}{% page_part 'main' %}"
        "{% for pair in interview.pairs.all %}{{ pair.answer|safe }}{% endfor %}{% endpage_part %}"
    )
    interview = QuestionAnswerFactory(answer="<p>Words.</p>").interview
    url = interview.get_absolute_url()
    request = page_request(url)
    part.render(Context({"interview": interview, "request": request, **csrf(request)}))
    request = page_request(url)
    with django_assert_num_queries(1):
        part.render(Context({"interview": interview, "request": request, **csrf(request)}))


def test_words_about_a_picture_move_only_the_picture():
    from cms.media.models import Image
    from tests.factories import ImageFactory

    image = Image.objects.get(pk=ImageFactory().pk)
    keys = [object_key(image), list_key(Image)]
    before = ContentVersion.tokens(keys)
    image.alt_text = "A new description"
    image.caption = "A new caption"
    image.save()
    after = ContentVersion.tokens(keys)
    assert after[keys[0]] != before[keys[0]] and after[keys[1]] == before[keys[1]]
