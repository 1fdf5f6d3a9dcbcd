from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = _("Films and screenings")
