from django.urls import path

from cms.publishing.feeds import feed_view

from . import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="list"),
    path("feed/", feed_view(feeds.LatestPostsFeed), name="feed"),
    path("feed/atom/", feed_view(feeds.LatestPostsAtomFeed), name="feed-atom"),
    path("<uslug:slug>/", views.PostDetailView.as_view(), name="detail"),
]
