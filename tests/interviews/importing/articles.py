"""Articles as data, rendered in every form the importer reads, for the importer's tests."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

# A copy of ../shared/seeds/never-sorry-interview.txt: the tests need nothing outside the project.
SEED = Path(__file__).resolve().parents[3] / "fixtures" / "articles" / "never-sorry-interview.txt"

REFERENCE_QUESTIONS = [
    "What impact do you hope this film will have?",
    "What led you to make this film?",
    "What were some of the challenges you faced in making this film?",
    "How did you gain the trust of the subjects in your film?",
    "What would you have liked to include in your film that didn’t make the cut?",
    "Tell us about a scene in the film that especially moved or resonated with you.",
    "What has the audience response been so far? Have the people featured in the film seen it, "
    "and if so, what did they think?",
    "The independent film business is a difficult one. What keeps you motivated?",
    "Why did you choose to present your film on public television?",
    "What didn’t you get done when you were making your film?",
    "What are your three favorite films?",
    "What advice do you have for aspiring filmmakers?",
    "What do you think is the most inspirational food for making independent film? "
    "(This question is meant literally.)",
]


@dataclass
class Article:
    title: str
    posted: date
    intro: list[str]
    pairs: list[tuple[str, list[str]]]  # question, answer paragraphs
    figures: list[tuple[int, str, str]] = field(default_factory=list)  # after pair, alt, caption
    posts: list[tuple[str, date, str]] = field(default_factory=list)


def seed_paragraphs() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def reference_article() -> Article:
    """The reference article, read independently of the importer."""
    paragraphs = seed_paragraphs()
    pairs = []
    for question in REFERENCE_QUESTIONS:
        [paragraph] = [p for p in paragraphs if p.startswith(question)]
        pairs.append((question, [paragraph[len(question) :].strip()]))
    return Article(
        title="Alison Klayman on Filming Ai Weiwei",
        posted=date(2013, 2, 22),
        intro=paragraphs[2:4],
        pairs=pairs,
        figures=[
            (
                0,
                "Closeup of filmmaker Alison Klayman with Ai Weiwei",
                "Filmmaker Alison Klayman with Ai Weiwei",
            ),
            (4, "Ai Weiwei and police/security guard", "Ai Weiwei and police/security guard"),
            (
                7,
                "Wide shot of Ai Weiwei being interviewed by Alison Klayman at his studio",
                "Wide shot of Ai Weiwei being interviewed by Alison Klayman at his studio",
            ),
            (
                9,
                "Ai Weiwei typing at computer with cat between him and camera",
                "Ai Weiwei typing at computer with cat between him and camera",
            ),
        ],  # fmt: skip
        posts=[
            (
                "ITVS Welcomes Brandii Rice as Head of Business and Legal Affairs",
                date(2023, 8, 10),
                paragraphs[-7],
            ),
            (
                "Carrie Lozano Will Lead ITVS as President & CEO, Succeeding Sally Jo Fifer",
                date(2023, 6, 7),
                paragraphs[-4],
            ),
            ("Lisa Tawil Joins the International Board of INPUT", date(2023, 6, 1), paragraphs[-1]),
        ],  # fmt: skip
    )


def day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


# --- Rendering -------------------------------------------------------------------------

TEXT_FORMS = ["inline", "paragraph", "markdown-bold", "prefix", "speaker"]
HTML_FORMS = ["html-inline", "html-bold", "html-heading"]
ALL_FORMS = TEXT_FORMS + HTML_FORMS


def render(article: Article, form: str) -> str:
    return render_html(article, form) if form.startswith("html") else render_text(article, form)


def figures_after(article: Article, number: int) -> list[tuple[int, str, str]]:
    return [f for f in article.figures if f[0] == number]


def render_text(article: Article, form: str) -> str:
    out = [article.title, "", f"Posted on {day(article.posted)}", ""]
    for paragraph in article.intro:
        out += [paragraph, ""]

    def figures(number: int) -> None:
        for _, alt, caption in figures_after(article, number):
            out.extend([alt, caption, ""] if alt != caption else [caption, ""])

    figures(0)
    for number, (question, answers) in enumerate(article.pairs, start=1):
        first, *rest = answers
        match form:
            case "inline":
                out += [f"{question} {first}", ""]
            case "paragraph":
                out += [question, "", first, ""]
            case "markdown-bold":
                out += [f"**{question}** {first}", ""]
            case "prefix":
                out += [f"Q: {question}", "", f"A: {first}", ""]
            case "speaker":
                out += [f"INDEPENDENT LENS: {question}", "", f"KLAYMAN: {first}", ""]
        for paragraph in rest:
            out += [paragraph, ""]
        figures(number)
    if article.posts:
        out += ["", "From our blog", ""]
        for number, (title, posted, excerpt) in enumerate(article.posts, start=1):
            out += [f"  {number}. {title}", "", f"    {day(posted)}", "", f"    {excerpt}", ""]
    return "\n".join(out)


def render_html(article: Article, form: str) -> str:
    e = html.escape
    body = []

    def figures(number: int) -> None:
        for _, alt, caption in figures_after(article, number):
            body.append(
                f'<figure><img src="https://cdn.example.org/x.jpg" alt="{e(alt)}">'
                f"<figcaption>{e(caption)}</figcaption></figure>"
            )

    for paragraph in article.intro:
        body.append(f"<p>{e(paragraph)}</p>")
    figures(0)
    for number, (question, answers) in enumerate(article.pairs, start=1):
        first, *rest = answers
        match form:
            case "html-inline":
                body.append(f"<p>{e(question)} {e(first)}</p>")
            case "html-bold":
                body.append(f"<p><strong>{e(question)}</strong> {e(first)}</p>")
            case "html-heading":
                body += [f"<h3>{e(question)}</h3>", f"<p>{e(first)}</p>"]
        body += [f"<p>{e(paragraph)}</p>" for paragraph in rest]
        figures(number)
    posts = "".join(
        f'<li><h3><a href="/blog/{n}/">{e(t)}</a></h3><time datetime="{p.isoformat()}">'
        f"{day(p)}</time><p>{e(x)}</p></li>"
        for n, (t, p, x) in enumerate(article.posts)
    )
    newline = "\n"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(article.title)} | Independent Lens</title>
<script>window.analytics = "ignore me?";</script></head>
<body>
<header class="site"><nav><a href="/">Home</a> <a href="/films/">Films?</a></nav></header>
<main><article>
<header><h1>{e(article.title)}</h1><p>Posted on {day(article.posted)}</p></header>
{newline.join(body)}
</article>
<aside class="sidebar"><h2>From our blog</h2><ol>{posts}</ol></aside></main>
<footer><p>© PBS. All rights reserved.</p></footer>
</body></html>"""


