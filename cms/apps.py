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

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from . import checks  # noqa: F401 - registers the deployment checks
        from .admin import guard_every_change_list
        from .page_cache import model_saved
        from .tagging import give_tag_a_slug

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(model_saved, dispatch_uid=f"page-cache-{id(signal)}")
        pre_save.connect(give_tag_a_slug, sender="taggit.Tag", dispatch_uid="tag-slug")
        guard_every_change_list(admin.site)  # the admin app, listed first, has discovered all
