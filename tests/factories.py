"""Factories for every content model; images are real JPEG files made by Pillow."""

import io
import zoneinfo
from datetime import datetime, timedelta
from importlib import import_module

import factory
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from blog.models import Post
from cms.media.models import Image
from cms.publishing.permissions import EDITORS_GROUP
from films.models import Credit, Film, Person, Screening
from interviews.models import Figure, Interview, QuestionAnswer


def jpeg_bytes(width: int = 64, height: int = 48, color: str = "teal", exif=None) -> bytes:
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", (width, height), color)
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, "JPEG", **options)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.Sequence(lambda n: ContentFile(jpeg_bytes(), name=f"photo-{n}.jpg"))
    alt_text = factory.Sequence(lambda n: f"A photo, number {n}")
    caption = "A caption"
    credit = "A photographer"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class PublishedMixin(factory.django.DjangoModelFactory):
    status = "published"
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class FilmFactory(PublishedMixin):
    class Meta:
        model = Film

    title = factory.Sequence(lambda n: f"Film {n}")
    slug = factory.Sequence(lambda n: f"film-{n}")
    logline = "A film about something."
    synopsis = "<p>What happens.</p>"
    year = 2012
    runtime_minutes = 91


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    film = factory.SubFactory(FilmFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.DIRECTOR


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    film = factory.SubFactory(FilmFactory)
    kind = Screening.Kind.FESTIVAL
    venue = "A Theatre"
    city = "Park City"
    time_zone = "America/Denver"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class InterviewFactory(PublishedMixin):
    class Meta:
        model = Interview

    title = factory.Sequence(lambda n: f"Interview {n}")
    slug = factory.Sequence(lambda n: f"interview-{n}")
    film = factory.SubFactory(FilmFactory)
    intro = "<p>An introduction.</p>"


class QuestionAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionAnswer

    interview = factory.SubFactory(InterviewFactory)
    question = factory.Sequence(lambda n: f"What is question {n}?")
    answer = factory.Sequence(lambda n: f"<p>Answer {n}.</p>")


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    interview = factory.SubFactory(InterviewFactory)
    image = factory.SubFactory(ImageFactory)


class StaffAuthorFactory(factory.django.DjangoModelFactory):
    """A staff account that signs posts: a full name to print, an address never shown."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"author{n}")
    first_name = "Ann"
    last_name = factory.Sequence(lambda n: f"Writer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@staff.example")
    is_staff = True


class PostFactory(PublishedMixin):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"News item {n}")
    slug = factory.Sequence(lambda n: f"news-item-{n}")
    dek = "A short summary."
    body = "<p>The body.</p>"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: str = "UTC"):
    return datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(tz))


# The data migrations that give the Editors group its permissions, in the order they run.
EDITOR_MIGRATIONS = (
    "cms.migrations.0002_editors_group",
    "cms.migrations.0009_editors_outgoing_email",
    "films.migrations.0002_editors_group",
    "films.migrations.0005_editors_windows_and_videos",
    "interviews.migrations.0002_editors_group",
    "blog.migrations.0002_editors_group",
    "outreach.migrations.0002_editors_group",
    "films.migrations.0007_publish_and_approve_permissions",
    "interviews.migrations.0006_publish_and_approve_permissions",
    "blog.migrations.0006_publish_and_approve_permissions",
    "outreach.migrations.0003_publish_and_approve_permissions",
    "cms.migrations.0014_site_settings",
)


def editors_group() -> Group:
    """The Editors group; recreated by the migrations' own code if a flush removed it.

    Transactional tests (the browser's) empty every table afterwards, rows made by data
    migrations included.
    """
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        for migration in EDITOR_MIGRATIONS:
            import_module(migration).grant(django_apps, None)
        group = Group.objects.get(name=EDITORS_GROUP)
    return group


EDITOR_PASSWORD = "a-long-test-password"


def make_editor(username: str = "ed", password: str = EDITOR_PASSWORD):
    """A staff user in the Editors group, as the data migration sets it up; not a superuser."""
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(editors_group())
    return user
