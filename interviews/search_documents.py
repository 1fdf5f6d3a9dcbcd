"""Interviews in the site search."""

from __future__ import annotations

from cms.searching import Entry, SearchDocument, plain, tag_names, tidy

from .models import Interview, QuestionAnswer


class InterviewDocument(SearchDocument):
    """An interview's words, its people and its photos' captions; not its film's title.

    The film may be a draft: its own entry finds it once it is live.
    """

    model = Interview
    depends_on = ("pairs", "figures__image", "interviewees", "tags")

    def rows(self):
        return Interview.objects.prefetch_related("tags", "interviewees", "pairs", "figures__image")

    def visible(self):
        return Interview.objects.live()

    def fields(self, interview: Interview) -> Entry:
        return Entry(
            title=interview.title,
            keywords=" ".join(
                [tag_names(interview), interview.byline]
                + [person.name for person in interview.interviewees.all()]
            ),
            summary=tidy(interview.search_description, plain(interview.intro)),
            body=" ".join(
                [answer_text(pair.question, pair.answer) for pair in interview.pairs.all()]
                + [tidy(figure.caption, figure.image.caption) for figure in interview.figures.all()]
            ),
            url=interview.get_absolute_url(),
            date=interview.publish_at,
        )

    def link(self, hits: list) -> None:
        """Point a result at the question whose answer holds its highlighted words.

        The pairs are read as plain values, not model instances, and an answer's HTML is
        made plain text only when its raw text holds every word (a cheap test first).
        """
        wanted = {hit.object_id: hit for hit in hits if hit.matched}
        if not wanted:
            return
        # By the key, not "interview": that would join the interviews to sort by their own order.
        pairs = QuestionAnswer.objects.filter(interview_id__in=wanted).order_by(
            "interview_id", "sort_order", "id"
        )
        for interview_id, question, answer, anchor in pairs.values_list(
            "interview_id", "question", "answer", "anchor"
        ):
            hit = wanted.get(interview_id)
            if hit is None or not all(w in question or w in answer for w in hit.matched):
                continue
            text = answer_text(question, answer)
            if all(word in text for word in hit.matched):
                hit.url = f"{hit.url}#{anchor}"
                hit.context = f"From the answer to “{question}”"
                del wanted[interview_id]


def answer_text(question: str, answer: str) -> str:
    """A question and its answer (HTML) as the index holds them."""
    return tidy(question, plain(answer))
