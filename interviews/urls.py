from django.urls import path

from . import feeds, views

app_name = "interviews"

urlpatterns = [
    path("", views.InterviewListView.as_view(), name="list"),
    path("feed/", feeds.LatestInterviewsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestInterviewsAtomFeed(), name="feed-atom"),
    path("film/<uslug:slug>/feed/", feeds.FilmInterviewsFeed(), name="film-feed"),
    path("film/<uslug:slug>/feed/atom/", feeds.FilmInterviewsAtomFeed(), name="film-feed-atom"),
    path("<uslug:slug>/", views.InterviewDetailView.as_view(), name="detail"),
]
