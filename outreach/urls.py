"""Outreach's public pages: hosting a screening, RSVPs, and engagement resources."""

from . import host_urls, resource_urls, rsvp_urls

app_name = "outreach"

urlpatterns = [*host_urls.urlpatterns, *rsvp_urls.urlpatterns, *resource_urls.urlpatterns]
