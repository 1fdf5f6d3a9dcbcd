from django.urls import path

from cms.publishing.feeds import feed_view

from . import feeds, views

app_name = "interviews"

urlpatterns = [
    path("", views.InterviewListView.as_view(), name="list"),
    path("feed/", feed_view(feeds.LatestInterviewsFeed), name="feed"),
    path("feed/atom/", feed_view(feeds.LatestInterviewsAtomFeed), name="feed-atom"),
    path("film/<uslug:slug>/feed/", feed_view(feeds.FilmInterviewsFeed), name="film-feed"),
    path(
        "film/<uslug:slug>/feed/atom/",
        feed_view(feeds.FilmInterviewsAtomFeed),
        name="film-feed-atom",
    ),
    path("<uslug:slug>/", views.InterviewDetailView.as_view(), name="detail"),
]
