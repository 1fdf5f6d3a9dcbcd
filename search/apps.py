from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from cms.admin_search import register_admin_search

        from . import admin_search, registry, signals

        registry.discover()  # every app's search_documents module
        signals.connect()
        register_admin_search(admin_search.matching_pks)  # the kit's admin search, filled
