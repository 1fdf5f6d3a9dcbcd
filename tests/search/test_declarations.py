"""Search indexes what the apps declare: found, not listed; each visibility rule the app's own."""

import ast
from importlib import import_module
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from cms.searching import SearchDocument
from films.models import Film, Person, Screening
from search import registry, signals
from search.backends import SearchResults
from search.models import SearchEntry
from search.query import parse
from search.views import SearchView
from tests.factories import (
    CreditFactory,
    FilmFactory,
    InterviewFactory,
    PersonFactory,
    PostFactory,
    ScreeningFactory,
    StaffAuthorFactory,
)

SEARCH = Path(apps.get_app_config("search").path)
DOMAIN_APPS = {"films", "interviews", "blog", "outreach"}


def declared_in_apps() -> set[type[SearchDocument]]:
    """Every document class defined in an installed app's ``search_documents.py``."""
    found = set()
    for app_config in apps.get_app_configs():
        if not (Path(app_config.path) / "search_documents.py").exists():
            continue
        module = import_module(f"{app_config.name}.search_documents")
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, SearchDocument)
            and value.__module__ == module.__name__
        }
    return found


def found(text: str, kind: str | None = None) -> list[str]:
    results = SearchResults(parse(text), kind)
    return [BeautifulSoup(hit.title, "html.parser").get_text() for hit in results[0 : len(results)]]


def test_the_registry_holds_what_each_app_declares_in_its_own_module():
    documents = registry.documents()
    assert {type(document) for document in documents} == declared_in_apps()
    assert {type(document).__module__ for document in documents} == {
        f"{app}.search_documents" for app in DOMAIN_APPS
    }
    assert {document.kind: document.model for document in documents} == {
        "film": Film,
        "person": Person,
        "screening": Screening,
        "interview": apps.get_model("interviews", "Interview"),
        "post": apps.get_model("blog", "Post"),
        "resource": apps.get_model("outreach", "Resource"),
    }


def test_search_imports_no_domain_app():
    """Search knows the apps only through their declarations (migrations aside)."""
    wrong = []
    for path in SEARCH.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            wrong += [f"{path.name}: {name}" for name in names if name.split(".")[0] in DOMAIN_APPS]
    assert wrong == []


def test_the_kinds_offered_are_those_declared():
    choices = SearchEntry._meta.get_field("kind").choices
    assert choices == [(d.kind, d.verbose_name_plural) for d in registry.documents()]
    labels = {
        d.kind: (str(d.verbose_name), str(d.verbose_name_plural)) for d in registry.documents()
    }
    assert labels["person"] == ("Person", "People")
    assert labels["post"] == ("News", "News")


def test_each_declared_dependency_is_watched():
    watched = {model for model, found in signals._watched.items() if found}
    for document in registry.documents():
        for step in signals.steps(document):
            assert step.model in watched, (document, step.path)
    assert apps.get_model("taggit", "Tag") in watched  # every "tags" path ends at tags


def test_a_dependency_that_is_no_relation_is_refused():
    class Broken(SearchDocument):
        model = Film
        depends_on = ("title",)

    class Unknown(SearchDocument):
        model = Film
        depends_on = ("credits__nowhere",)

    for document in (Broken(), Unknown()):
        with pytest.raises(ImproperlyConfigured):
            signals.steps(document)


def test_the_results_page_is_a_list_view_kept_out_of_the_page_cache():
    from django.urls import resolve
    from django.views.generic import ListView

    from cms.page_cache.cache import cacheable_view

    view = resolve("/search/").func
    assert issubclass(view.view_class, ListView) and view.view_class is SearchView
    assert SearchView.page_cache is False
    assert cacheable_view("/search/") == (False, frozenset())


@pytest.mark.django_db
def test_screening_and_person_visibility_are_the_films_rules():
    """The declarations call the rules films' pages use: the very same SQL."""
    documents = {document.kind: document for document in registry.documents()}
    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
        for kind, rule in [
            ("person", Person.objects.visible),
            ("screening", Screening.objects.visible),
        ]:
            assert str(documents[kind].visible().query) == str(rule().query)


@pytest.mark.django_db
def test_a_draft_films_screening_and_person_are_neither_on_films_pages_nor_found(client, committed):
    with committed():
        film = FilmFactory(title="Unseen", status="draft", publish_at=None)
        screening = ScreeningFactory(film=film, venue="Capybara Hall")
        CreditFactory(film=film, person=PersonFactory(name="Capybara Person", slug="cp"))
    assert not Screening.objects.visible().exists()
    assert not Person.objects.visible().exists()
    assert client.get(screening.get_absolute_url()).status_code == 404
    assert found("capybara") == []
    Film.objects.filter(pk=film.pk).update(status="published", publish_at=timezone.now())
    assert client.get(screening.get_absolute_url()).status_code == 200
    assert list(Screening.objects.visible()) == [screening]
    assert sorted(found("capybara")) == ["Capybara Person", "Unseen", "Unseen"]  # film, screening


@pytest.mark.django_db
def test_a_renamed_person_reaches_every_entry_that_names_them(committed):
    with committed():
        person = PersonFactory(name="Wendell Ashgrove", slug="wa")
        CreditFactory(film=FilmFactory(title="A film"), person=person)
        InterviewFactory(title="A talk", film=None).interviewees.add(person)
    assert sorted(found("ashgrove")) == ["A film", "A talk", "Wendell Ashgrove"]
    with committed():
        person.name = "Wendell Birchwood"
        person.save()
    assert found("ashgrove") == []
    assert sorted(found("birchwood")) == ["A film", "A talk", "Wendell Birchwood"]


@pytest.mark.django_db
def test_a_renamed_or_deleted_staff_author_reaches_their_posts(committed):
    with committed():
        author = StaffAuthorFactory(first_name="Wendell", last_name="Ashgrove")
        PostFactory(title="A post", bylines="Guest Quillfeather").authors.add(author)
    assert found("ashgrove") == ["A post"] and found("quillfeather") == ["A post"]
    with committed():
        author.last_name = "Birchwood"
        author.save()
    assert found("ashgrove") == [] and found("birchwood") == ["A post"]
    with committed():
        author.delete()
    assert found("birchwood") == [] and found("quillfeather") == ["A post"]


@pytest.mark.django_db
def test_a_deleted_person_leaves_no_name_behind(committed):
    with committed():
        person = PersonFactory(name="Hollis Quarrington", slug="hq")
        InterviewFactory(title="Talk", film=None).interviewees.add(person)
    assert found("quarrington") == ["Talk"]
    with committed():
        person.delete()
    assert found("quarrington") == []


def test_interviews_are_listed_first_then_the_apps_in_their_order(settings):
    """The project names the kinds it wants first; the rest keep INSTALLED_APPS order."""
    assert registry.kinds() == ["interview", "film", "person", "screening", "post", "resource"]
    settings.SEARCH_KINDS_FIRST = ["post", "no-such-kind"]
    try:
        registry.discover()
        assert registry.kinds() == [
            "post", "film", "person", "screening", "interview", "resource"
        ]  # fmt: skip
    finally:
        settings.SEARCH_KINDS_FIRST = ["interview"]
        registry.discover()
