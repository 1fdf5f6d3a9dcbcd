"""Ordering by hand in the admin: hidden order fields, figures that follow their answer.

The browser numbers the hidden order fields (static/js/admin-reorder.js); these tests post
what it would post, and what a tampered form would, through Django's test client.
"""

import re

import pytest
from django.urls import reverse

from films.models import Credit
from interviews.models import Figure, QuestionAnswer
from tests.admin_forms import change_form_data
from tests.factories import (
    CreditFactory,
    FigureFactory,
    FilmFactory,
    InterviewFactory,
    PersonFactory,
    QuestionAnswerFactory,
)


def interview_url(interview) -> str:
    return reverse("admin:interviews_interview_change", args=[interview.pk])


def film_url(film) -> str:
    return reverse("admin:films_film_change", args=[film.pk])


def form_index(data: dict, prefix: str, pk: int) -> int:
    """The formset index of the stored row ``pk`` in posted ``data``."""
    return next(
        int(re.match(rf"{prefix}-(\d+)-id", name).group(1))
        for name, value in data.items()
        if re.fullmatch(rf"{prefix}-\d+-id", name) and value == str(pk)
    )


def stored(interview) -> dict:
    """Everything ordering could change, to show a refused post changed nothing."""
    return {
        "pairs": list(interview.pairs.values_list("pk", "sort_order", "question", "anchor")),
        "figures": list(
            Figure.objects.filter(interview=interview)
            .order_by("pk")
            .values_list("pk", "pair_id", "sort_order", "caption")
        ),
    }


@pytest.fixture
def interview():
    """Three pairs; a photo before the text, two after the third answer."""
    interview = InterviewFactory(title="Ordering", status="draft", publish_at=None)
    for n, question in enumerate(["How did you start?", "Why this film?", "What next?"], 1):
        QuestionAnswerFactory(interview=interview, sort_order=n, question=question)
    third = interview.pairs.get(sort_order=3)
    FigureFactory(interview=interview, pair=None, caption="Opening photo")
    FigureFactory(interview=interview, pair=third, sort_order=1, caption="Crew at work")
    FigureFactory(interview=interview, pair=third, sort_order=2, caption="The premiere")
    return interview


@pytest.mark.django_db
def test_order_fields_are_hidden_and_anchors_folded_under_advanced(editor_client, interview):
    page = editor_client.get(interview_url(interview)).content.decode()
    for prefix in ("pairs", "figures"):
        assert re.search(
            rf'<input type="hidden" name="{prefix}-0-sort_order"[^>]*data-cms-order', page
        )
        assert not re.search(rf'<input type="number" name="{prefix}-\d+-sort_order"', page)
    fold = re.search(r"<details><summary>\s*<h4[^>]*>Advanced</h4>.*?</details>", page, re.S)
    assert fold and 'name="pairs-0-anchor"' in fold.group(0)
    assert "vendor/sortablejs/Sortable.min.js" in page and "js/admin-reorder.js" in page


@pytest.mark.django_db
def test_after_answer_names_answers_by_number_and_question(editor_client, interview):
    page = editor_client.get(interview_url(interview)).content.decode()
    select = re.search(r'<select name="figures-0-pair".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options == [
        "Before the first question", "1. How did you start?", "2. Why this film?", "3. What next?"
    ]  # fmt: skip
    assert "Save to place a photo after a new answer." in page
    other = QuestionAnswerFactory(question="Another interview's question?")
    assert other.question not in page


