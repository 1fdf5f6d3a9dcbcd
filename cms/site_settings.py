"""The organisation's own links, set by editors: the footer's about, contact, privacy,
accessibility, newsletter and donate links, and its social profiles.

``SiteSettings`` is one row (``SiteSettings.load()``); ``SocialLink`` rows hang from it in
the order an editor gives them. Both are public content (``cms.page_cache``): the footer is
on every page, so a page built while they are read records them, and a save empties the
pages that showed them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent

WEB_URL = URLValidator(schemes=["http", "https"])
EMAIL = EmailValidator()


def validate_site_link(value: str) -> None:
    """An absolute http(s) address, or a path on this site ("/about/").

    Anything else a browser would follow somewhere unexpected is refused: ``javascript:`` and
    ``data:`` addresses, "//host" and "/\\host" (another site), relative paths.
    """
    if value.startswith("/"):
        if value.startswith(("//", "/\\")) or any(c.isspace() or c == "\\" for c in value):
            raise ValidationError(
                _("A path on this site starts with a single “/” and has no spaces or "
                  "backslashes, such as /about/."),
                code="invalid_path",
            )  # fmt: skip
        return
    try:
        WEB_URL(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a full address starting with https:// or http://, or a path on this "
              "site starting with “/”."),
            code="invalid_link",
        ) from None  # fmt: skip


def validate_contact_link(value: str) -> None:
    """A site link (``validate_site_link``) or a ``mailto:`` address with a valid e-mail."""
    if value.lower().startswith("mailto:"):
        address = urlsplit(value).path
        try:
            EMAIL(address)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid e-mail link; write mailto:name@example.org."),
                code="invalid_mailto",
                params={"value": value},
            ) from None
        return
    validate_site_link(value)


def site_name() -> str:
    """The default organisation name: the site's own (``settings.SITE_NAME``)."""
    return settings.SITE_NAME


def link_field(verbose_name, help_text="", validator=validate_site_link) -> models.CharField:
    return models.CharField(
        verbose_name, max_length=500, blank=True, validators=[validator], help_text=help_text
    )


SITE_LINK_HELP = _("A full address (https://…) or a path on this site (/about/). Leave empty "
                   "to leave the link out.")  # fmt: skip


class SiteSettings(PublicContent):
    """The one row of organisation-wide settings the footer shows (``load()`` returns it)."""

    SINGLETON_PK = 1

    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True, default=site_name,
        help_text=_("Shown in the footer. Empty: the site's name."),
    )  # fmt: skip
    about_url = link_field(_("about page"), SITE_LINK_HELP)
    contact_url = link_field(
        _("contact"),
        _("A contact page (https://… or /contact/) or an e-mail link (mailto:name@example.org)."),
        validate_contact_link,
    )
    privacy_url = link_field(_("privacy policy"), SITE_LINK_HELP)
    accessibility_url = link_field(_("accessibility statement"), SITE_LINK_HELP)
    newsletter_url = link_field(_("newsletter sign-up"), SITE_LINK_HELP)
    donate_url = link_field(_("donate"), SITE_LINK_HELP)
    donate_label = models.CharField(
        _("donate link text"), max_length=60, blank=True, default="Donate",
        help_text=_("The words of the donate link, such as “Donate” or “Become a member”."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="cms_sitesettings_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("Site settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK  # there is one row, whatever a form or fixture says
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> SiteSettings:
        """The settings row, made with its defaults the first time it is asked for."""
        found, _created = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return found

    @classmethod
    def for_pages(cls) -> SiteSettings:
        """The row with its social links (two queries), for pages: never written on a view.

        Before any editor has saved it, an unsaved row with the defaults and no links.
        """
        found = cls.objects.prefetch_related("social_links").filter(pk=cls.SINGLETON_PK).first()
        return found or cls()

    @property
    def display_name(self) -> str:
        return self.organisation_name or settings.SITE_NAME

    @property
    def donate_text(self) -> str:
        return self.donate_label or "Donate"

    def organisation_links(self) -> list[tuple[str, str]]:
        """(label, address) of the organisation's pages that are set, in the footer's order."""
        links = [
            ("About", self.about_url),
            ("Contact", self.contact_url),
            ("Privacy", self.privacy_url),
            ("Accessibility statement", self.accessibility_url),
        ]
        return [(label, url) for label, url in links if url]

    def links(self) -> list[SocialLink]:
        """The social links in order (prefetched by ``for_pages``); none before a save."""
        return list(self.social_links.all()) if self.pk is not None else []


class SocialLink(PublicContent):
    """One of the organisation's social profiles, in the order the editor gives."""

    class Network(models.TextChoices):
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        INSTAGRAM = "instagram", "Instagram"
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        TIKTOK = "tiktok", "TikTok"
        THREADS = "threads", "Threads"
        LINKEDIN = "linkedin", "LinkedIn"

    site_settings = models.ForeignKey(
        SiteSettings, on_delete=models.CASCADE, related_name="social_links"
    )
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    url = models.URLField(
        _("profile address"), max_length=500, validators=[WEB_URL],
        help_text=_("The full address of the profile, such as https://bsky.app/profile/…"),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("social link")
        verbose_name_plural = _("social links")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.url}"
