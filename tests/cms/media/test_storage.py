"""Uploads on S3-compatible object storage, against a real S3 API server (moto, run locally).

The server is moto's standalone mode: a separate process speaking the S3 protocol over
HTTP, which django-storages and boto3 talk to exactly as they would to AWS or MinIO.
"""

import subprocess
import sys

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cms.media.models import Image
from tests.factories import InterviewFactory, jpeg_bytes
from tests.services import free_port, wait_until_listening

BUCKET = "outreach-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    wait_until_listening(port, server, "moto's S3 server")
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """Media storage on the local S3 server, in a fresh bucket."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint,
                        "region_name": "us-east-1", "querystring_auth": False,
                        "file_overwrite": False, "default_acl": None},
        },
    }  # fmt: skip
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_an_upload_and_its_renditions_are_stored_in_the_bucket(
    client, s3, s3_endpoint, make_renditions
):
    assert default_storage.__class__.__name__ == "S3Storage"
    image = Image(alt_text="A test photo", file=ContentFile(jpeg_bytes(800, 600), "photo.jpg"))
    image.save()
    stored = s3.get_object(Bucket=BUCKET, Key=image.file.name)
    assert stored["ContentType"] == "image/jpeg"
    assert image.url.startswith(f"{s3_endpoint}/{BUCKET}/images/")
    make_renditions(image)  # the worker reads the upload from the bucket and writes there
    interview = InterviewFactory(hero_image=image)
    page = client.get(interview.get_absolute_url()).content.decode()
    renditions = [r.file.name for r in image.renditions.all()]
    shown = [key for key in renditions if f"{s3_endpoint}/{BUCKET}/{key}" in page]
    assert len(shown) == 12  # 240, 480, 768 and 800 (its own width) wide, in three formats
    assert set(renditions) <= set(keys(s3))
    assert {key.rsplit(".", 1)[1] for key in renditions} == {"avif", "webp", "jpeg"}
    kinds = {s3.head_object(Bucket=BUCKET, Key=key)["ContentType"] for key in renditions}
    assert kinds == {"image/avif", "image/webp", "image/jpeg"}


@pytest.mark.django_db
def test_an_image_named_like_a_web_page_is_stored_as_the_image_it_is(s3):
    from io import BytesIO

    from PIL import Image as Pil

    buffer = BytesIO()
    Pil.new("RGB", (20, 20), "red").save(buffer, "PNG")
    image = Image(alt_text="Disguised", file=ContentFile(buffer.getvalue(), "page.html"))
    image.full_clean()
    image.save()
    assert image.file.name.endswith(".png")
    assert s3.head_object(Bucket=BUCKET, Key=image.file.name)["ContentType"] == "image/png"
    assert not [key for key in keys(s3) if key.endswith(".html")]
