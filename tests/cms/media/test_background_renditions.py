"""Renditions are made by the worker, never during a request: pages show the original first.

Uploads, replaced files and moved focal points queue ``make_renditions`` on commit; the real
worker (``db_worker --batch``, the ``run_queued_tasks`` fixture) runs it.
"""

import logging

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.media.models import Image, Rendition
from cms.media.tasks import make_renditions as make_renditions_task
from cms.page_cache import cache as page_cache
from cms.page_cache.cache import cache, guarded
from tests.admin_forms import change_form_data
from tests.factories import FigureFactory, ImageFactory, InterviewFactory, jpeg_bytes


def queued_images() -> list[int]:
    """The images whose renditions wait for the worker, in the order queued."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=make_renditions_task.module_path
    ).order_by("enqueued_at")
    return [args["args"][0] for args in waiting.values_list("args_kwargs", flat=True)]


def hero(html: str):
    """The interview's hero picture: its ``<picture>``, or its plain ``<img>`` before one."""
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one(".hero picture") or soup.select_one(".hero img")


def page_of(client, interview) -> tuple[str, int]:
    """The interview page's HTML and the queries it took, built afresh (no part kept)."""
    guarded(lambda: cache().clear())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(interview.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.django_db
def test_an_upload_queues_its_renditions_and_the_worker_makes_them(
    editor_client, django_capture_on_commit_callbacks, run_queued_tasks
):
    upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(1200, 800), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:cms_image_add"), {"file": upload, "alt_text": "Ai Weiwei at work"}
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert queued_images() == [image.pk]
    assert not image.renditions.exists()  # nothing made while the editor waited
    run_queued_tasks()
    made = set(image.renditions.values_list("spec", flat=True))
    assert made == {spec for spec, *_ in image.wanted_renditions()}
    # Every crop pages use, at 240, 480, 768, 960 and its own 1200, in three formats; the
    # library's thumbnail, and its preview, which is the pages' w960.webp.
    assert len(made) == 4 * 3 * 5 + 1
    assert queued_images() == []


@pytest.mark.django_db
def test_a_page_shows_the_original_with_its_size_until_the_renditions_are_made(
    client, make_renditions
):
    image = ImageFactory(file=ContentFile(jpeg_bytes(1200, 800), name="wide.jpg"))
    interview = InterviewFactory(hero_image=image)
    before, queries_before = page_of(client, interview)
    original = hero(before)
    assert original.name == "img" and "srcset" not in original.attrs
    assert original["src"] == image.url and original["alt"] == image.alt_text
    assert (original["width"], original["height"]) == ("1200", "800")  # no layout shift
    assert not Rendition.objects.exists()  # the request made none

    make_renditions(image)
    after, queries_after = page_of(client, interview)
    picture = hero(after)
    assert picture.name == "picture"
    assert picture.select_one('source[type="image/avif"]')["srcset"].count("w, ") == 4
    img = picture.select_one("img")
    assert "240w" in img["srcset"] and "1200w" in img["srcset"]
    assert (img["width"], img["height"]) == ("768", "512")
    assert queries_after == queries_before  # the renditions were prefetched either way


@pytest.mark.django_db
def test_knowing_which_renditions_exist_costs_no_query_per_picture(client):
    interview = InterviewFactory(hero_image=ImageFactory())
    page_of(client, interview)  # what a process fetches once
    FigureFactory(interview=interview)  # each count is of a page built after an edit
    one_figure = page_of(client, interview)[1]
    for _ in range(3):
        FigureFactory(interview=interview)
    html, four_figures = page_of(client, interview)
    # The hero and four figures, none made yet.
    assert html.count('<img src="/media/') == 5 and "<picture" not in html
    assert four_figures == one_figure


@pytest.mark.django_db
def test_replacing_the_file_or_moving_the_focal_point_queues_them_again(
    editor_client, django_capture_on_commit_callbacks, make_renditions
):
    image = ImageFactory(file=ContentFile(jpeg_bytes(600, 400), name="first.jpg"))
    make_renditions(image)
    assert image.renditions.exists()
    url = reverse("admin:cms_image_change", args=[image.pk])

    def save(changes: dict) -> None:
        data = change_form_data(editor_client.get(url)) | changes
        with django_capture_on_commit_callbacks(execute=True):
            assert editor_client.post(url, data).status_code == 302

    save({"alt_text": "Only the words change"})
    assert queued_images() == [] and image.renditions.exists()

    save({"focal_x": "0.9", "focal_y": "0.2"})
    assert queued_images() == [image.pk] and not image.renditions.exists()
    DBTaskResult.objects.all().delete()

    replacement = SimpleUploadedFile("second.jpg", jpeg_bytes(500, 500), "image/jpeg")
    save({"file": replacement})
    assert queued_images() == [image.pk] and not image.renditions.exists()


@pytest.mark.django_db
def test_renditions_of_a_file_changed_while_they_were_made_are_not_kept(settings):
    image = ImageFactory()
    made = image.render_missing_renditions()
    files = [r.file.name for r in made]
    assert files and all(r.file.storage.exists(name) for r, name in zip(made, files, strict=True))
    Image.objects.filter(pk=image.pk).update(focal_x=0.1)  # an editor saved meanwhile
    assert image.keep_renditions(made) == []
    assert not Rendition.objects.exists()
    assert not any(r.file.storage.exists(name) for r, name in zip(made, files, strict=True))


@pytest.fixture
def cache_on(settings):
    settings.CMS_PAGE_CACHE_ENABLED = True
    page_cache.cacheable_view.cache_clear()
    page_cache._down_until = 0.0
    page_cache.guarded(lambda: page_cache.cache().clear())
    yield
    page_cache.guarded(lambda: page_cache.cache().clear())


@pytest.mark.django_db
def test_ready_renditions_empty_the_cached_pages_that_showed_the_original(
    cache_on, client, make_renditions
):
    image = ImageFactory()
    shown, other = InterviewFactory(hero_image=image), InterviewFactory()
    urls = [shown.get_absolute_url(), other.get_absolute_url()]
    for url in urls:
        client.get(url)
    assert [client.get(url)["X-Cache"] for url in urls] == ["hit", "hit"]
    assert "<picture" not in client.get(urls[0]).content.decode()
    make_renditions(image)
    response = client.get(urls[0])
    assert response["X-Cache"] == "miss" and "<picture" in response.content.decode()
    assert client.get(urls[1])["X-Cache"] == "hit"  # it never showed the image
    make_renditions(image)  # nothing left to make: nothing emptied
    assert [client.get(url)["X-Cache"] for url in urls] == ["hit", "hit"]


@pytest.mark.django_db
def test_an_unreadable_file_keeps_the_original_and_is_logged(client, make_renditions, caplog):
    image = ImageFactory()
    storage = image.file.storage
    before = set(storage.listdir("renditions")[0]) if storage.exists("renditions") else set()
    with storage.open(image.file.name, "wb") as stored:
        stored.write(b"\xff\xd8 not a JPEG any more")
    interview = InterviewFactory(hero_image=image)
    with caplog.at_level(logging.WARNING, logger="cms.media.tasks"):
        make_renditions(image)
    assert f"Image {image.pk}: renditions could not be made" in caplog.text
    assert not Rendition.objects.exists()
    after = set(storage.listdir("renditions")[0]) if storage.exists("renditions") else set()
    assert after == before  # no file left behind
    html, _queries = page_of(client, interview)
    original = hero(html)
    assert original.name == "img" and original["src"] == image.url


@pytest.mark.django_db
def test_the_demo_queues_its_photos_renditions_for_the_worker(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    demo = set(Image.objects.filter(file__startswith="demo/").values_list("pk", flat=True))
    assert len(demo) == 10 and set(queued_images()) == demo
    assert not Rendition.objects.exists()  # made by the worker, not by the load


@pytest.mark.django_db
def test_images_that_lack_a_size_a_release_added_are_queued_once(run_queued_tasks):
    """``make serve`` runs ``queue_missing_renditions`` after ``migrate``."""
    complete, lacking = ImageFactory(), ImageFactory()
    for image in (complete, lacking):
        image.keep_renditions(image.render_missing_renditions())
    assert queued_images() == []
    added = lacking.wanted_renditions()[0][0]
    lacking.renditions.filter(spec=added).delete()  # as if a release had just added the size
    call_command("queue_missing_renditions")
    assert queued_images() == [lacking.pk]  # and none for the complete one
    run_queued_tasks()
    assert lacking.renditions.filter(spec=added).exists()
    call_command("queue_missing_renditions")
    assert queued_images() == []
    assert complete.renditions.count() == lacking.renditions.count()


@pytest.mark.django_db
def test_until_a_size_a_release_added_is_made_pages_show_the_other_sizes(client):
    """Not the original: it may be many times the bytes of any rendition."""
    image = ImageFactory(file=ContentFile(jpeg_bytes(1200, 800), name="wide.jpg"))
    image.keep_renditions(image.render_missing_renditions())
    interview = InterviewFactory(hero_image=image)
    image.renditions.filter(spec="w240.avif").delete()  # made in two formats of three
    picture = hero(page_of(client, interview)[0])
    assert picture.name == "picture"
    for srcset in [source["srcset"] for source in picture.select("source")] + [
        picture.img["srcset"]
    ]:
        assert "240w" not in srcset and "480w" in srcset and "1200w" in srcset
    assert (picture.img["width"], picture.img["height"]) == ("768", "512")
