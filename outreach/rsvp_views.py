"""The public RSVP form of a screening and the attendee's private page (status, cancel).

Both carry personal data (what a guest typed, their RSVP), so neither is ever kept by the
page cache or a browser's shared cache; the private page is also kept out of search
engines and never named in a Referer header to another site, since its address is the key
to it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from cms.page_cache.cache import not_cached
from cms.page_cache.keys import keys_of
from cms.views import PageMetadataMixin
from films.views import prepared_screening

from .guestlists import RSVP_LINK_SALT, Guestlist, Rsvp
from .kept_pages import kept_form_page
from .private_links import address_digest, mark_personal, uid_from
from .rsvp_forms import RsvpForm

SCREENINGS = ("Screenings", "films:screenings")


@not_cached
class RsvpView(PageMetadataMixin, TemplateView):
    """RSVP to a screening that takes RSVPs here: the form, then the guest's private page.

    The RSVP and its confirmation e-mail are stored in one transaction. An address that
    sent ``OUTREACH_RSVPS_PER_ADDRESS_PER_DAY`` RSVPs in a day is answered 429.
    """

    template_name = "outreach/rsvp/form.html"
    section = SCREENINGS

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        screening = prepared_screening.get(kwargs["uid"])  # SQL compiled once per process
        if screening is None:
            raise Http404("No screening found matching the query")
        self.screening = screening
        guestlist = Guestlist.objects.with_seats_for(screening.pk)
        if guestlist is None or not guestlist.is_open:
            raise Http404("This screening takes no RSVPs here.")
        self.guestlist: Guestlist = guestlist
        self.guestlist.screening = self.screening

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        screening = self.screening
        return [
            *super().get_breadcrumbs(),
            (screening.display_title, screening.get_absolute_url()),
            ("RSVP", self.request.path),
        ]

    def get_context_data(self, refusal: str | None = None, **kwargs) -> dict:
        if refusal is None:
            refusal = self.guestlist.refusal()
        return super().get_context_data(
            screening=self.screening,
            guestlist=self.guestlist,
            refusal=refusal,
            places_left=0 if refusal else self.guestlist.places_left,
            keep_days=settings.OUTREACH_KEEP_DAYS_AFTER_EVENT,
            **kwargs,
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The blank form's page, kept whole but for the viewer's token (``kept_form_page``),
        per version of the screening, its film and its list, and per places left and refusal:
        an RSVP taken (no public row) or the screening starting changes those. The form and
        the rest of the context are made only when the page is rendered afresh."""
        refusal = self.guestlist.refusal()
        places_left = 0 if refusal else self.guestlist.places_left
        shown = {*keys_of(self.screening), *keys_of(self.guestlist)}

        def render(token: dict) -> HttpResponse:
            form = RsvpForm(guestlist=self.guestlist)
            return self.render_to_response(
                self.get_context_data(form=form, refusal=refusal, **token)
            )

        state = (places_left, refusal)
        return mark_personal(kept_form_page(request, "rsvp", render, state, shown))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = RsvpForm(request.POST, guestlist=self.guestlist)
        digest = address_digest(request)
        if self.guestlist.refusal():
            return self.answer(form, status=400)
        if Rsvp.objects.limit_reached(digest):
            return self.answer(form, status=429, rate_limited=True)
        if not form.is_valid():
            return self.answer(form, status=400)
        try:
            with transaction.atomic():
                rsvp = form.save(submitted_from=digest)
                rsvp.send_mail("outreach/mail/rsvp_received", request)
        except ValidationError:
            return self.answer(form, status=400)
        messages.success(request, "You're on the list.", extra_tags="rsvp-added")
        return mark_personal(HttpResponseRedirect(rsvp.private_path()), private_link=True)

    def answer(self, form: RsvpForm, status: int, **context) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form, **context))
        response.status_code = status
        return mark_personal(response)


rsvp_form = RsvpView.as_view()


@not_cached
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_page(request: HttpRequest, token: str) -> HttpResponse:
    """The attendee's own page, from the link in their e-mail: their RSVP and a Cancel button.

    A link not made here, or whose event is past retention (its data deleted), is a 404.
    """
    uid = uid_from(token, RSVP_LINK_SALT)
    rsvps = Rsvp.objects.within_retention().select_related("guestlist__screening__film")
    rsvp = get_object_or_404(rsvps, uid=uid)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            rsvp.cancel(request)
        except ValidationError as refused:
            error, status = refused.messages[0], 400
        else:
            messages.success(request, "Your RSVP is cancelled.", extra_tags="rsvp-cancelled")
            return mark_personal(HttpResponseRedirect(request.path), private_link=True)
    notices = {tag for m in messages.get_messages(request) for tag in m.extra_tags.split()}
    context = {
        "rsvp": rsvp,
        "screening": rsvp.guestlist.screening,
        "just_added": "rsvp-added" in notices,
        "just_cancelled": "rsvp-cancelled" in notices,
        "error": error,
    }
    response = TemplateResponse(request, "outreach/rsvp/page.html", context, status=status)
    return mark_personal(response, private_link=True)
