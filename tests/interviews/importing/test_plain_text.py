"""Plain-text articles: header lines, caption-only figures, the blog box, and refusals."""

from datetime import date

import pytest

from interviews.importing.article import ArticleError
from interviews.importing.plain_text import parse_text
from tests.interviews.importing.articles import SEED


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
