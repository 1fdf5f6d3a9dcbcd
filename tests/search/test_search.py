"""Site search: stemming, phrases, ranking, highlighting, filters and pages, on both databases.

Every test here runs on SQLite (FTS5) and on PostgreSQL (tsvector and GIN) in `make test`.
"""

import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.page_cache.models import ContentVersion
from films.models import Film, Screening
from interviews.models import Interview
from search.backends import SearchResults, hidden_entries
from search.documents import index
from search.models import SearchEntry
from search.query import parse
from tests.factories import (
    CreditFactory,
    FilmFactory,
    InterviewFactory,
    PersonFactory,
    PostFactory,
    QuestionAnswerFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db


def found(text: str, kind: str | None = None) -> list[str]:
    """Plain titles of every result, best first."""
    results = SearchResults(parse(text), kind)
    return [BeautifulSoup(hit.title, "html.parser").get_text() for hit in results[0 : len(results)]]


def planner_settings() -> int:
    """Statements a search adds around its candidates on PostgreSQL: the planner's settings
    (``search.backends.PG_CANDIDATES_SETTINGS``), and inside a transaction (as a test is)
    the savepoint that undoes them, and the rollback to it."""
    if connection.vendor != "postgresql":
        return 0
    return 3 if connection.in_atomic_block else 1


def page(client, **params) -> BeautifulSoup:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_demo_interview_is_found_by_sundance_and_courage_with_highlighted_answers(
    client, indexed_demo
):
    for word in ("Sundance", "courage"):
        soup = page(client, q=word)
        results = soup.select(".result")
        interview = next(r for r in results if "Alison Klayman on Filming Ai Weiwei" in r.text)
        marks = [mark.get_text().lower() for mark in interview.select(".result__snippet mark")]
        assert word.lower() in marks
        link = interview.select_one(".result__title a")["href"]
        assert link.startswith("/interviews/alison-klayman-on-filming-ai-weiwei/#")
        assert "From the answer to" in interview.select_one(".kicker").text
    assert "1 result for “courage”" in soup.select_one(".search__summary").text


def test_answer_link_points_at_the_pair_that_holds_the_words(client, committed):
    with committed():
        interview = InterviewFactory(title="On the road")
        QuestionAnswerFactory(interview=interview, question="Where?", answer="<p>In Ohio.</p>")
        pair = QuestionAnswerFactory(
            interview=interview, question="Who helped?", answer="<p>A ferryman named Otto.</p>"
        )
    soup = page(client, q="ferryman")
    href = soup.select_one(".result__title a")["href"]
    assert href == f"{interview.get_absolute_url()}#{pair.anchor}"


def test_stemming_finds_other_forms_of_a_word(committed):
    with committed():
        interview = InterviewFactory(title="A conversation")
        QuestionAnswerFactory(interview=interview, answer="<p>We were filming every day.</p>")
    assert found("filmed", "interview") == ["A conversation"]
    assert found("films", "interview") == ["A conversation"]
    assert found("FILMING", "interview") == ["A conversation"]


def test_a_quoted_phrase_needs_its_words_together_and_in_order(committed):
    with committed():
        InterviewFactory(title="Together", intro="<p>Behind the red door stood a man.</p>")
        InterviewFactory(title="Apart", intro="<p>The door was not red at all.</p>")
    assert found('"red door"') == ["Together"]
    assert sorted(found("red door")) == ["Apart", "Together"]


def test_or_and_minus_widen_and_narrow(committed):
    with committed():
        InterviewFactory(title="About lions", intro="<p>Lions.</p>", film=None)
        InterviewFactory(title="About tigers", intro="<p>Tigers.</p>", film=None)
    assert sorted(found("lions OR tigers")) == ["About lions", "About tigers"]
    assert found("about -tigers") == ["About lions"]


def test_a_match_in_the_title_ranks_above_one_in_an_answer(committed):
    with committed():
        in_answer = InterviewFactory(title="A long talk")
        QuestionAnswerFactory(
            interview=in_answer, answer="<p>Later we went to the harbour at dawn.</p>"
        )
        InterviewFactory(title="The harbour", intro="<p>An introduction.</p>")
    assert found("harbour") == ["The harbour", "A long talk"]


def test_every_kind_of_content_is_searchable(committed):
    with committed():
        film = FilmFactory(title="Salt Lines", logline="Tides and salt.")
        CreditFactory(film=film, person=PersonFactory(name="Marisol Quintero", slug="mq"))
        ScreeningFactory(film=film, venue="Riverside Cinematheque", city="Lowell")
        InterviewFactory(film=film, title="Making the tides speak")
        PostFactory(title="Tides of news", related_film=film)
    assert found("Quintero", "person") == ["Marisol Quintero"]
    assert found("Cinematheque") == ["Salt Lines"]  # the screening, under its film's title
    assert set(found("tides")) == {"Salt Lines", "Making the tides speak", "Tides of news"}
    assert found("Lowell", "screening") == ["Salt Lines"]


@pytest.mark.parametrize(
    "state",
    [
        {"status": "draft", "publish_at": None},
        {"publish_at": "future"},
        {"expire_at": "past"},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_content_viewers_cannot_see_is_never_found(committed, state):
    now = timezone.now()
    when = {"future": now + timedelta(days=1), "past": now - timedelta(hours=1)}
    values = {key: when.get(value, value) for key, value in state.items()}
    with committed():
        film = FilmFactory(title="Hidden film zebra", **values)
        CreditFactory(film=film, person=PersonFactory(name="Zebra Person", slug="zp"))
        ScreeningFactory(film=film, venue="Zebra Hall")
        InterviewFactory(title="Hidden interview zebra", film=None, **values)
        PostFactory(title="Hidden post zebra", **values)
    assert SearchEntry.objects.count() == 5  # all indexed...
    assert found("zebra") == []  # ...none visible
    assert SearchResults(parse("zebra")).facets == {}


def test_publishing_and_scheduled_times_take_effect_without_reindexing(committed):
    with committed():
        interview = InterviewFactory(title="Quokka days", status="draft", publish_at=None)
    assert found("quokka") == []
    # A plain UPDATE sends no signal: search must follow the row, not the index.
    Interview.objects.filter(pk=interview.pk).update(
        status="published", publish_at=timezone.now() + timedelta(minutes=5)
    )
    assert found("quokka") == []
    Interview.objects.filter(pk=interview.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )
    assert found("quokka") == ["Quokka days"]
    Interview.objects.filter(pk=interview.pk).update(expire_at=timezone.now())
    assert found("quokka") == []


def test_edits_and_deletions_reach_the_index_at_once(committed):
    with committed():
        interview = InterviewFactory(title="Edited")
        pair = QuestionAnswerFactory(interview=interview, answer="<p>The otter swam.</p>")
    assert found("otter") == ["Edited"]
    with committed():
        pair.answer = "<p>The beaver swam.</p>"
        pair.save()
    assert found("otter") == []
    assert found("beaver") == ["Edited"]
    with committed():
        interview.tags.add("Wetlands")
    assert found("wetlands") == ["Edited"]
    with committed():
        ScreeningFactory(film=interview.film, title="")  # titled after its film
        interview.film.title = "Riverbank"
        interview.film.save()
    assert found("riverbank", "screening") == ["Riverbank"]
    with committed():
        interview.delete()
    assert found("beaver") == []
    assert not SearchEntry.objects.filter(kind="interview").exists()


def test_a_rolled_back_save_never_reaches_the_index(committed):
    from django.db import transaction

    with committed():
        interview = InterviewFactory(title="Kept")
        try:
            with transaction.atomic():
                interview.title = "Lost narwhal"
                interview.save()
                raise RuntimeError("the save fails")
        except RuntimeError:
            pass
    assert found("narwhal") == []
    assert found("kept") == ["Kept"]


def test_html_in_content_is_escaped_and_only_marks_are_markup(client, committed):
    with committed():
        InterviewFactory(title="<script>alert(1)</script> walrus", intro="<p>walrus &amp; co</p>")
    soup = page(client, q="walrus")
    title = soup.select_one(".result__title a")
    assert title.find("script") is None
    assert "<script>alert(1)</script>" in title.get_text()
    assert [tag.name for tag in title.find_all(True)] == ["mark"]
    assert soup.select_one(".result__snippet").get_text() == "walrus & co"


def test_type_filter_facets_and_an_unknown_type(client, committed):
    with committed():
        film = FilmFactory(title="Heron film")
        InterviewFactory(title="Heron talk", film=film)
        PostFactory(title="Heron news")
    soup = page(client, q="heron", type="post")
    assert [r.select_one(".result__title").text for r in soup.select(".result")] == ["Heron news"]
    facets = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".facets a")}
    assert facets == {
        "Everything (3)": "?q=heron",
        "Interviews (1)": "?q=heron&type=interview",
        "Films (1)": "?q=heron&type=film",
        "News (1)": "?q=heron&type=post",
    }
    soup = page(client, q="heron", type="spaceship")
    assert "not one we know" in soup.select_one(".notice").text
    assert len(soup.select(".result")) == 3


def test_results_come_a_page_at_a_time(client, committed):
    with committed():
        for n in range(25):
            InterviewFactory(title=f"Pelican {n}")
    soup = page(client, q="pelican")
    assert len(soup.select(".result")) == 10
    assert "25 results" in soup.select_one(".search__summary").text
    assert soup.select_one(".pagination").get_text(" ", strip=True).startswith("Page 1 of 3")
    third = page(client, q="pelican", page=3)
    assert len(third.select(".result")) == 5
    assert third.select_one(".results")["start"] == "21"
    titles = {r.select_one(".result__title").text for p in (1, 2, 3)
              for r in page(client, q="pelican", page=p).select(".result")}  # fmt: skip
    assert len(titles) == 25
    assert len(page(client, q="pelican", page="abc").select(".result")) == 10
    assert len(page(client, q="pelican", page="999").select(".result")) == 5


BAD_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "film " * 2_000,
    "!!!?.,;:",
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "film*",
    "NEAR",
    "NEAR(film sorry)",
    "OR(",
    "OR",
    "AND",
    "NOT film",
    "film AND",
    "-",
    "--",
    "-film",
    "(((",
    "title:film",
    "^film",
    "' OR 1=1; --",
    "'; DROP TABLE search_searchentry; --",
    "\x00film",
    "film\x00",
    "\ue000film\ue001",
    "‮ émigré ™ 日本 🎬",
    "a" * 300 + " film",
]


