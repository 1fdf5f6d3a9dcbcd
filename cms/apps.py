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
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from . import checks  # noqa: F401 - registers the deployment checks
        from .admin import guard_every_change_list, mend_axes_cleanup_action
        from .media.admin import show_thumbnails_in_image_pickers
        from .page_cache.signals import watch, watch_public_content
        from .tagging import give_tag_a_slug

        watch_public_content()  # every app's models are loaded: ours and the content apps'
        watch(Tag)  # a renamed tag renames links on pages
        pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="tag-slug")
        mend_axes_cleanup_action(admin.site)
        guard_every_change_list(admin.site)  # the admin app, listed first, has discovered all
        show_thumbnails_in_image_pickers(admin.site)  # image pickers show thumbnails, inlines too
