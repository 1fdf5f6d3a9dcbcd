"""The benchmarks' own configuration: bench.settings with its hello-world view, and the
content generator, both outside the site's code (which may not import them: the import-linter
contracts in pyproject.toml)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate_content import DemoMissing, generate_content
from blog.models import Post
from films.models import Credit, Film, Person, Screening
from interviews.models import Interview, QuestionAnswer
from search.models import SearchEntry

ROOT = Path(__file__).resolve().parents[2]


def clean_environment(**env: str) -> dict[str, str]:
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)} | env


def python(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean_environment(**env),
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_bench_settings_serve_hello_world_beside_the_site(tmp_path):
    result = python(
        "-c",
        "import django; django.setup(); from django.test import Client; client = Client();"
        "hello = client.get('/bench/hello/', HTTP_HOST='127.0.0.1');"
        "print(hello.status_code, hello.content.decode(), client.get('/healthz').status_code)",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "Hello,", "world", "200"]


@pytest.mark.django_db
def test_hello_world_is_never_cached(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.CMS_PAGE_CACHE_ENABLED = True
    responses = [client.get("/bench/hello/") for _ in range(2)]
    assert [response.status_code for response in responses] == [200, 200]
    assert [response.get("X-Cache") for response in responses] == [None, None]


@pytest.mark.django_db  # the 404 page's footer reads the site settings
def test_the_site_has_no_hello_world_view(client):
    assert client.get("/bench/hello/").status_code == 404


@pytest.mark.django_db
def test_generate_content_writes_live_interviews_films_screenings_and_posts(demo):
    out = io.StringIO()
    generate_content(20, verbosity=0, stdout=out)
    interviews = Interview.objects.filter(slug__startswith="generated-interview-")
    films = Film.objects.filter(slug__startswith="generated-film-")
    assert interviews.live().count() == 20
    assert QuestionAnswer.objects.filter(interview__in=interviews).count() == 20 * 13
    assert films.live().count() == 1 and interviews.filter(film__in=films).count() == 20
    assert Person.objects.filter(slug__startswith="generated-person-").count() == 1
    assert Credit.objects.filter(film__in=films, role=Credit.Role.DIRECTOR).count() == 1
    assert Screening.objects.filter(film__in=films).count() == 1
    assert Post.objects.live().filter(slug__startswith="generated-news-").count() == 2
    indexed = SearchEntry.objects.visible().filter(kind="interview")
    assert indexed.count() == 21  # the demo's and the generated
    assert out.getvalue().endswith("Generated 20 interviews and rebuilt the search index.\n")


@pytest.mark.django_db
def test_generate_content_needs_the_demo():
    with pytest.raises(DemoMissing, match="load_demo"):
        generate_content(10, verbosity=0, stdout=io.StringIO())


def test_generate_content_runs_as_a_script_on_a_database_with_the_demo(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'generated.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    migrated = python("manage.py", "migrate", "--noinput", **env)
    assert migrated.returncode == 0, migrated.stderr
    without_demo = python("bench/generate_content.py", "10", **env)
    assert without_demo.returncode == 1
    assert "Load the demo first" in without_demo.stderr
    demo = python("manage.py", "load_demo", **env)
    assert demo.returncode == 0, demo.stderr
    result = python("bench/generate_content.py", "150", "--seed", "3", "--verbosity", "0", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Generated 150 interviews and rebuilt the search index."
    )
    assert result.stderr == ""  # --verbosity 0: no progress bar


def test_growth_is_judged_on_the_pairs_measured_side_by_side_when_the_run_has_them():
    """A page twice as costly at 100,000 in the sequential runs (the machine slowed between
    them) passes on pairs measured in the same seconds; a run with no pairs is judged on its
    sequential figures, as before."""
    from bench.report import PAGES, growth_section

    def run(size: int, cpu: float, share: float) -> dict:
        rows = {page: {"cpu_ms": cpu, "share": share} for page in PAGES}
        return {"size": size, "cache_off": {**rows, "hello": {"cpu_ms": cpu * share}}}

    demo, top = run(0, 2.0, 0.5), run(100_000, 4.0, 0.25)
    pages = {page: {"demo_ms": 2.0, "large_ms": 2.2, "ratios": [1.0, 1.2], "ratio": 1.1}
             for page in PAGES}  # fmt: skip
    pages["tag"] = {"demo_ms": 2.0, "large_ms": 3.0, "ratios": [1.4, 1.6], "ratio": 1.5}
    missed: list[str] = []
    lines = growth_section(demo, top, {"rounds": 2, "pages": pages}, missed)
    assert missed == ["sqlite: `tag` CPU 100,000 ÷ demo 1.5"]
    assert any(line.startswith("| interview | 2.00 | 2.20 | 1.00, 1.20 | 1.10 |") for line in lines)
    missed = []
    growth_section(demo, top, None, missed)
    assert len(missed) == len(PAGES)  # 2.0 in hello units, every page
