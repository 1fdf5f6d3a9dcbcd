"""The site's search page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from films.models import Credit, Film
from interviews.models import QuestionAnswer

from .documents import plain, tidy
from .forms import SearchForm
from .models import SearchEntry

RESULTS_PER_PAGE = 10


def person_links(hits) -> dict[int, Film]:
    """Each person on the page, linked to their most recent live film."""
    ids = [hit.object_id for hit in hits if hit.kind == SearchEntry.Kind.PERSON]
    if not ids:
        return {}
    credits = (
        Credit.objects.filter(person_id__in=ids, film__in=Film.objects.live())
        .select_related("film")
        .order_by("person_id", "-film__year", "sort_order")
    )
    films: dict[int, Film] = {}
    for credit in credits:
        films.setdefault(credit.person_id, credit.film)
    return films


def link_answers(hits) -> None:
    """Point an interview's result at the question whose answer holds its highlighted words."""
    wanted = {hit.object_id: hit for hit in hits if hit.kind == "interview" and hit.matched}
    if not wanted:
        return
    pairs = QuestionAnswer.objects.filter(interview_id__in=wanted).order_by(
        "interview", "sort_order", "id"
    )
    for pair in pairs.only("interview_id", "question", "answer", "anchor"):
        hit = wanted.get(pair.interview_id)
        if hit is not None and all(word in tidy(pair.question, plain(pair.answer))
                                   for word in hit.matched):  # fmt: skip
            hit.url = f"{hit.url}#{pair.anchor}"
            hit.context = f"From the answer to “{pair.question}”"
            del wanted[pair.interview_id]


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.parsed()
    results = form.results()
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    hits = list(page.object_list)
    link_answers(hits)
    films = person_links(hits)
    for hit in hits:
        if hit.kind == SearchEntry.Kind.PERSON:
            film = films.get(hit.object_id)
            hit.url = film.get_absolute_url() if film else ""
            hit.context = f"In {film.title}" if film else ""
    text = form.data.get("q", "").strip()
    facets = [
        {"kind": kind, "label": label, "count": results.facets.get(kind, 0)}
        for kind, label in SearchEntry.Kind.choices
        if results.facets.get(kind)
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "query": query,
            "kind": form.kind(),
            "facets": facets,
            "total": sum(results.facets.values()),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "hits": hits,
        },
    )
