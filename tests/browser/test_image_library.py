"""The image library in a real browser: the grid on a phone and a desktop, the focal point
set by a click, and thumbnails in an interview's image picker."""

import re

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from cms.media.models import Image, Rendition
from cms.media.renditions import spec_name
from tests.browser.accounts import sign_in
from tests.checkers import axe_violations
from tests.factories import ImageFactory, InterviewFactory, jpeg_bytes, make_editor

LIST = "/admin/cms/image/"

LOADED = "img => img.complete && img.naturalWidth > 0"


def test_the_library_is_a_grid_of_thumbnails_on_a_phone_and_a_desktop(editor_page, live_server):
    for n, colour in enumerate(["teal", "orange", "purple", "olive"]):
        image = ImageFactory(alt_text=f"Photo {n}", file=ContentFile(jpeg_bytes(600, 400, colour),
                                                                     name=f"p{n}.jpg"))  # fmt: skip
        # Made before: the test server shares one SQLite connection between its threads, so
        # thumbnails made by parallel requests would trip over each other there (not on a
        # real server, where each request has its own connection and SQLite queues writes).
        image.library_rendition("thumbnail")
    ImageFactory(alt_text="IMG_1234.jpg", credit="")  # its thumbnail is made on first view
    page = editor_page
    page.goto(live_server.url + LIST)
    cards = page.locator(".image-card")
    expect(cards).to_have_count(5)
    for thumb in page.locator(".image-card-thumb").all():
        thumb.scroll_into_view_if_needed()  # lazy: loaded as it comes into view
        page.wait_for_function(LOADED, arg=thumb.element_handle())
    thumbnail = spec_name(*Image.LIBRARY_SIZES["thumbnail"])
    assert Rendition.objects.filter(spec=thumbnail).count() == 5
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    boxes = [card.bounding_box() for card in cards.all()]
    columns = len({round(box["x"]) for box in boxes})
    assert columns >= (2 if width < 500 else 3)
    expect(page.get_by_text("Alt text is a file name")).to_be_visible()

    # Tab reaches a card's link, named by its alt text, shows where it is, and opens it.
    page.get_by_role("link", name="IMG_1234.jpg").wait_for()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "IMG_1234.jpg":
            break
    else:
        raise AssertionError("Tab never reached the card's link")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/cms/image/\d+/change/$"))
    expect(page.get_by_text("Looks like a file name")).to_be_visible()


def test_the_filters_narrow_the_grid(editor_page, live_server):
    ImageFactory(alt_text="Credited")
    ImageFactory(alt_text="Nobody credited", credit="")
    page = editor_page
    page.goto(live_server.url + LIST)
    if page.viewport_size["width"] < 768:
        page.get_by_role("navigation", name="Filter").scroll_into_view_if_needed()
    page.get_by_role("link", name="Missing credit").click()
    expect(page.locator(".image-card")).to_have_count(1)
    expect(page.locator(".image-card")).to_contain_text("Nobody credited")


def test_a_click_on_the_picture_sets_the_focal_point(editor_page, live_server):
    image = Image.objects.create(
        file=ContentFile(jpeg_bytes(800, 600), name="wide.jpg"), alt_text="A wide street"
    )
    old = image.library_rendition("thumbnail")
    page = editor_page
    page.goto(live_server.url + f"{LIST}{image.pk}/change/")
    picture = page.locator(".focal-picker-image")
    page.wait_for_function(LOADED, arg=picture.element_handle())
    marker = page.locator(".focal-marker")
    expect(marker).to_be_hidden()  # no focal point yet
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    expect(marker).to_be_visible()
    assert abs(float(page.locator("#id_focal_x").input_value()) - 0.25) < 0.02
    assert abs(float(page.locator("#id_focal_y").input_value()) - 0.75) < 0.02
    spot = marker.bounding_box()
    centre = (spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
    assert abs(centre[0] - (box["x"] + box["width"] * 0.25)) < 3
    assert abs(centre[1] - (box["y"] + box["height"] * 0.75)) < 3
    expect(page.locator("[data-focal-status]")).to_contain_text("25% across, 75% down")

    page.locator("input[name=_continue]").click()
    page.wait_for_url(f"**{LIST}{image.pk}/change/")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.25) < 0.02 and abs(image.focal_y - 0.75) < 0.02
    assert not image.renditions.filter(pk=old.pk).exists()  # recomputed around the new point
    expect(page.locator(".focal-marker")).to_be_visible()  # shown again from the saved values


def test_the_number_boxes_move_the_marker_for_keyboard_users(editor_page, live_server):
    image = ImageFactory(focal_x=0.5, focal_y=0.5)
    page = editor_page
    page.goto(live_server.url + f"{LIST}{image.pk}/change/")
    page.locator("summary", has_text="Focal point in numbers").click()
    page.locator("#id_focal_x").fill("0.1")
    picture = page.locator(".focal-picker-image").bounding_box()
    spot = page.locator(".focal-marker").bounding_box()
    assert abs(spot["x"] + spot["width"] / 2 - (picture["x"] + picture["width"] * 0.1)) < 3


def test_the_alt_text_hints_follow_the_typing(editor_page, live_server):
    page = editor_page
    page.goto(live_server.url + f"{LIST}add/")
    hints = page.locator("[data-alt-text-hints]")
    expect(hints).to_contain_text("Empty")
    page.locator("#id_alt_text").fill("DSC_0042.JPG")
    expect(hints).to_contain_text("Looks like a file name")
    page.locator("#id_alt_text").fill("Image of a crowd in Beijing")
    expect(hints).to_contain_text("Starts with “image of”")
    page.locator("#id_alt_text").fill("A crowd in Beijing")
    expect(hints).to_contain_text("Looks fine.")


def test_the_interview_form_picks_images_by_their_thumbnails(editor_page, live_server):
    chosen = ImageFactory(alt_text="Alison Klayman filming")
    chosen.library_rendition("thumbnail")  # one thumbnail made per request (see the grid's test)
    ImageFactory(alt_text="Ai Weiwei's studio door")
    interview = InterviewFactory(title="Never Sorry talk", hero_image=chosen)
    page = editor_page
    page.goto(live_server.url + f"/admin/interviews/interview/{interview.pk}/change/")
    field = page.locator(".field-hero_image")
    chosen_thumb = field.locator(".select2-selection .image-choice-thumb")
    expect(chosen_thumb).to_be_visible()
    page.wait_for_function(LOADED, arg=chosen_thumb.element_handle())
    expect(field.locator(".select2-selection")).to_contain_text("Alison Klayman filming")

    field.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("studio")
    option = page.locator(".select2-results__option", has_text="Ai Weiwei's studio door")
    expect(option.locator("img.image-choice-thumb")).to_be_visible()
    page.wait_for_function(LOADED, arg=option.locator("img").element_handle())
    option.click()
    expect(field.locator(".select2-selection")).to_contain_text("Ai Weiwei's studio door")
    expect(field.locator(".select2-selection .image-choice-thumb")).to_be_visible()


def test_the_library_pages_pass_axe(axe_page, live_server, live_db):

    image = ImageFactory(alt_text="IMG_0001.jpg", credit="", focal_x=0.3, focal_y=0.6)
    InterviewFactory(hero_image=image)
    sign_in(axe_page, live_server, make_editor())
    problems = {}
    for path in [LIST, f"{LIST}?alt=review", f"{LIST}{image.pk}/change/", f"{LIST}add/"]:
        axe_page.goto(live_server.url + path)
        if found := axe_violations(axe_page):
            problems[path] = found
    assert problems == {}
