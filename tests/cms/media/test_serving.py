"""Uploaded files: only library images and their renditions, only while viewers may see them."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cms.media.models import Image
from tests.factories import ImageFactory, InterviewFactory, make_editor
from tests.services import replayed_migration


def rendition_urls(page: str) -> list[str]:
    return sorted(set(re.findall(r"/media/renditions/[^\s\"',]+", page)))


def shown_renditions(client, make_renditions) -> tuple[Image, list[str]]:
    """An image with its renditions made, and their addresses as a live page shows them."""
    image = ImageFactory()
    make_renditions(image)
    interview = InterviewFactory(hero_image=image)
    urls = rendition_urls(client.get(interview.get_absolute_url()).content.decode())
    assert urls
    return image, urls


@pytest.mark.django_db
def test_rendition_addresses_cannot_be_found_by_counting(client, make_renditions):
    image, urls = shown_renditions(client, make_renditions)
    for url in urls:
        folder = url.split("/")[3]
        assert str(image.pk) != folder and len(folder) >= 22  # 128 random bits
        assert client.get(url).status_code == 200
    assert client.get(f"/media/renditions/{image.pk}/w960.jpeg").status_code == 404
    folders = {r.file.name.split("/")[1] for r in image.renditions.all()}
    assert len(folders) == image.renditions.count()  # one random folder each, none shared
    assert len(image.file.name.split("/")[1]) == 32


@pytest.mark.django_db
def test_an_image_past_its_licence_is_served_to_no_viewer(client):
    image = ImageFactory()
    interview = InterviewFactory(hero_image=image)
    urls = rendition_urls(client.get(interview.get_absolute_url()).content.decode())
    original = image.url
    assert client.get(original).status_code == 200
    Image.objects.filter(pk=image.pk).update(licence_expires_on=timezone.localdate())
    for url in [*urls, original]:
        assert client.get(url).status_code == 404, url
    client.force_login(make_editor())
    for url in [*urls, original]:
        assert client.get(url).status_code == 200, url  # staff still see it in the library
    Image.objects.filter(pk=image.pk).update(
        licence_expires_on=timezone.localdate() + timedelta(days=1)
    )
    client.logout()
    assert all(client.get(url).status_code == 200 for url in [*urls, original])


@pytest.mark.django_db
def test_files_no_image_owns_are_not_served(client):
    default_storage.save("renditions/7/w960.jpeg", ContentFile(b"left behind"))
    default_storage.save("notes/secret.txt", ContentFile(b"not an image"))
    assert client.get("/media/renditions/7/w960.jpeg").status_code == 404
    assert client.get("/media/notes/secret.txt").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/media/" + "a" * 300 + ".jpg",
        "/media/images/" + "b" * 250 + "/" + "c" * 250 + ".jpg",
        "/media/renditions/" + "é" * 200 + ".jpg",
        "/media/images/x%00.jpg",
        "/media/%00",
        "/share/abc%00def/",
        "/share/" + "a" * 300 + "/",
        "/share/%F0%9F%8E%AC/",
    ],
)
def test_overlong_and_nul_bearing_paths_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_forgets_renditions_at_guessable_addresses(client):
    from cms.media.models import Rendition

    image = ImageFactory()
    old_name = f"renditions/{image.pk}/w960.jpeg"
    default_storage.save(old_name, ContentFile(b"old"))
    Rendition.objects.create(image=image, spec="w960.jpeg", file=old_name, width=960)
    with replayed_migration("cms", "0006_content_version", "0007_unguessable_renditions"):
        assert not Rendition.objects.exists()  # rows only: files wait for the command
        assert default_storage.exists(old_name)
    # Asked once the later migrations are back: the models of today read today's columns.
    assert client.get(f"/media/{old_name}").status_code == 404  # no row owns it


@pytest.mark.django_db
def test_the_cleanup_deletes_orphan_and_guessable_renditions_and_nothing_else(
    client, make_renditions
):
    from io import StringIO

    from django.core.management import call_command

    from cms.media.models import Rendition

    image = ImageFactory()
    make_renditions(image)
    page = client.get(InterviewFactory(hero_image=image).get_absolute_url()).content.decode()
    kept = sorted(r.file.name for r in image.renditions.all())
    assert kept and rendition_urls(page)
    guessable = f"renditions/{image.pk}/w120.jpeg"  # written by a worker on the old code
    default_storage.save(guessable, ContentFile(b"old"))
    Rendition.objects.create(image=image, spec="w120.jpeg", file=guessable, width=120)
    orphan = default_storage.save("renditions/abc/w960.webp", ContentFile(b"left behind"))
    out = StringIO()
    call_command("delete_orphan_renditions", stdout=out)
    assert "Deleted 1 renditions at guessable addresses and " in out.getvalue()
    assert not default_storage.exists(guessable) and not default_storage.exists(orphan)
    assert sorted(r.file.name for r in image.renditions.all()) == kept
    assert all(default_storage.exists(name) for name in kept)
    call_command("delete_orphan_renditions", stdout=out)  # again: nothing left to do
    assert "Deleted 0 renditions at guessable addresses and 0 rendition files" in out.getvalue()


@pytest.mark.django_db
def test_renditions_are_kept_a_year_originals_an_hour_and_neither_past_the_licence(
    client, make_renditions
):
    image, urls = shown_renditions(client, make_renditions)
    for url in urls:
        assert client.get(url)["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(image.url)["Cache-Control"] == "public, max-age=3600"

    Image.objects.filter(pk=image.pk).update(
        licence_expires_on=timezone.localdate() + timedelta(days=2)
    )
    ends = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=2), datetime.min.time())
    )
    left = (ends - timezone.now()).total_seconds()
    seconds = int(client.get(urls[0])["Cache-Control"].removeprefix("public, max-age="))
    assert left - 5 <= seconds <= left  # up to the licence's end, not a year


@pytest.mark.django_db
def test_a_file_only_staff_may_see_is_never_stored(client, make_renditions):
    image = ImageFactory(licence_expires_on=timezone.localdate())
    make_renditions(image)
    client.force_login(make_editor())
    rendition = image.renditions.first()
    for url in (image.url, rendition.file.url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
