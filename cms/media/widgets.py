"""The image picker: Django's autocomplete, with a thumbnail beside each image.

Results come from the library's own autocomplete address (``ImageAutocompleteJsonView``),
which adds a ``thumbnail`` to each; the chosen image's option carries its thumbnail's
address too, so the picker shows it before any search. ``js/admin-image-picker.js`` draws
both through select2's templates; inline scripts are not allowed by the admin's CSP.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.urls import reverse


class ImagePickerMixin:
    url_name = "%s:cms_image_autocomplete"

    def build_attrs(self, base_attrs, extra_attrs=None) -> dict:
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["class"] = f"{attrs.get('class', '')} admin-image-picker".strip()
        # For an image chosen in the "add another" pop-up, whose option comes without one.
        attrs["data-thumbnail-template"] = reverse(
            f"{self.admin_site.name}:cms_image_rendition", args=["__id__", "thumbnail"]
        )
        return attrs

    def optgroups(self, name, value, attr=None):
        """The chosen images' options, each with its thumbnail's address; no extra query."""
        groups = super().optgroups(name, value, attr)
        for _group, options, _index in groups:
            for option in options:
                if option["value"] not in ("", None):
                    option["attrs"]["data-thumbnail"] = reverse(
                        f"{self.admin_site.name}:cms_image_rendition",
                        args=[option["value"], "thumbnail"],
                    )
        return groups

    @property
    def media(self) -> forms.Media:
        """Django's autocomplete media with the picker's script last, in one list.

        Added as a second ``Media``, the script would be an independent list that merging
        may place before select2; in the same list it keeps its place after autocomplete.js.
        """
        autocomplete = super().media
        return forms.Media(
            js=[*autocomplete._js, "js/admin-image-picker.js"],
            css={"all": [*autocomplete._css.get("all", []), "css/admin-images.css"]},
        )


class ImagePicker(ImagePickerMixin, AutocompleteSelect):
    """Picks one library image (a foreign key listed in ``autocomplete_fields``)."""


class ImageMultiplePicker(ImagePickerMixin, AutocompleteSelectMultiple):
    """Picks several library images (a many-to-many field in ``autocomplete_fields``)."""
