"""Finding the questions and answers among an article's blocks, in the forms real pages use.

- ``sentence``: a question sentence opens a paragraph and the answer follows, in the same
  paragraph (the reference article) or in the paragraphs after a question-only paragraph;
- ``bold``: the question is bold (``<strong>``/``<b>``, or ``**...**`` in text);
- ``prefix``: ``Q:`` and ``A:`` open the paragraphs;
- ``speaker``: speaker labels such as ``INDEPENDENT LENS:`` and ``KLAYMAN:``.

One assembler serves plain text and HTML alike: it sees only blocks, so a form is recognised
the same way whichever format it came in. Text is kept word for word.
"""

from __future__ import annotations

import re

from .article import ArticleError, Block, ParsedArticle, ParsedFigure, ParsedPair
from .figures import figure_from_lines, looks_like_caption

SENTENCE_END = re.compile(r"(?<=[.?!…])[\"”’)\]]*(?=\s+)")
PROMPTS = ("tell us", "tell me", "describe", "talk about", "talk us", "explain", "share",
           "walk us", "give us", "name ")  # fmt: skip
QUESTION_ONLY_MAX_SENTENCES = 3

QA_PREFIX = re.compile(r"^(?P<kind>[QA])\s*[:.\-–—]\s+(?P<rest>.*)$", re.DOTALL)
INLINE_ANSWER = re.compile(r"\s+A\s*[:.\-–—]\s+")
SPEAKER = re.compile(r"^(?P<label>[A-Z][A-Z0-9 .'’&-]{1,40}):\s+(?P<rest>.*)$", re.DOTALL)


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` with their own punctuation; joined by spaces they give it back."""
    parts, start = [], 0
    for match in SENTENCE_END.finditer(text):
        parts.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def is_question(sentence: str) -> bool:
    return sentence.rstrip('"”’)]').endswith("?")


def is_aside(sentence: str) -> bool:
    """A parenthetical after a question belongs to it: "(This question is meant literally.)"."""
    return sentence.startswith("(") and sentence.endswith(")")


def split_question(text: str) -> tuple[str, str] | None:
    """Split a paragraph that opens with a question into (question, rest of the paragraph).

    Returns None when the paragraph does not open with a question.
    """
    parts = sentences(text)
    if not parts:
        return None
    end = None
    if is_question(parts[0]):
        end = 0
    elif len(parts) > 1 and is_question(parts[1]) and len(parts[0]) <= 100:
        end = 1  # "The independent film business is a difficult one. What keeps you motivated?"
    elif parts[0].lower().startswith(PROMPTS):
        return parts[0], " ".join(parts[1:])  # "Tell us about a scene ..."
    if end is None:
        return None
    while (
        end + 1 < len(parts)
        and end + 1 < QUESTION_ONLY_MAX_SENTENCES
        and is_question(parts[end + 1])
    ):
        end += 1
    if end + 1 < len(parts) and is_aside(parts[end + 1]):
        end += 1
    return " ".join(parts[: end + 1]), " ".join(parts[end + 1 :])


def detect_form(blocks: list[Block]) -> str:
    """Which of the four forms the article is written in; ``sentence`` unless marked."""
    paragraphs = [b for b in blocks if not b.is_figure]
    prefixes = [QA_PREFIX.match(b.text) for b in paragraphs]
    kinds = [m["kind"] for m in prefixes if m]
    if kinds.count("Q") >= 1 and (kinds.count("A") >= 1 or any(INLINE_ANSWER.search(b.text)
                                                                for b in paragraphs)):  # fmt: skip
        return "prefix"
    labels = [m["label"] for b in paragraphs if (m := SPEAKER.match(b.text))]
    if len(labels) >= 2 and len(set(labels)) >= 2:
        return "speaker"
    if sum(1 for b in paragraphs if b.lead_bold) >= 2:
        return "bold"
    return "sentence"


def assemble(blocks: list[Block], header: dict[str, object], title: str) -> ParsedArticle:
    """The article's blocks, after its header, as intro, question/answer pairs and figures."""
    article = ParsedArticle(
        title=title,
        posted=header.get("posted"),
        byline=str(header.get("byline", "")),
        tags=list(header.get("tags", [])),
        film=str(header.get("film", "")),
    )
    article.form = detect_form(blocks)
    interviewer = None
    current: ParsedPair | None = None
    for block in blocks:
        if block.is_figure or (block.lines and looks_like_caption(block.lines)):
            figure = block if block.is_figure else figure_from_lines(block.lines)
            article.figures.append(
                ParsedFigure(figure.alt, figure.caption, len(article.pairs), figure.src)
            )
            continue
        if block.kind != "p":  # a list belongs to the answer (or intro) it is in
            (current.answer if current is not None else article.intro).append(block)
            continue
        question, rest, rest_html, is_answer = None, "", "", False
        match article.form:
            case "prefix":
                if m := QA_PREFIX.match(block.text):
                    if m["kind"] == "Q":
                        question, *inline = INLINE_ANSWER.split(m["rest"], maxsplit=1)
                        rest = inline[0] if inline else ""
                    else:
                        rest, is_answer = m["rest"], True
            case "speaker":
                if m := SPEAKER.match(block.text):
                    interviewer = interviewer or m["label"]
                    if m["label"] == interviewer:
                        question = m["rest"]
                    else:
                        rest, is_answer = m["rest"], True
            case "bold":
                if block.lead_bold:
                    question = block.lead_bold
                    rest = block.text[len(block.lead_bold) :].strip()
                    rest_html = block.html_after_bold
            case _:
                # A question still waiting for its answer takes this paragraph as the answer,
                # even one like "Coffee. And if you’re in China???".
                awaiting = current is not None and not current.answer_paragraphs
                split = None if awaiting else split_question(block.text)
                if split is not None:
                    question, rest = split
        if question is not None:
            current = ParsedPair(question=question.strip())
            article.pairs.append(current)
            if rest_html:
                current.answer.append(Block(text=rest, html=rest_html))
            elif rest:
                current.first_answer_text = rest.strip()
        elif current is None and not is_answer:
            article.intro.append(block)
        elif current is None:
            raise ArticleError(f"An answer comes before any question: “{block.text[:60]}”.")
        elif is_answer and rest:
            current.answer.append(Block(text=rest.strip()))
        else:
            current.answer.append(block)
    return article
