from django.urls import path

from . import views

app_name = "films"

urlpatterns = [
    path("films/", views.FilmListView.as_view(), name="list"),
    path("films/<uslug:slug>/", views.FilmDetailView.as_view(), name="detail"),
    path("screenings/", views.ScreeningListView.as_view(), name="screenings"),
    path("screenings/past/", views.ScreeningListView.as_view(past=True), name="screenings-past"),
    path("screenings/<uuid:uid>/", views.ScreeningDetailView.as_view(), name="screening"),
]
