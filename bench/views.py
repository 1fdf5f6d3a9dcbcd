"""The floor every page is measured against: Django's own "hello world"."""

from django.http import HttpRequest, HttpResponse

from cms.page_cache.cache import not_cached


@not_cached  # the bare cost of a Django response, whether the page cache is on or off
def hello_world(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")