@pytest.mark.django_db
def test_posting_reordered_order_fields_reorders_pairs_and_figures_follow(editor_client, interview):
    data = change_form_data(editor_client.get(interview_url(interview)))
    first, second, third = interview.pairs.all()
    for pair, order in [(third, 1), (first, 2), (second, 3)]:  # the third dragged to the top
        data[f"pairs-{form_index(data, 'pairs', pair.pk)}-sort_order"] = str(order)

    response = editor_client.post(interview_url(interview), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(interview.pairs.values_list("question", "sort_order")) == [
        ("What next?", 1), ("How did you start?", 2), ("Why this film?", 3)
    ]  # fmt: skip
    body = [str(block) for block in interview.body()]
    assert body == ["Opening photo", "What next?", "Crew at work", "The premiere",
                    "How did you start?", "Why this film?"]  # fmt: skip
    # The admin shows it: the photos' answer is now number 1.
    page = editor_client.get(interview_url(interview)).content.decode()
    selects = re.findall(r'<select name="figures-\d+-pair".*?</select>', page, re.S)
    chosen = [re.search(r"<option[^>]* selected>([^<]*)<", s).group(1) for s in selects]
    assert chosen == ["Before the first question", "1. What next?", "1. What next?"]


@pytest.mark.django_db
def test_dragging_a_photo_among_photos_changes_only_its_place_after_the_same_answer(
    editor_client, interview
):
    data = change_form_data(editor_client.get(interview_url(interview)))
    crew, premiere = Figure.objects.filter(pair__isnull=False).order_by("sort_order")
    data[f"figures-{form_index(data, 'figures', premiere.pk)}-sort_order"] = "1"
    data[f"figures-{form_index(data, 'figures', crew.pk)}-sort_order"] = "2"

    assert editor_client.post(interview_url(interview), data).status_code == 302

    crew.refresh_from_db()
    premiere.refresh_from_db()
    assert (premiere.sort_order, crew.sort_order) == (1, 2)
    assert premiere.pair == crew.pair == interview.pairs.get(question="What next?")
    body = [str(block) for block in interview.body()]
    assert body[-2:] == ["The premiere", "Crew at work"]


@pytest.mark.django_db
def test_a_new_pair_goes_last_and_a_deleted_one_leaves_no_gap(editor_client, interview):
    data = change_form_data(editor_client.get(interview_url(interview)))
    first = interview.pairs.get(sort_order=1)
    data[f"pairs-{form_index(data, 'pairs', first.pk)}-DELETE"] = "on"
    new = int(data["pairs-TOTAL_FORMS"]) - 1  # the blank extra form
    data |= {f"pairs-{new}-question": "A new question?", f"pairs-{new}-answer": "<p>New.</p>",
             f"pairs-{new}-sort_order": "0"}  # fmt: skip  # as posted with no script

    assert editor_client.post(interview_url(interview), data).status_code == 302

    assert list(interview.pairs.values_list("question", "sort_order")) == [
        ("Why this film?", 1), ("What next?", 2), ("A new question?", 3)
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "greater than or equal to 0"), ("first", "Enter a whole number")],
    ids=["negative", "not-a-number"],
)
def test_a_broken_pair_order_is_refused_with_a_visible_message(
    editor_client, interview, value, message
):
    before = stored(interview)
    data = change_form_data(editor_client.get(interview_url(interview)))
    data["pairs-1-sort_order"] = value
    data["pairs-0-question"] = "Changed too, but not saved"

    response = editor_client.post(interview_url(interview), data)

    assert response.status_code == 200
    page = response.content.decode()
    shown = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', page, re.S)
    assert shown and "The position of this row is not valid" in shown.group(1)
    assert message in shown.group(1)
    assert stored(interview) == before


@pytest.mark.django_db
def test_a_broken_figure_order_is_refused_with_a_visible_message(editor_client, interview):
    before = stored(interview)
    data = change_form_data(editor_client.get(interview_url(interview)))
    data["figures-0-sort_order"] = "-3"

    response = editor_client.post(interview_url(interview), data)

    assert response.status_code == 200
    assert re.search(
        r'<tr class="row-form-errors">.*?The position of this row is not valid',
        response.content.decode(),
        re.S,
    )
    assert stored(interview) == before


@pytest.mark.django_db
def test_a_figure_cannot_be_placed_after_another_interviews_answer(editor_client, interview):
    stranger = QuestionAnswerFactory(question="Someone else's question?")
    before = stored(interview)
    data = change_form_data(editor_client.get(interview_url(interview)))
    data["figures-0-pair"] = str(stranger.pk)  # a tampered post
    data["title"] = "Renamed, but not saved"

    response = editor_client.post(interview_url(interview), data)

    assert response.status_code == 200
    assert "Choose an answer of this interview" in response.content.decode()
    assert stored(interview) == before
    interview.refresh_from_db()
    assert interview.title == "Ordering"
    assert not Figure.objects.filter(pair=stranger).exists()


@pytest.mark.django_db
def test_a_new_interview_offers_no_answer_to_follow(editor_client):
    stranger = QuestionAnswerFactory()
    page = editor_client.get(reverse("admin:interviews_interview_add")).content.decode()
    assert "Save to place a photo after a new answer." in page
    assert f'<option value="{stranger.pk}"' not in page


@pytest.fixture
def film():
    film = FilmFactory(title="Credits")
    for n, name in enumerate(["Ann Director", "Bo Producer", "Cy Editor"], 1):
        CreditFactory(film=film, person=PersonFactory(name=name), sort_order=n)
    return film


def credit_names(film) -> list[str]:
    return [c.person.name for c in film.credits.select_related("person").order_by("sort_order")]


@pytest.mark.django_db
def test_posting_reordered_credits_reorders_them(editor_client, film):
    page = editor_client.get(film_url(film))
    assert re.search(r'<input type="hidden" name="credits-0-sort_order"', page.content.decode())
    data = change_form_data(page)
    ann, bo, cy = film.credits.order_by("sort_order")
    for credit, order in [(cy, 1), (ann, 2), (bo, 3)]:
        data[f"credits-{form_index(data, 'credits', credit.pk)}-sort_order"] = str(order)

    response = editor_client.post(film_url(film), data)

    assert response.status_code == 302, response.context["errors"]
    assert credit_names(film) == ["Cy Editor", "Ann Director", "Bo Producer"]