@pytest.mark.parametrize("text", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
def test_any_query_text_answers_a_normal_page(client, indexed_demo, text):
    soup = page(client, q=text)
    assert soup.select_one("h1").text == "Search"
    assert SearchEntry.objects.count() == 14  # nothing written, nothing dropped
    assert all(tag.name == "mark" for tag in soup.select(".result__snippet *, .result__title a *"))


def test_a_query_that_is_not_utf8_answers_a_normal_page(client, indexed_demo):
    response = client.get("/search/?q=%ED%A0%80%FF%FEsundance&type=%FF")
    assert response.status_code == 200
    assert (
        "result"
        in BeautifulSoup(response.content, "html.parser").select_one(".search__summary").text
    )


def test_queries_with_no_words_ask_for_one(client, indexed_demo):
    assert "Type at least one word" in page(client, q="!!!").text
    assert "Type at least one word" in page(client, q="-film").text
    assert "result" not in page(client).text.lower()


def test_a_very_long_query_is_cut_and_says_so(client, indexed_demo):
    soup = page(client, q="sundance " + "x" * 10_000)
    assert "only its beginning was used" in soup.select_one(".notice").text
    assert len(soup.select_one("#search-q")["value"]) <= 256


def test_the_search_page_is_kept_out_of_search_engines(client, indexed_demo):
    soup = page(client, q="sundance")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex, follow"


def test_fixtures_and_the_rebuild_command_index_everything(indexed_demo):
    assert SearchEntry.objects.count() == 14
    before = set(SearchEntry.objects.values_list("kind", "object_id", "title", "body"))
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title", "body")) == before
    assert found("courage") == ["Alison Klayman on Filming Ai Weiwei"]


def test_the_database_has_its_full_text_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_entry_fts'")
            assert "fts5" in cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'"
            )
            assert "USING gin (search_vector)" in cursor.fetchone()[0]


