"""The kit's models, each defined with its concern; imported here so Django registers them.

Publishing (``cms.publishing``), the image library (``cms.media``), the page cache's
content version (``cms.page_cache``), the e-mail outbox (``cms.mail``) and the site settings
(``cms.site_settings``) keep the ``cms`` app label: no table, content type, permission or
fixture label moved when they were split.
Code imports each model from its own module (``cms.media.models``, ...), never from here.
"""

from .editing.models import Autosave, Presence
from .mail.models import OutgoingEmail
from .media.models import Image, Rendition
from .page_cache.models import ContentVersion
from .publishing.models import ShareLink
from .publishing.review import Review, ReviewComment
from .site_settings import SiteSettings, SocialLink

__all__ = [
    "Autosave",
    "ContentVersion",
    "Image",
    "OutgoingEmail",
    "Presence",
    "Rendition",
    "Review",
    "ReviewComment",
    "ShareLink",
    "SiteSettings",
    "SocialLink",
]