# --- Generated articles ----------------------------------------------------------------

WORDS = st.sampled_from(
    "film camera artist studio Beijing Chengdu festival audience courage Zhao Zhào Tihua "
    "Laoma Sundance edit light “quoted” it’s well-known don’t 1989 twenty — café naïve "
    "Ai Weiwei Klayman documentary screen story truth".split()
)


def sentence(end: str) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=3, max_size=14).map(
        lambda words: (" ".join(words)[0].upper() + " ".join(words)[1:]).replace(" ,", ",") + end
    )


def paragraph() -> st.SearchStrategy[str]:
    return st.lists(sentence("."), min_size=1, max_size=4).map(" ".join)


@st.composite
def articles(draw) -> Article:
    question_count = draw(st.integers(min_value=1, max_value=8))
    pairs = []
    for _ in range(question_count):
        question = draw(sentence("?"))
        answers = draw(st.lists(paragraph(), min_size=1, max_size=3))
        pairs.append((question, answers))
    figure_slots = draw(st.lists(st.integers(0, question_count), max_size=3))
    figures = []
    for slot in sorted(figure_slots):
        alt = "Photo of " + draw(st.lists(WORDS, min_size=1, max_size=8).map(" ".join))
        figures.append((slot, alt, alt))
    posts = [
        (draw(st.lists(WORDS, min_size=2, max_size=8).map(" ".join)).title(),
         draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))),
         draw(paragraph()))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    return Article(
        title=draw(st.lists(WORDS, min_size=2, max_size=9).map(" ".join)).title(),
        posted=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))),
        intro=draw(st.lists(paragraph(), min_size=1, max_size=2)),
        pairs=pairs,
        figures=figures,
        posts=posts,
    )


def structure(parsed) -> dict:
    """What an import must preserve, from a ``ParsedArticle``."""
    return {
        "title": parsed.title,
        "posted": parsed.posted,
        "intro": [b.text for b in parsed.intro],
        "pairs": [(p.question, p.answer_paragraphs) for p in parsed.pairs],
        "figures": [(f.after_pair, f.alt, f.caption) for f in parsed.figures],
        "posts": [(p.title, p.posted, p.excerpt) for p in parsed.posts],
    }


def expected(article: Article) -> dict:
    return {
        "title": article.title,
        "posted": article.posted,
        "intro": article.intro,
        "pairs": [(q, answers) for q, answers in article.pairs],
        "figures": article.figures,
        "posts": article.posts,
    }