def test_a_draft_films_title_is_not_revealed_through_other_entries(committed):
    with committed():
        secret = FilmFactory(title="Secretproject", status="draft", publish_at=None)
        InterviewFactory(title="Open talk", film=secret)
        PostFactory(title="Open news", related_film=secret)
        person = PersonFactory(name="Someone Known", slug="someone")
        CreditFactory(film=secret, person=person)
        CreditFactory(film=FilmFactory(title="Public film"), person=person)
    assert found("secretproject") == []
    assert found("someone", "person") == ["Someone Known"]


def test_renamed_and_deleted_tags_reach_the_index(committed):
    from taggit.models import Tag

    with committed():
        interview = InterviewFactory(title="Tagged", film=None)
        interview.tags.add("Lighthouses")
    tag = Tag.objects.get(name="Lighthouses")
    with committed():
        tag.name = "Beacons"
        tag.save()
    assert found("lighthouses") == []
    assert found("beacons") == ["Tagged"]
    with committed():
        tag.delete()
    assert found("beacons") == []


def test_a_new_photo_caption_reaches_the_interviews_that_show_it(committed):
    from tests.factories import FigureFactory

    with committed():
        figure = FigureFactory(interview=InterviewFactory(title="With photo", film=None))
        figure.image.caption = "A marmot on the ridge"
        figure.image.save()
    assert found("marmot") == ["With photo"]


