"""Public pages for hosting a screening: the form, and the host's private request page.

None of them is ever kept by the page cache (``not_cached``) or by a browser or proxy
(``Cache-Control: private, no-store``): they hold a CSRF token, what a person typed, or
their contact details. The private pages (reached by a signed link, ``private_links``)
also tell search engines to stay away and browsers to send no Referer to other sites,
which would carry the link to whatever site the host clicks through to.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cms.page_cache.cache import not_cached
from cms.page_cache.keys import keys_of
from cms.publishing.views import PreparedLiveLookup
from films.models import Film

from .guestlists import Rsvp, rsvps_csv_response
from .host_forms import HostRequestForm
from .host_requests import HOST_LINK_SALT, HostRequest
from .kept_pages import kept_form_page
from .private_links import address_digest, mark_personal, uid_from

# What the private page says after the host's last step (``?done=...``); anything else: nothing.
DONE = {
    "received": "Thank you, we have your request.",
    "changed": "Your changes are saved.",
    "withdrawn": "Your request is withdrawn.",
}


def personal(view: Callable) -> Callable:
    """Never stored by the page cache, a browser or a proxy: the page holds personal data."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return mark_personal(view(request, *args, **kwargs))

    return not_cached(wrapped)


def private(view: Callable) -> Callable:
    """A private-link page: personal, unindexed, and its address never sent on as a Referer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return mark_personal(view(request, *args, **kwargs), private_link=True)

    return not_cached(wrapped)


def breadcrumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), *trail]


@personal
@require_http_methods(["GET", "HEAD", "POST"])
def host_form(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Ask to host a screening of one film (``slug``) or of any film.

    Refused before anything is stored: a network address past its daily share (429, before
    the form is even read), a filled honeypot (400 and the form again, so that a person whose
    browser filled it can send it once more), an e-mail address past its share (429).
    """
    film = live_film(slug) if slug else None
    if request.method != "POST":
        return blank_host_form(request, film)
    address = address_digest(request)
    if HostRequest.objects.refused_by_daily_limit(address=address):
        return too_many(request, film)  # first, and cheap: a loop of robots costs one count
    form = HostRequestForm(request.POST, film=film)
    if not form.is_spam and form.is_valid():
        if HostRequest.objects.refused_by_daily_limit(email=form.cleaned_data["email"]):
            return too_many(request, film)
        host_request = form.save(commit=False)
        host_request.submitted_from = address
        link = request.build_absolute_uri(host_request.private_path())
        host_request.save_by_host(
            "Submitted by the host", mail="host_request_received",
            context={"private_url": link},
        )  # fmt: skip
        return redirect(f"{host_request.private_path()}?done=received")
    return render_host_form(request, form, film, status=400)


def render_host_form(request: HttpRequest, form: HostRequestForm, film: Film | None,
                     status: int = 200, **extra) -> HttpResponse:  # fmt: skip
    """The form's page: blank, or as the viewer filled it in, with what to fix."""
    title = f"Host a screening of {film.title}" if film else "Host a screening"
    trail = [(film.title, film.get_absolute_url())] if film else []
    context = {
        "form": form, "film": film, "title": title, "spam": form.is_spam,
        "breadcrumbs": breadcrumbs(*trail, (title, request.path)), **extra,
    }  # fmt: skip
    return render(request, "outreach/host/form.html", context, status=status)


def blank_host_form(request: HttpRequest, film: Film | None) -> HttpResponse:
    """The blank form's page, kept whole but for the viewer's token (``kept_form_page``): the
    form and its list of live films are made only when it is rendered afresh, and their rows
    and lists recorded then (a film published, renamed or withdrawn renders it afresh)."""

    def page(token: dict) -> HttpResponse:
        return render_host_form(request, HostRequestForm(film=film), film, **token)

    return kept_form_page(request, "host", page, shows=keys_of(film) if film else ())


_live_films = PreparedLiveLookup()


@receiver(setting_changed)
def forget_live_films(**kwargs) -> None:
    _live_films.prepared.clear()


def live_film(slug: str) -> Film:
    """The live film with ``slug``, by SQL compiled once per process (``PreparedLiveLookup``)."""
    alias = Film.objects.all().db
    film = _live_films.get(Film, Film.objects.live, "slug", slug, alias)
    if film is None:
        raise Http404("No film found matching the query")
    return film


def too_many(request: HttpRequest, film: Film | None) -> HttpResponse:
    """Refusal of a request past the daily limit: nothing stored, a clear page."""
    response = render(request, "outreach/host/too_many.html", {"film": film}, status=429)
    response["Retry-After"] = str(24 * 3600)
    return response


