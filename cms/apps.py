from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    """django-taggit, shown to editors as "Tags"."""

    verbose_name = _("Tags")


class CmsConfig(AppConfig):
    default = True
    name = "cms"
    verbose_name = _("Site and media")
