"""Trailers and clips in the admin: edited inline on their film, found by interviews and posts."""

from django.contrib import admin
from django.db import models

from cms.admin import HTTPS_URL_FIELDS

from .videos import Video, validate_video_address

# The form checks the address with the model's rule too, so an address that is not even a
# web address ("javascript:…") gets the clear message, not only "Enter a valid URL".
VIDEO_URL_FIELDS = {
    models.URLField: {**HTTPS_URL_FIELDS[models.URLField], "validators": [validate_video_address]}
}

VIDEO_FIELDS = [
    ("kind", "sort_order"),
    "title",
    "url",
    "description",
    ("duration", "uploaded_on"),
    "poster",
    "has_captions",
]


class VideoInline(admin.StackedInline):
    """The film's videos; an address from any host but YouTube, Vimeo or PBS is refused."""

    model = Video
    extra = 0
    autocomplete_fields = ["poster"]
    formfield_overrides = VIDEO_URL_FIELDS
    fields = VIDEO_FIELDS


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    """Every video, for finding one to place in an interview or a post (autocomplete)."""

    list_display = ["title", "film", "kind", "running_time", "has_captions"]
    list_filter = ["kind", "has_captions", "film"]
    list_select_related = ["film"]
    search_fields = ["title", "film__title", "description"]
    autocomplete_fields = ["film", "poster"]
    formfield_overrides = VIDEO_URL_FIELDS
    fields = ["film", *VIDEO_FIELDS]

    @admin.display(description="duration")
    def running_time(self, video: Video) -> str:
        return video.running_time
