"""The public RSVP form of a screening and an attendee's private RSVP page (cancel link)."""

from django.urls import path

from . import rsvp_views

app_name = "outreach"

urlpatterns = [
    path("screenings/<uuid:uid>/rsvp/", rsvp_views.rsvp_form, name="rsvp"),
    path("rsvp/<str:token>/", rsvp_views.rsvp_page, name="rsvp-page"),
]