def test_clearing_from_the_other_side_reaches_the_index(committed):
    with committed():
        person = PersonFactory(name="Ottoline Quist", slug="oq")
        interview = InterviewFactory(title="With Ottoline", film=None)
        interview.interviewees.add(person)
    assert found("quist", "interview") == ["With Ottoline"]
    with committed():
        person.interviews.clear()
    assert found("quist", "interview") == []


def test_a_revert_through_history_reaches_the_index(committed):
    import reversion
    from reversion.models import Version

    with committed():
        film = FilmFactory(title="Old name")
        ScreeningFactory(film=film, title="")
        with reversion.create_revision():
            film.save()
        film.title = "New name"
        film.save()
    assert found("new name", "screening") == ["New name"]
    with committed():
        Version.objects.get_for_object(film).first().revision.revert()
    assert found('"old name"', "screening") == ["Old name"]


def test_lowercase_or_is_a_word_on_both_databases(committed):
    with committed():
        InterviewFactory(title="Salt", film=None)
        InterviewFactory(title="Pepper", film=None)
    assert found("salt or pepper") == []
    assert sorted(found("salt OR pepper")) == ["Pepper", "Salt"]


def test_the_parser_caps_clauses_however_they_are_joined():
    for text in ("w " * 40, "w OR " * 40, "-w " * 40):
        parsed = parse(text)
        assert parsed.shortened
        assert sum(len(g) for g in parsed.groups) + len(parsed.excluded) <= 16


def test_past_the_bound_counts_say_more_and_pages_hold_the_first_ranked(
    client, committed, monkeypatch
):
    """A common word is neither counted nor ranked to the end: past ``most`` it says so."""
    with committed():
        for n in range(5):
            InterviewFactory(title=f"Ibis {n}", film=None)
        PostFactory(title="Ibis news")
    monkeypatch.setattr(SearchResults, "most", 3)
    results = SearchResults(parse("ibis"))
    # Kinds are counted among the first most + 1 matches (the newest first on SQLite).
    assert sum(results.facets.values()) == 4 and not results.facets_exact
    assert results.more and len(results) == 3
    assert len(results[0:10]) == 3
    soup = page(client, q="ibis")
    summary = soup.select_one(".search__summary").text
    assert summary.startswith("More than 3 results for “ibis”")
    assert "Only the first 3 found are ranked and shown" in summary
    facets = [a.get_text(" ", strip=True) for a in soup.select(".facets a")]
    assert facets[0] == "Everything (3+)"
    assert all(facet.endswith("+)") for facet in facets)  # each kind has at least that many
    assert len(soup.select(".result")) == 3
    news = SearchResults(parse("ibis"), "post")
    assert not news.more and len(news) == 1 and len(news[0:10]) == 1
    facets = [a.get_text(" ", strip=True) for a in page(client, q="ibis", type="post").select(
        ".facets a")]  # fmt: skip
    assert "News (1)" in facets  # the chosen kind is counted by itself, exactly


