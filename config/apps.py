from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project: settings, URLs and the pages that know every app (home, tags, robots)."""

    name = "config"
    verbose_name = "Site"