@pytest.mark.django_db
def test_a_new_credit_posted_without_a_position_goes_last(editor_client, film):
    data = change_form_data(editor_client.get(film_url(film)))
    new = int(data["credits-TOTAL_FORMS"])
    person = PersonFactory(name="Di Composer")
    data |= {"credits-TOTAL_FORMS": str(new + 1), f"credits-{new}-person": str(person.pk),
             f"credits-{new}-role": "composer", f"credits-{new}-sort_order": "0",
             f"credits-{new}-film": str(film.pk)}  # fmt: skip

    assert editor_client.post(film_url(film), data).status_code == 302

    assert credit_names(film) == ["Ann Director", "Bo Producer", "Cy Editor", "Di Composer"]
    assert film.credits.get(person=person).sort_order == 4


@pytest.mark.django_db
def test_a_broken_credit_order_is_refused_and_nothing_changes(editor_client, film):
    before = list(Credit.objects.order_by("pk").values_list("pk", "sort_order", "role"))
    data = change_form_data(editor_client.get(film_url(film)))
    data["credits-2-sort_order"] = "1.5"

    response = editor_client.post(film_url(film), data)

    assert response.status_code == 200
    assert "The position of this row is not valid" in response.content.decode()
    assert list(Credit.objects.order_by("pk").values_list("pk", "sort_order", "role")) == before


@pytest.mark.django_db
def test_history_compare_lists_pairs_in_their_new_order(editor_client, interview):
    data = change_form_data(editor_client.get(interview_url(interview)))
    assert editor_client.post(interview_url(interview), data).status_code == 302
    data = change_form_data(editor_client.get(interview_url(interview)))
    first, _, third = interview.pairs.all()
    data[f"pairs-{form_index(data, 'pairs', third.pk)}-sort_order"] = "1"
    data[f"pairs-{form_index(data, 'pairs', first.pk)}-sort_order"] = "3"
    assert editor_client.post(interview_url(interview), data).status_code == 302

    from reversion.models import Version

    from cms.publishing.history import version_document
    from interviews.admin import InterviewAdmin

    old, new = Version.objects.get_for_object(interview).order_by("pk")
    fields, related = InterviewAdmin.history_fields, InterviewAdmin.history_related
    before, after = version_document(old, fields, related), version_document(new, fields, related)
    assert before["Question 1: question"] == after["Question 3: question"] == "How did you start?"
    assert after["Question 1: question"] == "What next?"
    photos = sorted(value for label, value in after.items() if label.endswith("after answer"))
    assert photos == ["", "What next?", "What next?"]
    assert QuestionAnswer.objects.filter(interview=interview).count() == 3


def test_deleting_an_answer_while_editing_its_photo_keeps_the_photo_before(
    editor_client, interview
):
    """Photos are saved before pairs are deleted: the photo's edit is kept and the deletion
    moves it to the answer before, instead of a 500 on a reference to a deleted row."""
    data = change_form_data(editor_client.get(interview_url(interview)))
    third, second = interview.pairs.get(sort_order=3), interview.pairs.get(sort_order=2)
    data[f"pairs-{form_index(data, 'pairs', third.pk)}-DELETE"] = "on"
    crew = Figure.objects.get(caption="Crew at work")
    data[f"figures-{form_index(data, 'figures', crew.pk)}-caption"] = "Crew at work, at night"

    assert editor_client.post(interview_url(interview), data).status_code == 302

    crew.refresh_from_db()
    assert (crew.caption, crew.pair) == ("Crew at work, at night", second)
    assert not QuestionAnswer.objects.filter(pk=third.pk).exists()


def test_recovering_a_deleted_interview_offers_its_answers_to_its_photos(editor_client):
    """Reversion's recover page names only the version; the photos' "After answer" still
    offers that interview's answers (else every photo fails as "another interview's")."""
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        gone = InterviewFactory(title="Deleted by mistake", status="draft", publish_at=None)
        pair = QuestionAnswerFactory(interview=gone, sort_order=1, question="Still here?")
        FigureFactory(interview=gone, pair=pair, caption="After it")
        reversion.add_to_revision(gone)
    version = Version.objects.get_for_object(gone).get()
    gone.delete()
    response = editor_client.get(f"/admin/interviews/interview/recover/{version.pk}/")
    assert response.status_code == 200
    assert re.search(r'<option value="\d+" selected>1\. Still here\?</option>',
                     response.content.decode())  # fmt: skip