def test_past_the_bound_the_first_matches_are_ranked_and_no_other_is_scored(committed, monkeypatch):
    """Both databases score only the first ``most`` visible matches their index gives (the
    newest first on SQLite, the table's order on PostgreSQL) and show them best first: ranking
    every match of a common word costs a hundred milliseconds and more at 100,000."""
    with committed():
        InterviewFactory(title="Avocet Avocet", intro="<p>Avocet, avocet.</p>", film=None)
        for n in range(6):
            InterviewFactory(title=f"Marsh walk {n}", intro="<p>We saw an avocet.</p>", film=None)
    monkeypatch.setattr(SearchResults, "most", 3)
    results = SearchResults(parse("avocet"))
    assert results.more
    hits = results[0:3]
    assert len(hits) == 3
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits)
    first = {row[0] for row in results._found[:3]}
    assert {hit.id for hit in hits} == first  # the page ranks the first three, nothing else
    if connection.vendor == "sqlite":
        assert first == set(SearchEntry.objects.order_by("-id").values_list("id", flat=True)[:3])


def test_a_film_taken_down_hides_its_screenings_resources_and_people_at_once(committed):
    with committed():
        film = FilmFactory(title="Gannet film")
        CreditFactory(film=film, person=PersonFactory(name="Gannet Person", slug="gp"))
        ScreeningFactory(film=film, venue="Gannet Hall", title="")
    assert sorted(found("gannet")) == ["Gannet Person", "Gannet film", "Gannet film"]
    # A plain UPDATE, as the admin's bulk "unpublish" does: no signal, no re-indexing.
    Film.objects.filter(pk=film.pk).update(status="draft")
    assert found("gannet") == []
    Film.objects.filter(pk=film.pk).update(status="published")
    assert len(found("gannet")) == 3
    Film.objects.filter(pk=film.pk).update(expire_at=timezone.now())
    assert found("gannet") == []


def test_a_page_timed_to_its_films_premiere_is_found_from_that_moment(committed):
    now = timezone.now()
    with committed():
        film = FilmFactory(title="Shag film")
        premiere = ScreeningFactory(film=film, kind="broadcast", starts_at=now + timedelta(hours=2))
        InterviewFactory(title="Shag talk", film=film, premiere_offset_hours=-1)
    assert found("shag", "interview") == []  # live an hour before a premiere two hours away
    Screening.objects.filter(pk=premiere.pk).update(starts_at=now + timedelta(minutes=59))
    assert found("shag", "interview") == ["Shag talk"]  # the premiere moved: no re-indexing
    Screening.objects.filter(pk=premiere.pk).update(status="cancelled")
    assert found("shag", "interview") == []  # no premiere, not live


def test_the_kind_is_not_searched_as_a_word(committed):
    with committed():
        InterviewFactory(title="Curlew", film=FilmFactory(title="Godwit"))
        ScreeningFactory(film=FilmFactory(title="Dunlin"), venue="Knot Hall")
    assert found("screening") == []
    assert found("interview") == []
    assert sorted(found("curlew OR godwit OR dunlin", "film")) == ["Dunlin", "Godwit"]
    assert found("knot", "screening") == ["Dunlin"]
    assert found("knot", "interview") == []


def test_a_search_takes_three_queries_however_many_kinds_match(
    committed, django_assert_num_queries
):
    with committed():
        film = FilmFactory(title="Plover film")
        InterviewFactory(title="Plover talk", film=film)
        PostFactory(title="Plover news")
    hidden_entries()  # listed, then kept while nothing changes
    results = SearchResults(parse("plover -sandpiper"))
    # The token of "*" (under which the entries left out are kept), the kinds of the first
    # matches (on PostgreSQL, after its planner's setting), then one ranked page.
    with django_assert_num_queries(3 + planner_settings()):
        assert len(results) == 3
        hits = results[0:10]
    assert {hit.kind for hit in hits} == {"interview", "film", "post"}
    assert all("<mark>Plover</mark>" in hit.title for hit in hits)


