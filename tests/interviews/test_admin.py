"""The interview admin: an editor's journey, pairs and figures, filters."""

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Interview, QuestionAnswer
from tests.admin_forms import inline_management, interview_form
from tests.factories import FilmFactory, InterviewFactory


@pytest.mark.django_db
def test_editor_journey_create_reorder_publish_and_find_it(logged_in_editor):
    viewer = Client()
    film = FilmFactory()
    add_url = reverse("admin:interviews_interview_add")
    page = logged_in_editor.get(add_url).content.decode()
    assert 'id="pairs-group"' in page and 'id="figures-group"' in page
    assert "admin-reorder.js" in page

    pairs = [("First question?", "<p>One.</p>"), ("Second question?", "<p>Two.</p>"),
             ("Third question?", "<p>Three.</p>")]  # fmt: skip
    response = logged_in_editor.post(add_url, interview_form(film, pairs))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    interview = Interview.objects.get(slug="laura-poitras-on-citizenfour")
    assert interview.status == "draft"
    assert interview.updated_by.username == "ed"
    assert [p.question for p in interview.pairs.all()] == [q for q, _ in pairs]
    assert sorted(interview.tags.names()) == ["filmmakers", "surveillance"]

    # Reorder: the third question moves to the top.
    stored = list(interview.pairs.all())
    data = interview_form(film, pairs) | inline_management("pairs", 3, initial=3)
    for i, (pair, order) in enumerate(zip(stored, [2, 3, 1], strict=True)):
        data |= {f"pairs-{i}-id": str(pair.pk), f"pairs-{i}-interview": str(interview.pk),
                 f"pairs-{i}-sort_order": str(order), f"pairs-{i}-anchor": pair.anchor}  # fmt: skip
    change_url = reverse("admin:interviews_interview_change", args=[interview.pk])
    assert logged_in_editor.post(change_url, data).status_code == 302
    assert [p.question for p in interview.pairs.all()] == [
        "Third question?", "First question?", "Second question?"
    ]  # fmt: skip
    assert [p.sort_order for p in interview.pairs.all()] == [1, 2, 3]

    # Not yet public; then "Publish now" from the list.
    assert "Laura Poitras" not in viewer.get(reverse("interviews:list")).content.decode()
    assert viewer.get(interview.get_absolute_url()).status_code == 404
    response = logged_in_editor.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "publish_now", "_selected_action": [interview.pk], "post": "yes"},
    )
    assert response.status_code == 302
    public_list = viewer.get(reverse("interviews:list")).content.decode()
    assert "Laura Poitras on Citizenfour" in public_list
    detail = viewer.get(interview.get_absolute_url()).content.decode()
    assert detail.index("Third question?") < detail.index("First question?")


@pytest.mark.django_db
def test_interview_list_filters_by_film_tag_and_state(editor_client):
    tagged = InterviewFactory(title="Tagged one")
    tagged.tags.add("china")
    InterviewFactory(title="Untagged one")
    url = reverse("admin:interviews_interview_changelist")
    page = editor_client.get(url + f"?tags__id__exact={tagged.tags.get().pk}").content.decode()
    assert "Tagged one" in page and "Untagged one" not in page
    page = editor_client.get(url + f"?film__id__exact={tagged.film_id}").content.decode()
    assert "Tagged one" in page and "Untagged one" not in page


@pytest.mark.django_db
def test_a_pair_with_an_empty_question_is_refused(editor_client):
    film = FilmFactory()
    response = editor_client.post(
        reverse("admin:interviews_interview_add"),
        interview_form(film, [("Fine?", "<p>A</p>"), ("   ", "<p>An answer with no question</p>")]),
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Interview.objects.exists()
    assert not QuestionAnswer.objects.exists()


@pytest.mark.django_db
def test_deleting_a_pair_keeps_each_figure_after_the_same_answer():
    from tests.factories import FigureFactory, QuestionAnswerFactory

    interview = InterviewFactory()
    pairs = [QuestionAnswerFactory(interview=interview, sort_order=n) for n in (1, 2, 3, 4)]
    figure = FigureFactory(interview=interview, pair=pairs[2])  # after the third answer
    pairs[1].delete()
    interview.renumber_pairs()
    figure.refresh_from_db()
    body = interview.body()
    assert body.index(figure) == body.index(pairs[2]) + 1
    assert figure.pair == pairs[2]


@pytest.mark.django_db
def test_a_figure_whose_answer_is_deleted_moves_to_the_answer_before_it():
    from tests.factories import FigureFactory, QuestionAnswerFactory

    interview = InterviewFactory()
    pairs = [QuestionAnswerFactory(interview=interview, sort_order=n) for n in (1, 2, 3)]
    figure = FigureFactory(interview=interview, pair=pairs[1])
    pairs[1].delete()
    figure.refresh_from_db()
    assert figure.pair == pairs[0]
    interview.pairs.all().delete()  # the whole text goes: the photo stays, before it all
    figure.refresh_from_db()
    assert figure.pair is None
    assert interview.body() == [figure]


@pytest.mark.django_db
def test_a_figure_follows_its_answer_when_pairs_are_reordered():
    from tests.factories import FigureFactory, QuestionAnswerFactory

    interview = InterviewFactory()
    first, second = (QuestionAnswerFactory(interview=interview, sort_order=n) for n in (1, 2))
    figure = FigureFactory(interview=interview, pair=first)
    first.sort_order, second.sort_order = 2, 1
    first.save()
    second.save()
    assert interview.body() == [second, first, figure]


@pytest.mark.django_db
def test_a_figure_cannot_follow_another_interviews_answer():
    from django.core.exceptions import ValidationError

    from tests.factories import FigureFactory, QuestionAnswerFactory

    figure = FigureFactory(interview=InterviewFactory())
    figure.pair = QuestionAnswerFactory(interview=InterviewFactory())
    with pytest.raises(ValidationError, match="answer of this interview"):
        figure.full_clean()
