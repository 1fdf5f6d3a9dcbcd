"""Fixtures: the demo loads into an empty database in any order, reloads without duplicates,
round-trips through dumpdata, and a broken record loads nothing and is named."""

import io
import json
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from blog.models import Post
from films.models import Screening
from interviews.models import Figure, Interview, QuestionAnswer

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
CONTENT = ["cms.image", "taggit.tag", "films", "interviews", "blog", "outreach"]


def dump() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", *CONTENT, natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(out.getvalue())


def without_timestamps(records: list[dict]) -> list[dict]:
    for record in records:
        for name in ("updated_at",):
            record["fields"].pop(name, None)
    return records


def write(tmp_path, name: str, records: list[dict]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_demo_loads_into_an_empty_database(demo):
    interview = Interview.objects.get()
    assert interview.title == "Alison Klayman on Filming Ai Weiwei"
    assert interview.pairs.count() == 13
    assert interview.figures.count() == 4
    assert Post.objects.count() == 4
    assert {s.kind for s in Screening.objects.all()} >= {"broadcast", "festival"}
    assert sorted(p.publish_at.date().isoformat() for p in Post.objects.all()) == [
        "2013-02-24", "2023-06-01", "2023-06-07", "2023-08-10"
    ]  # fmt: skip
    timed = Post.objects.get(premiere_offset_hours__isnull=False)
    assert timed in Post.objects.live() and timed.related_film.slug == "ai-weiwei-never-sorry"
    assert all(f.image.alt_text for f in Figure.objects.all())


@pytest.mark.django_db
def test_demo_reloads_without_duplicates(demo):
    before = dump()
    call_command("load_demo", verbosity=0)
    call_command("loaddata", "demo", verbosity=0)
    assert without_timestamps(dump()) == without_timestamps(before)
    assert QuestionAnswer.objects.count() == 13


@pytest.mark.django_db
def test_records_load_in_any_order(tmp_path):
    records = json.loads(DEMO.read_text(encoding="utf-8"))
    random.Random(2013).shuffle(records)
    call_command("loaddata", write(tmp_path, "shuffled.json", records), verbosity=0)
    assert Interview.objects.get().pairs.count() == 13
    assert len(dump()) == len(records)


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_round_trip_unchanged(tmp_path):
    # Transactional, as an operator's restore is: PostgreSQL refuses to TRUNCATE inside the
    # test's transaction once history rows with deferred constraints exist.
    call_command("load_demo", verbosity=0)
    first = dump()
    assert len(first) > 50  # the demo content, not an empty backup
    path = write(tmp_path, "backup.json", first)
    call_command("flush", interactive=False, verbosity=0)
    assert not Interview.objects.exists()
    call_command("loaddata", path, verbosity=0)
    assert dump() == first


def broken(kind: str) -> list[dict]:
    records = json.loads(DEMO.read_text(encoding="utf-8"))
    pairs = [r for r in records if r["model"] == "interviews.questionanswer"]
    match kind:
        case "missing question":
            pairs[5]["fields"]["question"] = None
        case "bad date":
            next(r for r in records if r["model"] == "blog.post")["fields"]["publish_at"] = "soon"
        case "unknown image":
            next(r for r in records if r["model"] == "interviews.figure")["fields"]["image"] = [
                "demo/no-such-photo.jpg"
            ]
        case "unknown field":
            pairs[0]["fields"]["colour"] = "red"
    return records


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "named"),
    [
        ("missing question", "interviews.questionanswer anchor="),
        ("bad date", "“soon” value has an invalid format"),
        ("unknown image", "does not exist: image=['demo/no-such-photo.jpg']"),
        ("unknown field", "colour"),
    ],
)
def test_a_broken_record_loads_nothing_and_is_named(demo, tmp_path, kind, named):
    before = dump()
    # Change stored data first, so that a partial load would show.
    Interview.objects.update(title="Edited since the backup")
    edited = dump()
    with pytest.raises(CommandError) as error:
        call_command("loaddata", write(tmp_path, "broken.json", broken(kind)), verbosity=0)
    assert named in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert dump() == edited != before


@pytest.mark.django_db
def test_a_broken_fixture_into_an_empty_database_stores_nothing(tmp_path):
    with pytest.raises(CommandError):
        call_command("loaddata", write(tmp_path, "b.json", broken("missing question")))
    assert dump() == []


def one_screening(**fields) -> list[dict]:
    records = json.loads(DEMO.read_text(encoding="utf-8"))
    screening = next(r for r in records if r["model"] == "films.screening")
    screening["fields"] |= fields
    return records


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("records", "named"),
    [
        (lambda: one_screening(time_zone="Mars/Olympus"), "time_zone"),
        (lambda: one_screening(kind="drive-in"), "kind"),
        (lambda: one_screening(tickets_url="javascript:alert(document.cookie)"), "tickets_url"),
        (lambda: one_screening(status="maybe"), "status"),
    ],
    ids=["time zone", "kind", "javascript URL", "status"],
)
def test_invalid_values_in_a_fixture_are_refused(tmp_path, records, named):
    with pytest.raises(CommandError) as error:
        call_command("loaddata", write(tmp_path, "bad.json", records()), verbosity=0)
    assert named in str(error.value)
    assert dump() == []


@pytest.mark.django_db
def test_a_published_post_without_a_date_is_refused(tmp_path):
    records = [{"model": "blog.post", "fields": {"title": "t", "slug": "t", "status": "published"}}]
    with pytest.raises(CommandError, match="published_has_date"):
        call_command("loaddata", write(tmp_path, "bad.json", records), verbosity=0)
    assert not Post.objects.exists()