def test_the_entries_left_out_are_listed_once_until_something_changes(
    committed, django_assert_num_queries
):
    with committed():
        FilmFactory(title="Godwit shown")
        draft = FilmFactory(title="Godwit draft", status=Film.Status.DRAFT)
        later = FilmFactory(title="Godwit later", publish_at=timezone.now() + timedelta(hours=1))
        orphan = SearchEntry.objects.create(kind="retired", object_id=1, title="Godwit retired")
    entries = dict(SearchEntry.objects.filter(kind="film").values_list("object_id", "id"))
    assert hidden_entries().ids == sorted([entries[draft.pk], entries[later.pk], orphan.pk])
    assert found("godwit") == ["Godwit shown"]
    # The token of "*", under which the list is kept (not made again), the matches (on
    # PostgreSQL, after its planner's setting), the page.
    with django_assert_num_queries(3 + planner_settings()):
        assert found("godwit") == ["Godwit shown"]
    with committed():
        draft.status = Film.Status.PUBLISHED
        draft.save()
    assert entries[draft.pk] not in hidden_entries().ids
    assert sorted(found("godwit")) == ["Godwit draft", "Godwit shown"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_planner_setting_lasts_for_the_candidates_query_alone():
    FilmFactory(title="Whimbrel")
    assert found("whimbrel") == ["Whimbrel"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW cpu_index_tuple_cost")
        assert cursor.fetchone()[0] == "0.005"  # PostgreSQL's default, not PG_INDEX_TUPLE_COST
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_planner_setting_is_undone_inside_a_callers_transaction(committed):
    """A search inside a transaction (a command's, a test's) opens none of its own: the
    settings would last until the caller's transaction ends, and plan its later queries."""
    with committed():
        FilmFactory(title="Whimbrel")
    with transaction.atomic():
        assert found("whimbrel") == ["Whimbrel"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW cpu_index_tuple_cost")
            assert cursor.fetchone()[0] == "0.005"
            cursor.execute("SHOW synchronize_seqscans")
            assert cursor.fetchone()[0] == "on"
        assert Film.objects.get().title == "Whimbrel"  # the caller's transaction goes on


def test_indexing_replaces_the_token_before_it_writes_an_entry(committed):
    """The token's row, locked by its write until the indexing commits, keeps two indexings
    apart, so entries are numbered in the order they become visible to a search."""
    with committed():
        film = FilmFactory(title="Curlew")
    with CaptureQueriesContext(connection) as queries:
        index("film", [film.pk])
    statements = [query["sql"] for query in queries.captured_queries]
    writes = [sql for sql in statements if sql.upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert ContentVersion._meta.db_table in writes[0]
    assert any(SearchEntry._meta.db_table in sql for sql in writes[1:])


def test_an_entry_newer_than_the_hidden_list_waits_for_the_token_to_move(committed):
    """A draft indexed after the list of hidden entries was made, under the same token,
    is in no list yet: it is left out until the token moves."""
    with committed():
        FilmFactory(title="Godwit shown")
        draft = FilmFactory(title="Godwit secret", status=Film.Status.DRAFT)
    SearchEntry.objects.filter(kind="film", object_id=draft.pk).delete()
    assert found("godwit") == ["Godwit shown"]  # the list is made, and kept under this token
    SearchEntry.objects.create(kind="film", object_id=draft.pk, title="Godwit secret")
    assert found("godwit") == ["Godwit shown"]
    ContentVersion.move_on()
    assert found("godwit") == ["Godwit shown"]  # a list made afresh, which holds the draft


# "happy" stems to "happi", which it does not contain: the window misses it.
@pytest.mark.parametrize("word", ["lighthouse", "happy"])
def test_a_match_far_into_a_long_answer_is_highlighted_and_linked(client, committed, word):
    """PostgreSQL highlights a window of the body first (``PG_BODY_WINDOW``) and the whole
    body only where that window misses the match; SQLite's snippet reads the index."""
    filler = "<p>" + "The tide came in over the flats and went out again. " * 150 + "</p>"
    with committed():
        interview = InterviewFactory(title="A long crossing")
        QuestionAnswerFactory(interview=interview, question="How?", answer=filler)
        pair = QuestionAnswerFactory(
            interview=interview, question="And then?",
            answer=filler + f"<p>At last, the word we had waited for: {word}.</p>",
        )  # fmt: skip
    soup = page(client, q=word)
    snippet = soup.select_one(".result__snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == [word]
    href = soup.select_one(".result__title a")["href"]
    assert href == f"{interview.get_absolute_url()}#{pair.anchor}"


def test_results_are_kept_until_anything_changes(client, committed, django_assert_num_queries):
    with committed():
        interview = InterviewFactory(title="Quokka days")
        pair = QuestionAnswerFactory(interview=interview, answer="<p>A quokka smiled.</p>")
    assert [a.get_text() for a in page(client, q="quokka").select(".result__title a")] == [
        "Quokka days"
    ]
    with django_assert_num_queries(1):  # the token of "*"; the footer is served by it too
        kept = client.get("/search/", {"q": "quokka"}).content
    assert b"<mark>Quokka</mark> days" in kept
    # A plain UPDATE sends no signal, but moves the lists (cms.page_cache): made afresh.
    Interview.objects.filter(pk=interview.pk).update(status="draft")
    assert page(client, q="quokka").select(".result") == []
    with committed():
        Interview.objects.filter(pk=interview.pk).update(status="published")
        pair.answer = "<p>A wombat smiled.</p>"
        pair.save()  # indexed after the commit, which moves "*" again (index_changed)
    assert page(client, q="quokka").select(".result__snippet mark") == []
    assert [m.get_text() for m in page(client, q="wombat").select(".result__snippet mark")] == [
        "wombat"
    ]


def test_kept_results_go_at_the_next_scheduled_moment(client, committed):
    with committed():
        InterviewFactory(title="Numbat night", publish_at=timezone.now() + timedelta(seconds=1.5))
    assert page(client, q="numbat").select(".result") == []  # kept until it goes live
    time.sleep(max(0.0, (Interview.objects.get().publish_at - timezone.now()).total_seconds()))
    assert [a.get_text() for a in page(client, q="numbat").select(".result__title a")] == [
        "Numbat night"
    ]


def test_each_query_kind_and_page_is_kept_apart(client, committed):
    with committed():
        for n in range(12):
            InterviewFactory(title=f"Bilby {n}")
        PostFactory(title="Bilby news")
    everything = page(client, q="bilby")
    posts = page(client, q="bilby", type="post")
    second = page(client, q="bilby", page=2)
    assert len(everything.select(".result")) == 10 and len(second.select(".result")) == 3
    assert [a.get_text() for a in posts.select(".result__title a")] == ["Bilby news"]
    again = page(client, q="bilby", type="post")
    assert again.select_one(".results").decode() == posts.select_one(".results").decode()


def test_a_search_between_a_save_and_its_indexing_is_not_kept_past_it(
    client, committed, django_capture_on_commit_callbacks
):
    """The index is written once the save commits; a search in between reads the old text
    under the save's new token. Writing the index replaces the token again."""
    with committed():
        pair = QuestionAnswerFactory(answer="<p>A quokka smiled.</p>")
    with django_capture_on_commit_callbacks() as indexing:  # committed, not yet indexed
        pair.answer = "<p>A wombat smiled.</p>"
        pair.save()
    assert page(client, q="wombat").select(".result") == []  # the index is not written yet
    for callback in indexing:
        callback()
    assert len(page(client, q="wombat").select(".result")) == 1


def test_results_are_kept_apart_from_the_shared_cache(client, committed):
    """Any words may be searched for: their results must not crowd out kept pages."""
    from django.core.cache import caches

    with committed():
        InterviewFactory(title="Quoll country")
    page(client, q="quoll")
    caches["search_results"].clear()  # the shared cache ("default") is left as it is
    with CaptureQueriesContext(connection) as made:
        client.get("/search/", {"q": "quoll"})
    assert len(made) > 1  # made afresh: nothing of it was kept in the shared cache
