"""Private links: a host's request page and an attendee's cancel page, by signed address.

The address carries the row's public identifier signed with the site's secret key (Django's
``signing``), so nothing secret is stored, a link can be written into any later e-mail, and
a changed character fails the signature. A link also stops working once the event is past
the retention period, when the personal data behind it is deleted anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core import signing
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse


def token_for(obj: Model, salt: str) -> str:
    """The signed token of ``obj.uid`` under ``salt`` (one salt per kind of link)."""
    return signing.Signer(salt=salt).sign(str(obj.uid))


def uid_from(token: str, salt: str) -> uuid.UUID:
    """The identifier a token was made for; Http404 for any token not made here."""
    try:
        return uuid.UUID(signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise Http404("No such link.") from error


def address_digest(request: HttpRequest) -> str:
    """The visitor's network address, keyed and hashed: enough to count, not to identify."""
    address = request.META.get("REMOTE_ADDR", "")
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def mark_personal(response: HttpResponse, *, private_link: bool = False) -> HttpResponse:
    """Headers of a page with personal data (a form as typed, a request, an RSVP): no cache
    keeps it; a private link's page is also unindexed and leaks its address to no other site.

    ``same-origin`` rather than ``no-referrer``: under ``no-referrer`` browsers send
    ``Origin: null`` with the page's own forms (cancel, change, withdraw), and Django's CSRF
    check refuses them. Other sites get no Referer either way.
    """
    response["Cache-Control"] = "private, no-store"
    if private_link:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
    return response
