"""The image library's upload field."""

from __future__ import annotations

from django import forms

from cms.media.models import validate_image_file


class LibraryImageField(forms.ImageField):
    """The upload field of the image library: the library's own checks before Pillow's.

    Django's image field opens the upload with Pillow first, and answers an image past
    Pillow's bomb limit with a bare "Upload a valid image"; the library's checks say what
    is wrong (the size, the format, the pixels of every frame) in words an editor can act on.
    """

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)  # a name, not empty
        if upload is not None:
            validate_image_file(upload)
        return super().to_python(data)
