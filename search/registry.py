"""The searchable kinds of page, as the installed apps declare them.

Each app that has searchable pages defines ``SearchDocument`` subclasses (``cms.searching``)
in its ``search_documents`` module; ``discover()``, run once the apps are ready, imports
those modules the way the admin autodiscovers ``admin`` modules and keeps one instance of
each declared class. They are listed (in the type filter and the result counts) in the
order the project's ``SEARCH_KINDS_FIRST`` setting gives, then in ``INSTALLED_APPS`` order.
Nothing here names an app.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from cms.searching import SearchDocument

MODULE_NAME = "search_documents"

_documents: dict[str, SearchDocument] = {}


def declared_in(module: ModuleType) -> list[type[SearchDocument]]:
    """The document classes a module defines (not those it imports), in their order."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, SearchDocument)
        and value.__module__ == module.__name__
        and value.model is not None
    ]


def declaration_modules() -> list[ModuleType]:
    """Each installed app's ``search_documents`` module, imported."""
    return [
        import_module(f"{app_config.name}.{MODULE_NAME}")
        for app_config in apps.get_app_configs()
        if module_has_submodule(app_config.module, MODULE_NAME)
    ]


def discover() -> None:
    found: dict[str, SearchDocument] = {}
    for module in declaration_modules():
        for declared in declared_in(module):
            document = declared()
            if document.kind in found:
                raise ImproperlyConfigured(
                    f"{declared.__qualname__} in {module.__name__} declares the search kind "
                    f"{document.kind!r}, which {found[document.kind]!r} already declares."
                )
            found[document.kind] = document
    first = [kind for kind in settings.SEARCH_KINDS_FIRST if kind in found]
    _documents.clear()
    _documents.update({kind: found[kind] for kind in first})
    _documents.update(found)


def documents() -> list[SearchDocument]:
    """Every declared kind of searchable page."""
    return list(_documents.values())


def document(kind: str) -> SearchDocument:
    return _documents[kind]


def kinds() -> list[str]:
    return list(_documents)
