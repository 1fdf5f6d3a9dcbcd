"""import_articles against a real database and real files."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError
from PIL import Image as PILImage

from blog.models import Post
from cms.media.models import Image
from interviews.models import Interview
from tests.factories import FilmFactory, jpeg_bytes
from tests.interviews.importing.articles import SEED, reference_article, render
from tests.interviews.importing.commands import (
    REFERENCE_SLUG,
    interview_structure,
    run,
    snapshot,
    stored_files,
)


@pytest.mark.django_db
def test_dry_run_shows_thirteen_pairs_and_writes_nothing(settings):
    before_files = stored_files(settings)
    out, _ = run(str(SEED), "--dry-run")
    assert "13 question/answer pairs" in out
    assert "1. What impact do you hope this film" in out
    assert "4 figures" in out and "3 blog posts" in out
    assert "2023-08-10  ITVS Welcomes Brandii Rice" in out
    assert "Dry run, nothing written: 1 would create, 0 failed." in out
    assert snapshot() == []
    assert stored_files(settings) == before_files


# The real run's word for each outcome a dry run announces in the future tense.
REAL_ACTIONS = {"WOULD CREATE": "CREATED", "WOULD UPDATE": "UPDATED", "WOULD SKIP": "SKIPPED"}


def outcome_lines(out: str) -> list[str]:
    """The one line per file, in the real run's words, from a real or a dry run's output."""
    lines = []
    for line in out.splitlines():
        for dry, real in REAL_ACTIONS.items():
            if line.startswith((f"{dry} ", f"{real} ")):
                lines.append(line.replace(dry, real, 1))
    return lines


@pytest.mark.django_db
def test_a_dry_run_of_an_imported_article_says_it_would_skip_it_and_its_posts():
    run(str(SEED))
    out, _ = run(str(SEED), "--dry-run")
    assert "Dry run, nothing written: 0 would create, 1 would skip, 0 failed." in out
    assert f"WOULD SKIP {SEED}:" in out and "already imported; use --update" in out
    assert "blog post" not in out  # the real run adds none


def two_copies(tmp_path: Path) -> Path:
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("imported_before", "options", "tally"),
    [
        (True, [], "0 created, 0 updated, 1 skipped, 0 failed"),
        (True, ["--update"], "0 created, 1 updated, 0 skipped, 0 failed"),
        (False, [], "1 created, 0 updated, 1 skipped, 0 failed"),  # the same article twice
        (False, ["--update"], "1 created, 1 updated, 0 skipped, 0 failed"),
    ],
    ids=["imported-before", "imported-before-update", "twice-in-one-run", "twice-with-update"],
)
def test_a_dry_run_says_what_the_real_run_then_does(tmp_path, imported_before, options, tally):
    source = str(SEED) if imported_before else str(two_copies(tmp_path))
    if imported_before:
        run(str(SEED))
    before = snapshot()
    dry, _ = run(source, "--dry-run", *options)
    assert snapshot() == before
    real, _ = run(source, *options)
    assert outcome_lines(dry) == outcome_lines(real)
    assert f"Done: {tally}." in real
    assert Post.objects.count() == 3
    new_posts = [line for line in dry.splitlines() if "new blog post(s)" in line]
    assert len(new_posts) == (0 if imported_before else 1)  # the box is written once


@pytest.mark.django_db
def test_reference_article_imports_as_a_draft_about_the_film():
    film = FilmFactory(title="Ai Weiwei: Never Sorry", slug="ai-weiwei-never-sorry")
    out, _ = run(str(SEED))
    assert "Done: 1 created, 0 updated, 0 skipped, 0 failed." in out
    interview = Interview.objects.get(slug=REFERENCE_SLUG)
    assert interview.status == "draft"
    assert interview.film == film
    assert interview.publish_at.date().isoformat() == "2013-02-22"
    article = reference_article()
    assert [(p.question, p.answer) for p in interview.pairs.all()] == [
        (q, f"<p>{a[0].replace('&', '&amp;')}</p>") for q, a in article.pairs
    ]
    assert [
        (f.pair.sort_order if f.pair else 0, f.display_caption) for f in interview.figures.all()
    ] == [(after, caption) for after, _, caption in article.figures]
    # Caption-only figures get a labelled placeholder photo, with the alt text.
    first = interview.figures.first().image
    assert first.alt_text == "Closeup of filmmaker Alison Klayman with Ai Weiwei"
    assert first.credit.startswith("Placeholder")
    with PILImage.open(first.file.path) as picture:
        assert picture.format == "JPEG"
    assert sorted(Post.objects.values_list("publish_at__date", "status")) == [
        (d, "draft") for d in sorted(p[1] for p in article.posts)
    ]


@pytest.mark.django_db
def test_importing_the_demo_article_again_matches_it(demo):
    """The imported article reads the same as the demo one: same pairs, anchors, figures."""
    demo_interview = Interview.objects.get(slug=REFERENCE_SLUG)
    expected = interview_structure(demo_interview)
    demo_interview.delete()
    run(str(SEED), "--publish")
    imported = Interview.objects.get(slug=REFERENCE_SLUG)
    assert imported.status == "published"
    got = interview_structure(imported)
    assert got["pairs"] == expected["pairs"]
    assert got["figures"] == expected["figures"]
    assert got["posted"] == expected["posted"]
    assert imported.film.slug == "ai-weiwei-never-sorry"
    assert Post.objects.count() == 4  # matched to the demo posts by slug, none duplicated


@pytest.mark.django_db
def test_importing_twice_creates_nothing_new_and_update_keeps_editor_photos(settings):
    run(str(SEED))
    first = snapshot()
    out, _ = run(str(SEED))
    assert "0 created, 0 updated, 1 skipped" in out
    assert snapshot() == first

    # An editor replaces a placeholder with a real photo; --update keeps it.
    figure = Interview.objects.get().figures.first()
    photo = Image.objects.create(file=ContentFile(jpeg_bytes(), name="real.jpg"), alt_text="Real")
    figure.image = photo
    figure.save()
    out, _ = run(str(SEED), "--update")
    assert "0 created, 1 updated" in out
    interview = Interview.objects.get()
    assert interview.figures.first().image == photo
    assert interview.pairs.count() == 13 and Post.objects.count() == 3
    assert Interview.objects.count() == 1


@pytest.mark.django_db
def test_html_page_imports_with_the_same_structure_and_its_local_photos(tmp_path):
    article = reference_article()
    page = render(article, "html-bold").replace(
        'src="https://cdn.example.org/x.jpg" alt="Ai Weiwei and police',
        'src="page_files/guard.jpg" alt="Ai Weiwei and police',
    )
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "guard.jpg").write_bytes(jpeg_bytes(320, 200))
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    run(str(tmp_path / "page.html"))
    interview = Interview.objects.get()
    assert interview.pairs.count() == 13
    assert [f.display_caption for f in interview.figures.all()] == [c for *_, c in article.figures]
    guard = interview.figures.all()[1].image
    assert (guard.width, guard.height) == (320, 200) and not guard.credit  # the real file


@pytest.mark.django_db
def test_a_folder_with_a_broken_file_imports_the_rest_and_names_it(tmp_path, settings):
    good = tmp_path / "articles"
    good.mkdir()
    (good / "klayman.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (good / "broken.txt").write_text("Only a title\n", encoding="utf-8")
    (good / "notes.pdf").write_bytes(b"%PDF-1.4 ignored: not an article file")
    with pytest.raises(CommandError, match="1 file\\(s\\) could not be imported") as error:
        run(str(good))
    assert "broken.txt: No questions and answers found." in str(error.value)
    assert Interview.objects.get().slug == REFERENCE_SLUG


def broken_files(tmp_path: Path, settings) -> dict[str, tuple[Path, str]]:
    settings.CMS_IMPORT_MAX_BYTES = 50_000
    files = {
        "empty": (b"", "The file is empty."),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        "undecodable": ("Titre\n\nPourquoi? Parce que.".encode("utf-16"), "binary"),
        "latin-1": ("Café\n\nPourquoi? Parce que.".encode("latin-1"), "not valid UTF-8"),
        "no title": (b"<html><body><p>Why? Because.</p></body></html>", "No title"),
        "no pairs": (b"A title\n\nJust an introduction.", "No questions and answers"),
        "too big": (b"T\n\nWhy? " + b"x" * 60_000, "the limit is 50,000"),
    }
    result = {}
    for name, (content, reason) in files.items():
        suffix = ".html" if name == "no title" else ".txt"
        path = tmp_path / f"{name.replace(' ', '-')}{suffix}"
        path.write_bytes(content)
        result[name] = (path, reason)
    result["missing"] = (tmp_path / "missing.txt", "cannot be read")
    return result


@pytest.mark.django_db
def test_every_malformed_file_is_named_with_its_reason_and_changes_nothing(
    demo, tmp_path, settings
):
    before, files_before = snapshot(), stored_files(settings)
    cases = broken_files(tmp_path, settings)
    with pytest.raises(CommandError) as error:
        run(*[str(path) for path, _ in cases.values()])
    report = str(error.value)
    assert f"{len(cases)} file(s) could not be imported" in report
    for path, reason in cases.values():
        line = next(line for line in report.splitlines() if str(path) in line)
        assert reason in line, (line, reason)
    assert snapshot() == before
    assert stored_files(settings) == files_before


@pytest.mark.django_db
def test_a_failure_midway_rolls_back_the_article_and_its_stored_photos(tmp_path, settings):
    # Two figures naming the same library photo break a constraint after the placeholders
    # for earlier figures were stored; the whole article, files included, must go.
    text = SEED.read_text(encoding="utf-8").replace(
        "Ai Weiwei and police/security guard",
        "[Figure: demo/shared.jpg]\nA shared photo\n\n[Figure: demo/shared.jpg]\nAgain",
    )
    shared = Image.objects.create(file=ContentFile(jpeg_bytes(), name="shared.jpg"), alt_text="S")
    Image.objects.filter(pk=shared.pk).update(file="demo/shared.jpg")
    path = tmp_path / "dup.txt"
    path.write_text(text, encoding="utf-8")
    before, files_before = snapshot(), stored_files(settings)
    with pytest.raises(CommandError, match="dup.txt") as error:
        run(str(path))
    assert "unique" in str(error.value).lower()
    assert snapshot() == before
    assert stored_files(settings) == files_before


@pytest.mark.django_db
def test_unknown_film_option_is_refused():
    with pytest.raises(CommandError, match="No film has the slug 'nope'"):
        run(str(SEED), "--film", "nope")


@pytest.mark.django_db
def test_many_files_show_a_progress_bar_and_a_summary(tmp_path):
    for number in range(6):
        (tmp_path / f"a{number}.txt").write_text(
            f"Article number {number}\n\nIntro.\n\nWhy {number}? Because.", encoding="utf-8"
        )
    out, err = run(str(tmp_path))
    assert "6/6" in err  # tqdm's bar, on standard error
    assert "Done: 6 created, 0 updated, 0 skipped, 0 failed." in out
    assert Interview.objects.count() == 6