def host_request_for(token: str) -> HostRequest:
    """The request a private link names; a 404 that says nothing for any other link.

    A tampered token fails its signature; a request past retention is treated as gone,
    since its personal data is about to be deleted (or already is).
    """
    uid = uid_from(token, HOST_LINK_SALT)
    kept = HostRequest.objects.kept().select_related(
        "film", "screening__film", "screening__guestlist"
    )
    return get_object_or_404(kept, uid=uid)


@private
@require_http_methods(["GET", "HEAD"])
def request_page(request: HttpRequest, token: str) -> HttpResponse:
    """The request as the host sent it, its status, and once approved the RSVPs for it."""
    host_request = host_request_for(token)
    guestlist = getattr(host_request.screening, "guestlist", None)
    rsvps = list(guestlist.rsvps.order_by("created_at", "id")) if guestlist else []
    context = {
        "host_request": host_request, "token": token, "guestlist": guestlist, "rsvps": rsvps,
        "done": DONE.get(request.GET.get("done", "")), "counts": rsvp_counts(rsvps),
        "breadcrumbs": breadcrumbs(("Your request to host a screening", request.path)),
    }  # fmt: skip
    return render(request, "outreach/host/request.html", context)


def rsvp_counts(rsvps: list[Rsvp]) -> dict[str, int]:
    """People and seats per status, from the list already read (no more queries)."""
    counts = {}
    for status in Rsvp.Status:
        group = [rsvp for rsvp in rsvps if rsvp.status == status]
        counts[f"{status.value}_people"] = len(group)
        counts[f"{status.value}_seats"] = sum(rsvp.party_size for rsvp in group)
    return counts


def decided(request: HttpRequest, host_request: HostRequest, token: str) -> HttpResponse:
    """A change or withdrawal after editors decided: refused, nothing changed (409)."""
    context = {"host_request": host_request, "token": token}
    return render(request, "outreach/host/decided.html", context, status=409)


@private
@require_http_methods(["GET", "HEAD", "POST"])
def change_request(request: HttpRequest, token: str) -> HttpResponse:
    """The host changes their request (the same form, filled in) until editors decide."""
    host_request = host_request_for(token)
    if not host_request.is_open:
        return decided(request, host_request, token)
    form = HostRequestForm(request.POST or None, instance=host_request)
    if form.is_valid() and not form.is_spam:
        changed = form.save(commit=False)
        link = request.build_absolute_uri(changed.private_path())
        try:
            changed.save_by_host(
                "Changed by the host", mail="host_request_changed", context={"private_url": link}
            )
        except HostRequest.AlreadyDecided:
            return decided(request, host_request_for(token), token)
        return redirect(f"{reverse('outreach:host-request', args=[token])}?done=changed")
    context = {
        "form": form, "host_request": host_request, "token": token, "film": None,
        "title": "Change your request", "changing": True, "spam": form.is_spam,
        "breadcrumbs": breadcrumbs(
            ("Your request to host a screening", reverse("outreach:host-request", args=[token])),
            ("Change", request.path),
        ),
    }  # fmt: skip
    status = 400 if form.is_bound else 200
    return render(request, "outreach/host/form.html", context, status=status)


@private
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_request(request: HttpRequest, token: str) -> HttpResponse:
    """Asks "withdraw it?" (GET); withdraws it (POST), until editors decide."""
    host_request = host_request_for(token)
    if not host_request.is_open:
        return decided(request, host_request, token)
    page = reverse("outreach:host-request", args=[token])
    if request.method == "POST":
        try:
            host_request.withdraw(context={"private_url": request.build_absolute_uri(page)})
        except HostRequest.AlreadyDecided:
            return decided(request, host_request_for(token), token)
        return redirect(f"{page}?done=withdrawn")
    context = {
        "host_request": host_request, "token": token,
        "breadcrumbs": breadcrumbs(
            ("Your request to host a screening", page), ("Withdraw", request.path)
        ),
    }  # fmt: skip
    return render(request, "outreach/host/withdraw.html", context)


@private
@require_http_methods(["GET", "HEAD"])
def rsvps_csv(request: HttpRequest, token: str) -> HttpResponse:
    """The RSVPs for the host's approved screening, as a spreadsheet."""
    host_request = host_request_for(token)
    guestlist = getattr(host_request.screening, "guestlist", None)
    if host_request.status != HostRequest.Status.APPROVED or guestlist is None:
        raise Http404("No RSVPs here.")
    day = host_request.screening.local_start.strftime("%Y-%m-%d")
    return rsvps_csv_response(guestlist, f"rsvps-{day}.csv")
