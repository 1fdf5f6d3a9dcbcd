"""export_articles, and importing what it wrote back to the same structure."""

import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings

from interviews.models import Interview
from tests.interviews.importing.articles import articles, render
from tests.interviews.importing.commands import REFERENCE_SLUG, interview_structure, run


@pytest.mark.django_db
def test_export_then_import_recreates_the_same_structure(demo, tmp_path):
    interview = Interview.objects.get(slug=REFERENCE_SLUG)
    interview.tags.add("exported")
    expected = interview_structure(interview)
    expected_tags = sorted(interview.tags.names())
    call_command("export_articles", str(tmp_path), stdout=io.StringIO())
    exported = tmp_path / f"{REFERENCE_SLUG}.txt"
    assert exported.read_text(encoding="utf-8").startswith("Alison Klayman on Filming")

    run(str(exported), "--update")
    interview = Interview.objects.get(slug=REFERENCE_SLUG)
    assert interview_structure(interview) == expected
    assert sorted(interview.tags.names()) == expected_tags
    assert interview.byline == "Independent Lens"
    assert interview.film.slug == "ai-weiwei-never-sorry"
    assert interview.figures.first().image.file.name == "demo/klayman-with-ai-weiwei.jpg"


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(article=articles())
def test_generated_articles_import_and_export_unchanged(tmp_path, article):
    Interview.objects.all().delete()
    source = tmp_path / "generated.txt"
    source.write_text(render(article, "inline"), encoding="utf-8")
    run(str(source))
    interview = Interview.objects.get()
    assert [p.question for p in interview.pairs.all()] == [q for q, _ in article.pairs]
    first = interview_structure(interview)
    call_command("export_articles", str(tmp_path / "out"), stdout=io.StringIO())
    run(str(tmp_path / "out" / f"{interview.slug}.txt"), "--update")
    assert interview_structure(Interview.objects.get()) == first
