from django.urls import path

from cms.page_cache.cache import not_cached

from . import views

app_name = "search"

# Any words may be searched for: results are never kept in the page cache.
urlpatterns = [path("", not_cached(views.search), name="search")]
