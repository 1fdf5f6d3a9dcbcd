from django.urls import path

from cms.publishing.feeds import feed_view

from . import feeds, views

app_name = "films"

urlpatterns = [
    path("films/", views.FilmListView.as_view(), name="list"),
    path("films/<uslug:slug>/", views.FilmDetailView.as_view(), name="detail"),
    path("films/<uslug:slug>/screenings.ics", views.film_ics, name="film-ics"),
    path("screenings/calendar.ics", views.upcoming_ics, name="screenings-ics"),
    path("screenings/<uuid:uid>.ics", views.screening_ics, name="screening-ics"),
    path("screenings/", views.ScreeningListView.as_view(), name="screenings"),
    path("screenings/past/", views.ScreeningListView.as_view(past=True), name="screenings-past"),
    path("screenings/<uuid:uid>/", views.ScreeningDetailView.as_view(), name="screening"),
    path("watch/", views.WatchView.as_view(), name="watch"),
    path("watch/feed/", feed_view(feeds.NowWatchingFeed), name="watch-feed"),
    path("watch/feed/atom/", feed_view(feeds.NowWatchingAtomFeed), name="watch-feed-atom"),
]
