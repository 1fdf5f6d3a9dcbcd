"""The site's URLs: each content app under its own prefix and namespace, and the site-wide pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from cms.converters import ShareTokenConverter, UnicodeSlugConverter
from cms.media.serving import serve_media
from cms.publishing.feeds import feed_view
from cms.publishing.views import PublishingCalendarView, move_scheduled, shared_preview

from . import feeds, sitemaps, views
from .sitemaps import SITEMAPS

register_converter(UnicodeSlugConverter, "uslug")
register_converter(ShareTokenConverter, "token")

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Content"

handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include("films.urls")),
    path("interviews/", include("interviews.urls")),
    path("blog/", include("blog.urls")),
    path("", include("outreach.urls")),
    path("search/", include("search.urls")),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<uslug:slug>/feed/", feed_view(feeds.TagFeed), name="tag-feed"),
    path("tags/<uslug:slug>/feed/atom/", feed_view(feeds.TagAtomFeed), name="tag-feed-atom"),
    path("share/<token:token>/", shared_preview, name="share"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,  # reads "p": a section's pages past its limit of URLs
        {"sitemaps": SITEMAPS, "template_name": "cms/sitemap.xml"},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", views.favicon),
    path("healthz", views.health, name="health"),
    path(
        "admin/calendar/",
        admin.site.admin_view(PublishingCalendarView.as_view()),
        name="publishing-calendar",
    ),
    path("admin/calendar/move/", admin.site.admin_view(move_scheduled), name="calendar-move"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # One-machine installs serve uploads themselves; production puts them on object storage.
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media)]
