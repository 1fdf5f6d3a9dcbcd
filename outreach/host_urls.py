"""The public "Host a screening" form and the host's private request page."""

from django.urls import path

from . import host_views

app_name = "outreach"

urlpatterns = [
    path("host/", host_views.host_form, name="host"),
    path("films/<uslug:slug>/host/", host_views.host_form, name="host-film"),
    path("host/requests/<str:token>/", host_views.request_page, name="host-request"),
    path(
        "host/requests/<str:token>/change/", host_views.change_request, name="host-request-change"
    ),
    path(
        "host/requests/<str:token>/withdraw/",
        host_views.withdraw_request,
        name="host-request-withdraw",
    ),
    path("host/requests/<str:token>/rsvps.csv", host_views.rsvps_csv, name="host-request-rsvps"),
]
