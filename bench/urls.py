"""The site's URLs (config.urls) and the benchmarks' hello-world view at ``/bench/hello/``."""

from django.urls import path

from config.urls import handler500  # noqa: F401 - the site's error page, under load too
from config.urls import urlpatterns as site_urlpatterns

from .views import hello_world

urlpatterns = [*site_urlpatterns, path("bench/hello/", hello_world, name="bench-hello")]
