"""Ordering by hand in chromium: drag a pair by its grip, or move it with the keyboard.

The mouse goes down on the grip, moves and comes up, as a hand would (SortableJS runs on
pointer events, so touch works the same way). After the save the public page reads in the
new order and the photo placed after an answer is still after that answer.
"""

import pytest
from playwright.sync_api import expect

from films.models import Credit
from tests.factories import (
    CreditFactory,
    FigureFactory,
    FilmFactory,
    InterviewFactory,
    PersonFactory,
    QuestionAnswerFactory,
)

desktop_only = pytest.mark.parametrize("page", [(1280, 900)], ids=["desktop"], indirect=True)
QUESTIONS = ["How did you start?", "Why this film?", "What next?"]


@pytest.fixture
def interview(live_db):
    interview = InterviewFactory(title="Ordering by hand")
    for n, question in enumerate(QUESTIONS, 1):
        QuestionAnswerFactory(interview=interview, sort_order=n, question=question)
    third = interview.pairs.get(sort_order=3)
    FigureFactory(interview=interview, pair=third, caption="Crew", image__credit="")
    return interview


def drag(page, handle, target) -> None:
    """Mouse down on ``handle``, move in steps to the top of ``target``, mouse up."""
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    end = target.bounding_box()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 4, steps=25)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 2, steps=5)
    page.mouse.up()


def public_order(page, live_server, interview) -> list[str]:
    page.goto(live_server.url + interview.get_absolute_url())
    return page.locator(".qa .qa__question, .qa figure figcaption").all_inner_texts()


def save(page) -> None:
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


@desktop_only
def test_a_pair_dragged_above_another_is_saved_and_its_photo_follows(
    editor_page, live_server, interview
):
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": 2200})  # all three pairs in view
    page.goto(f"{live_server.url}/admin/interviews/interview/{interview.pk}/change/")
    expect(page.locator("#pairs-0 .cms-drag-handle")).to_be_visible()
    expect(page.locator("#id_pairs-0-sort_order")).to_be_hidden()
    expect(page.locator("#id_pairs-0-anchor")).to_be_hidden()  # folded under "Advanced"

    drag(page, page.locator("#pairs-2 .cms-drag-handle"), page.locator("#pairs-0"))

    rows = page.locator("#pairs-group .inline-related:not(.empty-form) .field-question textarea")
    expect(rows.first).to_have_value("What next?")
    expect(page.locator("#id_pairs-2-sort_order")).to_have_value("1")
    expect(page.locator("#pairs-group .cms-order-status")).to_have_text(
        "Question 3 moved to position 1"
    )
    # The photo's "After answer" already names the answer by its new number.
    expect(page.locator("#id_figures-0-pair option:checked")).to_have_text("1. What next?")
    save(page)

    assert [p.question for p in interview.pairs.all()] == [QUESTIONS[2], *QUESTIONS[:2]]
    assert public_order(page, live_server, interview) == [
        "What next?", "Crew", "How did you start?", "Why this film?"
    ]  # fmt: skip


@desktop_only
def test_the_keyboard_moves_a_pair_and_hears_where_it_went(editor_page, live_server, interview):
    page = editor_page
    page.goto(f"{live_server.url}/admin/interviews/interview/{interview.pk}/change/")
    status = page.locator("#pairs-group .cms-order-status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.locator("#pairs-2 .cms-move-up").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Question 3 moved to position 2")
    page.keyboard.press("Enter")  # the focus stayed on "Move up"
    expect(status).to_have_text("Question 2 moved to position 1")
    expect(page.locator("#pairs-2 .cms-move-up")).to_be_disabled()
    expect(page.locator("#pairs-2 .cms-move-down")).to_be_focused()
    save(page)

    assert [p.question for p in interview.pairs.all()] == [QUESTIONS[2], *QUESTIONS[:2]]
    assert public_order(page, live_server, interview)[:2] == ["What next?", "Crew"]


@desktop_only
def test_credits_of_a_film_are_dragged_into_order(editor_page, live_server):
    film = FilmFactory(title="Credits by hand")
    for n, name in enumerate(["Ann Director", "Bo Producer", "Cy Editor"], 1):
        CreditFactory(film=film, person=PersonFactory(name=name), sort_order=n)
    page = editor_page
    page.goto(f"{live_server.url}/admin/films/film/{film.pk}/change/")
    expect(page.locator("#id_credits-0-sort_order")).to_be_hidden()

    drag(page, page.locator("#credits-2 .cms-drag-handle"), page.locator("#credits-0"))
    expect(page.locator("#credits-group .cms-order-status")).to_have_text(
        "Credit 3 moved to position 1"
    )
    save(page)

    names = (
        Credit.objects.filter(film=film)
        .order_by("sort_order")
        .values_list("person__name", flat=True)
    )
    assert list(names) == ["Cy Editor", "Ann Director", "Bo Producer"]


@desktop_only
def test_order_restored_into_the_hidden_fields_rearranges_the_rows(
    editor_page, live_server, interview
):
    """Autosave's restore sets each field and fires "change": the rows follow the numbers."""
    page = editor_page
    page.goto(f"{live_server.url}/admin/interviews/interview/{interview.pk}/change/")
    page.evaluate(
        """() => ["3", "1", "2"].forEach((value, n) => {
            const field = document.getElementById(`id_pairs-${n}-sort_order`);
            field.value = value;
            field.dispatchEvent(new Event("change", { bubbles: true }));
        })"""
    )
    rows = page.locator("#pairs-group .inline-related:not(.empty-form) .field-question textarea")
    expect(rows.nth(0)).to_have_value("Why this film?")
    expect(rows.nth(1)).to_have_value("What next?")
    expect(rows.nth(2)).to_have_value("How did you start?")
    expect(page.locator("#pairs-group .add-row")).to_be_visible()
    save(page)
    assert [p.question for p in interview.pairs.all()] == [QUESTIONS[1], QUESTIONS[2], QUESTIONS[0]]
