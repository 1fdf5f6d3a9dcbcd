"""Engagement resources: ``/resources/``, a resource's page and its PDF."""

from django.urls import path

from . import resource_views

app_name = "outreach"

urlpatterns = [
    path("resources/", resource_views.ResourceListView.as_view(), name="resources"),
    path("resources/<uslug:slug>/", resource_views.ResourceDetailView.as_view(), name="resource"),
    path("resources/<uslug:slug>/download/", resource_views.download, name="resource-download"),
]
