"""The parser, on the reference article and on generated articles in every supported form."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from interviews.parsing import ArticleError, parse_html, parse_text, split_question
from tests.interviews.articles import (
    ALL_FORMS,
    SEED,
    articles,
    expected,
    reference_article,
    render,
    seed_paragraphs,
    structure,
)


def test_reference_article_has_thirteen_pairs_equal_to_the_original_paragraphs():
    parsed = parse_text(SEED.read_text(encoding="utf-8"))
    paragraphs = seed_paragraphs()
    assert parsed.title == "Alison Klayman on Filming Ai Weiwei"
    assert parsed.posted == date(2013, 2, 22)
    assert len(parsed.pairs) == 13
    for pair in parsed.pairs:
        [answer] = pair.answer_paragraphs
        assert f"{pair.question} {answer}" in paragraphs  # word for word, nothing lost
    assert parsed.pairs[-1].answer_paragraphs == ["Coffee. And if you’re in China???"]
    assert [b.text for b in parsed.intro] == paragraphs[2:4]


def test_reference_article_figures_and_blog_posts():
    parsed = parse_text(SEED.read_text(encoding="utf-8"))
    assert [(f.after_pair, f.caption) for f in parsed.figures] == [
        (0, "Filmmaker Alison Klayman with Ai Weiwei"),
        (4, "Ai Weiwei and police/security guard"),
        (7, "Wide shot of Ai Weiwei being interviewed by Alison Klayman at his studio"),
        (9, "Ai Weiwei typing at computer with cat between him and camera"),
    ]
    assert parsed.figures[0].alt == "Closeup of filmmaker Alison Klayman with Ai Weiwei"
    assert [p.posted for p in parsed.posts] == [
        date(2023, 8, 10), date(2023, 6, 7), date(2023, 6, 1)
    ]  # fmt: skip
    assert parsed.posts[1].title == (
        "Carrie Lozano Will Lead ITVS as President & CEO, Succeeding Sally Jo Fifer"
    )
    assert parsed.posts[0].excerpt.endswith("She will join ITVS")


@pytest.mark.parametrize("form", ALL_FORMS)
def test_reference_article_in_every_form_gives_the_same_structure(form):
    article = reference_article()
    source = render(article, form)
    parsed = parse_html(source) if form.startswith("html") else parse_text(source)
    assert structure(parsed) == expected(article)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles())
@pytest.mark.parametrize("form", ALL_FORMS)
def test_generated_articles_round_trip_through_every_form(form, article):
    source = render(article, form)
    parsed = parse_html(source) if form.startswith("html") else parse_text(source)
    assert structure(parsed) == expected(article)


@pytest.mark.parametrize(
    ("paragraph", "question"),
    [
        ("Why? Because.", "Why?"),
        ("What now? And then? Later it happened.", "What now? And then?"),
        ("It was hard. Why go on? We did.", "It was hard. Why go on?"),
        ("Describe the set. It was small.", "Describe the set."),
        ("Is it “done?” Not yet.", "Is it “done?”"),
    ],
)
def test_question_boundaries(paragraph, question):
    assert split_question(paragraph)[0] == question


def test_a_plain_statement_is_not_a_question():
    assert split_question("It was a long shoot in Beijing. We filmed every day.") is None


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Title only\n", "No questions and answers found."),
        ("Title\n\nSome intro.\n\nQ: A question with no answer?\n", "has no answer"),
        ("x" * 300 + "\n\nWhy? Because.\n", "longer than 255"),
        ("A title\nnot a date\n\nWhy? Because.", "not a date"),
    ],
)
def test_unparseable_text_names_the_reason(source, reason):
    with pytest.raises(ArticleError, match=reason):
        parse_text(source)


def test_html_without_any_title_is_refused():
    with pytest.raises(ArticleError, match="No title"):
        parse_html("<html><body><p>Why? Because.</p></body></html>")


def test_speaker_labels_keep_multi_paragraph_answers_together():
    parsed = parse_text(
        "Title\n\nIntro.\n\nIL: First question?\n\nKLAYMAN: One.\n\nTwo.\n\n"
        "IL: Second question?\n\nKLAYMAN: Three."
    )
    assert [(p.question, p.answer_paragraphs) for p in parsed.pairs] == [
        ("First question?", ["One.", "Two."]),
        ("Second question?", ["Three."]),
    ]


def test_qa_prefixes_on_one_line():
    parsed = parse_text("Title\n\nQ: Where? A: Beijing.\n\nQ: When? A: 2008.")
    assert [(p.question, p.answer_paragraphs) for p in parsed.pairs] == [
        ("Where?", ["Beijing."]),
        ("When?", ["2008."]),
    ]


def test_html_keeps_safe_inline_markup_in_answers():
    parsed = parse_html(
        "<h1>T</h1><p><strong>Q one?</strong></p>"
        "<p>See <a href='https://example.org' onclick='x()'>this</a> <em>now</em>.</p>"
        "<p><strong>Q two?</strong> Plain.</p>"
    )
    assert parsed.pairs[0].answer_html == (
        '<p>See <a href="https://example.org" rel="noopener noreferrer">this</a> <em>now</em>.</p>'
    )
