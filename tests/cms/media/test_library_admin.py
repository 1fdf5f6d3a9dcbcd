"""The image library in the admin: the grid, its filters, hints, "Used on", replacing a file,
and the picker's thumbnails."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from cms.media.models import Image, Rendition
from cms.media.uses import relations_to
from films.models import Person
from tests.admin_forms import change_form_data
from tests.cms.media.test_images import gps_exif
from tests.factories import (
    FigureFactory,
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PostFactory,
    jpeg_bytes,
)

LIST = reverse("admin:cms_image_changelist")


def listed(client: Client, query: str = "") -> set[int]:
    response = client.get(f"{LIST}{query}")
    assert response.status_code == 200
    return {image.pk for image in response.context["cl"].result_list}


# The grid -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_library_is_a_grid_of_lazy_thumbnails_not_the_files(editor_client):
    image = ImageFactory(alt_text="Ai Weiwei in his studio")
    page = editor_client.get(LIST).content.decode()
    thumbnail = reverse("admin:cms_image_rendition", args=[image.pk, "thumbnail"])
    assert f'src="{thumbnail}"' in page and 'loading="lazy"' in page
    assert image.file.url not in page  # never the original, however large it is
    change = reverse("admin:cms_image_change", args=[image.pk])
    assert re.search(rf'<a class="image-card-link" href="{change}">', page)
    assert "Ai Weiwei in his studio" in page


@pytest.mark.django_db
def test_a_made_thumbnail_is_linked_directly(editor_client):
    image = ImageFactory()
    rendition = image.library_rendition("thumbnail")
    page = editor_client.get(LIST).content.decode()
    assert f'src="{rendition.file.url}"' in page


@pytest.mark.django_db
def test_a_page_of_the_grid_costs_the_same_queries_for_one_image_or_many(editor_client):
    ImageFactory().library_rendition("thumbnail")
    with_one = count_queries(editor_client)
    for _ in range(5):
        ImageFactory(credit="", licence_expires_on=timezone.localdate())
    assert count_queries(editor_client) == with_one


def count_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_rendition_address_makes_a_square_webp_once_and_redirects_to_it(editor_client):
    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(900, 600), name="wide.jpg"), alt_text="Wide"
    )
    url = reverse("admin:cms_image_rendition", args=[image.pk, "thumbnail"])
    first = editor_client.get(url)
    assert first.status_code == 302
    rendition = image.renditions.get()
    assert first["Location"] == rendition.file.url
    assert (rendition.width, rendition.height) == (320, 320)
    with PILImage.open(rendition.file.path) as picture:
        assert picture.format == "WEBP"
    assert editor_client.get(url)["Location"] == rendition.file.url
    assert image.renditions.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["huge", "original", "Thumbnail"])
def test_an_unknown_rendition_size_is_not_found(editor_client, size):
    image = ImageFactory()
    url = reverse("admin:cms_image_change", args=[image.pk]).replace("change/", "")
    assert editor_client.get(f"{url}rendition/{size}/").status_code == 404
    assert not image.renditions.exists()


@pytest.mark.django_db
def test_a_rendition_of_a_missing_image_or_file_is_not_found(editor_client):
    assert editor_client.get(
        reverse("admin:cms_image_rendition", args=["999999", "thumbnail"])
    ).status_code == 404  # fmt: skip
    assert editor_client.get(
        reverse("admin:cms_image_rendition", args=["not-a-number", "thumbnail"])
    ).status_code == 404  # fmt: skip
    image = ImageFactory()
    image.file.storage.delete(image.file.name)
    response = editor_client.get(reverse("admin:cms_image_rendition", args=[image.pk, "preview"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_rendition_address_is_for_staff_only(client):
    image = ImageFactory()
    response = client.get(reverse("admin:cms_image_rendition", args=[image.pk, "thumbnail"]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not image.renditions.exists()


# Filters --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_unused_filter_leaves_out_every_kind_of_use(editor_client):
    unused = ImageFactory()
    used = {
        "hero": ImageFactory(),
        "social": ImageFactory(),
        "figure": ImageFactory(),
        "poster": ImageFactory(),
        "person": ImageFactory(),
        "post": ImageFactory(),
    }
    InterviewFactory(hero_image=used["hero"], social_image=used["social"])
    FigureFactory(image=used["figure"])
    FilmFactory(poster=used["poster"])
    Person.objects.create(name="Ai Weiwei", slug="ai-weiwei", photo=used["person"])
    PostFactory(hero_image=used["post"])
    assert listed(editor_client, "?use=unused") == {unused.pk}
    assert listed(editor_client) == {unused.pk, *(image.pk for image in used.values())}


@pytest.mark.django_db
def test_the_missing_credit_filter(editor_client):
    ImageFactory(credit="Photo: Ai Weiwei Studio")
    blank = ImageFactory(credit="")
    spaces = ImageFactory(credit="   ")
    assert listed(editor_client, "?credit=missing") == {blank.pk, spaces.pk}


@pytest.mark.django_db
def test_the_licence_filter_expiring_in_30_days_and_expired(editor_client):
    today = timezone.localdate()
    ImageFactory(licence_expires_on=None)
    ImageFactory(licence_expires_on=today + timedelta(days=31))
    in_30 = ImageFactory(licence_expires_on=today + timedelta(days=30))
    tomorrow = ImageFactory(licence_expires_on=today + timedelta(days=1))
    today_gone = ImageFactory(licence_expires_on=today)  # no longer shown from today
    last_year = ImageFactory(licence_expires_on=today - timedelta(days=365))
    assert listed(editor_client, "?licence=expiring") == {in_30.pk, tomorrow.pk}
    assert listed(editor_client, "?licence=expired") == {today_gone.pk, last_year.pk}
    page = editor_client.get(f"{LIST}?licence=expiring").content.decode()
    assert "Licence ends on" in page


@pytest.mark.django_db
def test_the_alt_text_filter_finds_flagged_file_names_and_image_of(editor_client):
    ImageFactory(alt_text="Ai Weiwei holds a camera in his Beijing studio")
    ImageFactory(alt_text="Imagery of the protests")  # "image of" only at the start
    flagged = ImageFactory(alt_text="A caption that came in", alt_text_needs_review=True)
    camera = ImageFactory(alt_text="IMG_1234")
    dsc = ImageFactory(alt_text="DSC-0042 final")
    extension = ImageFactory(alt_text="weiwei portrait.JPEG")
    image_of = ImageFactory(alt_text="Image of Ai Weiwei")
    photo_of = ImageFactory(alt_text="A photo of the studio")
    assert listed(editor_client, "?alt=review") == {
        flagged.pk, camera.pk, dsc.pk, extension.pk, image_of.pk, photo_of.pk,
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["?use=nonsense", "?licence=%00", "?alt=review&credit=missing&use=unused&licence=expired",
     "?q=%00", "?q=" + "x" * 3000, "?created_at__year=0"],
)  # fmt: skip
def test_bad_filters_and_searches_never_fail(editor_client, query):
    ImageFactory()
    assert editor_client.get(f"{LIST}{query}").status_code in (200, 302)


# Alt-text hints ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("alt_text", "hint"),
    [
        ("IMG_1234.jpg", "Looks like a file name"),
        ("DSC01234", "Looks like a file name"),
        ("beijing-studio.png", "Looks like a file name"),
        ("Image of Ai Weiwei", "Starts with “image of”"),
        ("picture of a crowd", "Starts with “image of”"),
        ("Ai Weiwei in his studio", "Looks fine."),
    ],
)
def test_the_change_form_hints_at_doubtful_alt_text(editor_client, alt_text, hint):
    image = ImageFactory(alt_text=alt_text)
    page = editor_client.get(reverse("admin:cms_image_change", args=[image.pk])).content.decode()
    shown = re.search(r"data-alt-text-hints.*?<ul>(.*?)</ul>", page, re.S).group(1)
    assert hint in shown
    assert ("Looks fine." in shown) is (hint == "Looks fine.")


@pytest.mark.django_db
def test_the_add_form_hints_that_the_alt_text_is_empty(editor_client):
    page = editor_client.get(reverse("admin:cms_image_add")).content.decode()
    assert "Empty: describe what the picture shows" in page
    assert "admin-image-form.js" in page


@pytest.mark.django_db
def test_hints_are_hints_an_image_with_a_file_name_as_alt_text_saves(editor_client):
    image = ImageFactory()
    response = edit_image(editor_client, image, alt_text="IMG_9999.JPG")
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "IMG_9999.JPG"


@pytest.mark.django_db
def test_the_grid_shows_the_alt_text_and_credit_notes(editor_client):
    ImageFactory(alt_text="Caption as alt", alt_text_needs_review=True, credit="")
    page = editor_client.get(LIST).content.decode()
    assert "Alt text to review" in page and "No credit." in page


@pytest.mark.django_db
def test_an_imported_alt_text_is_flagged_until_an_editor_saves_the_image(editor_client):
    image = ImageFactory(alt_text="From the caption", alt_text_needs_review=True)
    url = reverse("admin:cms_image_change", args=[image.pk])
    assert "Taken from a caption by the importer" in editor_client.get(url).content.decode()
    assert edit_image(editor_client, image).status_code == 302
    image.refresh_from_db()
    assert not image.alt_text_needs_review
    assert "Taken from a caption" not in editor_client.get(url).content.decode()
    assert listed(editor_client, "?alt=review") == set()


def edit_image(client: Client, image: Image, **changes):
    url = reverse("admin:cms_image_change", args=[image.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, change_form_data(page) | changes)


# Focal point ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_picture_to_click_is_a_rendition_with_the_number_boxes_beside(editor_client):
    image = ImageFactory()
    page = editor_client.get(reverse("admin:cms_image_change", args=[image.pk])).content.decode()
    preview = reverse("admin:cms_image_rendition", args=[image.pk, "preview"])
    assert f'src="{preview}"' in page and "data-focal-picker" in page
    assert 'id="id_focal_x"' in page and 'id="id_focal_y"' in page
    assert "Focal point in numbers" in page


@pytest.mark.django_db
def test_a_focal_point_off_the_picture_is_refused_and_nothing_changes(editor_client):
    image = ImageFactory(focal_x=0.25, focal_y=0.75)
    image.library_rendition("thumbnail")
    response = edit_image(editor_client, image, focal_x="1.5", focal_y="-0.1")
    assert response.status_code == 200
    assert "less than or equal to 1.0" in response.content.decode()
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.25, 0.75)
    assert image.renditions.count() == 1


@pytest.mark.django_db
def test_a_new_focal_point_recomputes_the_renditions(editor_client):
    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(900, 600), name="wide.jpg"), alt_text="Wide"
    )
    old = image.library_rendition("thumbnail")
    assert edit_image(editor_client, image, focal_x="0.9", focal_y="0.1").status_code == 302
    assert not Rendition.objects.filter(pk=old.pk).exists()
    new = Image.objects.get(pk=image.pk).library_rendition("thumbnail")
    assert new.file.name != old.file.name


# Used on ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_used_on_lists_every_use_linked_to_its_admin_page(editor_client):
    image = ImageFactory()
    interview = InterviewFactory(title="Alison Klayman on Filming", hero_image=image)
    figure_in = InterviewFactory(title="Another talk")
    FigureFactory(interview=figure_in, image=image)
    film = FilmFactory(title="Never Sorry", poster=image, social_image=image)
    person = Person.objects.create(name="Ai Weiwei", slug="ai-weiwei", photo=image)
    post = PostFactory(title="Premiere news", hero_image=image)
    ImageFactory()  # another image, used elsewhere
    InterviewFactory(title="Not this one", hero_image=ImageFactory())

    page = editor_client.get(reverse("admin:cms_image_change", args=[image.pk])).content.decode()
    used_on = page.split('id="image-used-on-title"')[1].split("</section>")[0]
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', used_on))
    assert links == {
        reverse("admin:interviews_interview_change", args=[interview.pk]): interview.title,
        reverse("admin:interviews_interview_change", args=[figure_in.pk]): figure_in.title,
        reverse("admin:films_film_change", args=[film.pk]): film.title,
        reverse("admin:films_person_change", args=[person.pk]): person.name,
        reverse("admin:blog_post_change", args=[post.pk]): post.title,
    }
    assert "Hero image" not in used_on and "hero image" in used_on
    assert "figure" in used_on and "poster image" in used_on and "social image" in used_on
    assert "Not this one" not in used_on


@pytest.mark.django_db
def test_used_on_costs_one_query_per_field_pointing_at_images(django_assert_num_queries):
    from django.contrib import admin

    image = ImageFactory()
    figures = [FigureFactory(image=image), FigureFactory(image=image)]
    hero = InterviewFactory(hero_image=image)
    fields = relations_to(Image)
    assert {f"{f.model._meta.label}.{f.name}" for f in fields} >= {
        "interviews.Interview.hero_image", "interviews.Figure.image", "films.Film.poster",
        "films.Person.photo", "blog.Post.hero_image", "films.Video.poster",
    }  # fmt: skip
    assert "cms.Rendition.image" not in {f"{f.model._meta.label}.{f.name}" for f in fields}
    with django_assert_num_queries(len(fields)):
        uses, more = image.uses(admin.site.is_registered)
        owners = sorted(str(use.owner) for use in uses)  # owners came with their rows
    assert owners == sorted([*(str(f.interview) for f in figures), str(hero)])
    assert not more


@pytest.mark.django_db
def test_an_unused_image_says_so(editor_client):
    image = ImageFactory()
    page = editor_client.get(reverse("admin:cms_image_change", args=[image.pk])).content.decode()
    assert "Not used anywhere yet." in page


# Replacing the file ------------------------------------------------------------------------


def upload(name: str = "replacement.jpg", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**options), content_type="image/jpeg")


@pytest.mark.django_db
def test_replacing_the_file_keeps_every_use_and_drops_the_old_file_and_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(640, 480), name="first.jpg"), alt_text="First"
    )
    interview = InterviewFactory(hero_image=image)
    figure = FigureFactory(image=image)
    old_file = image.file.name
    old_renditions = [image.library_rendition(size).file.name for size in Image.LIBRARY_SIZES]
    storage = image.file.storage

    replacement = SimpleUploadedFile(
        "IMG_0001.jpg", jpeg_bytes(300, 200, "red", exif=gps_exif()), content_type="image/jpeg"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_image(editor_client, image, file=replacement)
    assert response.status_code == 302

    replaced = Image.objects.get(pk=image.pk)
    assert Image.objects.count() == 1
    assert replaced.file.name != old_file
    assert re.fullmatch(r"images/[0-9a-f]{32}/IMG_0001\.jpg", replaced.file.name)
    assert (replaced.width, replaced.height) == (300, 200)
    with PILImage.open(replaced.file.path) as stored:
        assert not stored.getexif()  # no GPS, no camera
    interview.refresh_from_db()
    figure.refresh_from_db()
    assert interview.hero_image_id == figure.image_id == image.pk
    assert not replaced.renditions.exists()
    assert not storage.exists(old_file)
    assert not any(storage.exists(name) for name in old_renditions)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "The file is not an image this site can read."),
        (b"GIF89a truncated", "The file is not an image this site can read."),
    ],
)
def test_a_bad_replacement_leaves_the_image_as_it_was(
    editor_client, django_capture_on_commit_callbacks, content, message
):
    image = ImageFactory(alt_text="Kept")
    rendition = image.library_rendition("thumbnail")
    before = Image.objects.filter(pk=image.pk).values().get()
    bad = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_image(editor_client, image, file=bad, alt_text="Changed")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Image.objects.filter(pk=image.pk).values().get() == before
    assert image.file.storage.exists(image.file.name)
    assert image.renditions.get() == rendition and rendition.file.storage.exists(
        rendition.file.name
    )


@pytest.mark.django_db
def test_a_too_large_replacement_is_refused_with_the_limit(editor_client, settings):
    settings.CMS_IMAGE_MAX_PIXELS = 100 * 100
    image = ImageFactory()
    before = Image.objects.filter(pk=image.pk).values().get()
    response = edit_image(editor_client, image, file=upload(width=200, height=200))
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()
    assert Image.objects.filter(pk=image.pk).values().get() == before


# The picker --------------------------------------------------------------------------------

AUTOCOMPLETE = reverse("admin:cms_image_autocomplete")
HERO = {"app_label": "interviews", "model_name": "interview", "field_name": "hero_image"}


@pytest.mark.django_db
def test_the_picker_search_answers_with_thumbnails(editor_client):
    made = ImageFactory(alt_text="Ai Weiwei at work")
    made.library_rendition("thumbnail")
    waiting = ImageFactory(alt_text="Ai Weiwei's studio")
    ImageFactory(alt_text="A crowd")
    response = editor_client.get(AUTOCOMPLETE, HERO | {"term": "weiwei"})
    assert response.status_code == 200
    results = {row["id"]: row for row in response.json()["results"]}
    assert set(results) == {str(made.pk), str(waiting.pk)}
    assert results[str(made.pk)]["thumbnail"] == made.renditions.get().file.url
    assert results[str(waiting.pk)]["thumbnail"] == reverse(
        "admin:cms_image_rendition", args=[waiting.pk, "thumbnail"]
    )
    assert results[str(made.pk)]["text"] == "Ai Weiwei at work"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term", ["\x00", "%", "_", "'; DROP TABLE cms_image; --", "é" * 500, "a\x00b", "\\"]
)
def test_no_search_term_fails_the_picker(editor_client, term):
    ImageFactory()
    response = editor_client.get(AUTOCOMPLETE, HERO | {"term": term})
    assert response.status_code == 200
    assert "results" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"app_label": "interviews", "model_name": "interview", "field_name": "nope"},
        {"app_label": "interviews", "model_name": "interview", "field_name": "film"},
        {"app_label": "nope", "model_name": "nope", "field_name": "nope"},
        HERO | {"page": "abc"},
    ],
)
def test_bad_picker_requests_are_refused_not_failed(editor_client, params):
    ImageFactory()
    assert editor_client.get(AUTOCOMPLETE, params).status_code in (403, 404)


@pytest.mark.django_db
def test_an_interview_form_picks_images_with_thumbnails(editor_client):
    image = ImageFactory(alt_text="The hero")
    interview = InterviewFactory(hero_image=image)
    FigureFactory(interview=interview, image=ImageFactory(alt_text="A figure"))
    page = editor_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    html = page.content.decode()
    assert "js/admin-image-picker.js" in html
    hero = re.search(r'<select name="hero_image"[^>]*>.*?</select>', html, re.S).group()
    assert f'data-ajax--url="{AUTOCOMPLETE}"' in hero
    thumbnail = reverse("admin:cms_image_rendition", args=[image.pk, "thumbnail"])
    assert f'data-thumbnail="{thumbnail}"' in hero and "selected" in hero
    template = reverse("admin:cms_image_rendition", args=["__id__", "thumbnail"])
    assert f'data-thumbnail-template="{template}"' in hero  # for a pop-up's new image
    figure = re.search(r'<select name="figures-0-image"[^>]*>', html).group()
    assert f'data-ajax--url="{AUTOCOMPLETE}"' in figure
    film = re.search(r'<select name="film"[^>]*>', html).group()
    assert AUTOCOMPLETE not in film  # other pickers keep Django's own address
