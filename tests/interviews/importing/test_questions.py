"""Where questions start and which paragraphs answer them, in each form the parser knows."""

from datetime import date

import pytest

from interviews.importing.plain_text import parse_text
from interviews.importing.questions import split_question
from tests.interviews.importing.articles import SEED, seed_paragraphs


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
