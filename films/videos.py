"""Trailers and clips: videos hosted by YouTube, Vimeo or PBS, shown here behind a facade.

A ``Video`` belongs to a ``Film`` (its trailers and clips, listed on the film's page); an
interview or a post may place one of them on its own page. The video itself stays with its
host: ``url`` is the address of the video there, read by ``VideoAddress.parse`` into the host
and the video's id, from which the player's address is made. No other address is accepted,
and no page asks the host for anything until a viewer presses play.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet

# The origins of the players that pages may frame: the CSP's frame-src in config/settings.
PLAYER_ORIGINS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://player.pbs.org",
)

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
YOUTUBE_SHORT_HOSTS = {"youtu.be"}
VIMEO_HOSTS = {"vimeo.com"}
VIMEO_PLAYER_HOSTS = {"player.vimeo.com"}
PBS_HOSTS = {"www.pbs.org"}
PBS_PLAYER_HOSTS = {"player.pbs.org"}

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,20}")
VIMEO_HASH = re.compile(r"[0-9a-f]{6,32}")  # an unlisted video's key, which its player needs
PBS_ID = re.compile(r"[0-9]{6,15}")
PBS_PLAYERS = {"viralplayer", "portalplayer", "partnerplayer"}

EXAMPLES = {
    "youtube": "https://www.youtube.com/watch?v=…",
    "vimeo": "https://vimeo.com/123456789",
    "pbs": "https://www.pbs.org/video/2365245528/",
}


@dataclass(frozen=True)
class VideoAddress:
    """A video at its host: the provider and the video's id there (and Vimeo's key, if any).

    Every address a page shows is made from these, never copied from what an editor typed:
    the player's (``embed_url``, in the provider's privacy-respecting form), the one that
    starts playing (``play_url``) and the video's page at the provider (``watch_url``).
    """

    provider: str  # "youtube", "vimeo" or "pbs"
    video_id: str
    key: str = ""

    NAMES = {"youtube": "YouTube", "vimeo": "Vimeo", "pbs": "PBS"}

    @classmethod
    def parse(cls, url: str) -> VideoAddress:
        """Read a YouTube, Vimeo or PBS address; ValidationError, saying why, for any other."""
        parts = urlsplit(str(url).strip())
        if parts.scheme.lower() not in {"http", "https"}:
            raise ValidationError(
                _("Enter the video’s web address, starting with https://, from YouTube, "
                  "Vimeo or PBS."),
                code="video_scheme",
            )  # fmt: skip
        host = (parts.hostname or "").lower()
        segments = [segment for segment in parts.path.split("/") if segment]
        query = parse_qs(parts.query)
        if host in YOUTUBE_HOSTS | YOUTUBE_SHORT_HOSTS:
            return cls._youtube(host, segments, query)
        if host in VIMEO_HOSTS | VIMEO_PLAYER_HOSTS:
            return cls._vimeo(host, segments, query)
        if host in PBS_HOSTS | PBS_PLAYER_HOSTS:
            return cls._pbs(host, segments)
        raise ValidationError(
            _("Videos can come only from YouTube, Vimeo or PBS; “%(host)s” is none of them."),
            code="video_host",
            params={"host": host or url},
        )

    @classmethod
    def _youtube(cls, host: str, segments: list[str], query: dict) -> VideoAddress:
        if host in YOUTUBE_SHORT_HOSTS:  # youtu.be/ID
            candidate = segments[0] if len(segments) == 1 else ""
        elif segments == ["watch"]:  # youtube.com/watch?v=ID
            candidate = query.get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            candidate = segments[1]
        else:
            candidate = ""
        return cls._checked("youtube", candidate, YOUTUBE_ID)

    @classmethod
    def _vimeo(cls, host: str, segments: list[str], query: dict) -> VideoAddress:
        key = ""
        if host in VIMEO_PLAYER_HOSTS:  # player.vimeo.com/video/ID?h=KEY
            candidate = segments[1] if len(segments) == 2 and segments[0] == "video" else ""
            key = query.get("h", [""])[0]
        elif len(segments) in (1, 2) and VIMEO_ID.fullmatch(segments[0]):  # vimeo.com/ID[/KEY]
            candidate, key = segments[0], (segments[1] if len(segments) == 2 else "")
        elif len(segments) == 3 and segments[0] == "channels":  # vimeo.com/channels/NAME/ID
            candidate = segments[2]
        else:
            candidate = ""
        if key and not VIMEO_HASH.fullmatch(key):
            candidate = ""
        return cls._checked("vimeo", candidate, VIMEO_ID, key)

    @classmethod
    def _pbs(cls, host: str, segments: list[str]) -> VideoAddress:
        if segments and segments[0] == "widget":
            segments = segments[1:]
        if host in PBS_PLAYER_HOSTS:  # player.pbs.org/viralplayer/ID/
            candidate = segments[1] if len(segments) == 2 and segments[0] in PBS_PLAYERS else ""
        else:  # www.pbs.org/video/ID/
            candidate = segments[1] if len(segments) == 2 and segments[0] == "video" else ""
        if not PBS_ID.fullmatch(candidate):
            raise ValidationError(
                _("This PBS address does not give the video’s number. Use an address such as "
                  "https://www.pbs.org/video/2365245528/, or the player address from the "
                  "video’s Share › Embed menu (https://player.pbs.org/viralplayer/2365245528/)."),
                code="video_id",
            )  # fmt: skip
        return cls("pbs", candidate)

    @classmethod
    def _checked(cls, provider: str, candidate: str, pattern, key: str = "") -> VideoAddress:
        if not pattern.fullmatch(candidate):
            raise ValidationError(
                _(
                    "This %(provider)s address does not name a video. Copy the address of the "
                    "video’s own page, such as %(example)s."
                ),
                code="video_id",
                params={"provider": cls.NAMES[provider], "example": EXAMPLES[provider]},
            )
        return cls(provider, candidate, key)

    @property
    def provider_name(self) -> str:
        return self.NAMES[self.provider]

    @property
    def watch_url(self) -> str:
        """The video's page at its host: where the facade's link goes without JavaScript."""
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        if self.provider == "vimeo":
            return f"https://vimeo.com/{self.video_id}" + (f"/{self.key}" if self.key else "")
        return f"https://www.pbs.org/video/{self.video_id}/"

    @property
    def embed_url(self) -> str:
        """The host's player in its most private form: no cookies, no tracking where offered."""
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        if self.provider == "vimeo":
            options = {"h": self.key} if self.key else {}
            return f"https://player.vimeo.com/video/{self.video_id}?" + urlencode(
                {**options, "dnt": 1}
            )
        return f"https://player.pbs.org/viralplayer/{self.video_id}/"

    @property
    def play_url(self) -> str:
        """The player, asked to start at once: the viewer has just pressed play."""
        if self.provider == "youtube":
            return f"{self.embed_url}?autoplay=1"
        if self.provider == "vimeo":
            return f"{self.embed_url}&autoplay=1"
        return self.embed_url  # PBS's viral player documents no autoplay option


def validate_video_address(value: str) -> None:
    """The ``url`` field's validator: a YouTube, Vimeo or PBS address naming a video."""
    VideoAddress.parse(value)


def iso_duration(duration: timedelta | None) -> str | None:
    """ISO 8601: two minutes and 31 seconds is ``PT2M31S``."""
    if not duration:
        return None
    hours, rest = divmod(int(duration.total_seconds()), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(hours, "H"), (minutes, "M"), (seconds, "S")]
    return "PT" + "".join(f"{amount}{unit}" for amount, unit in parts if amount)


class VideoQuerySet(PublicContentQuerySet):
    def for_facade(self) -> VideoQuerySet:
        """With what the facade shows: the poster and its renditions."""
        return self.select_related("poster").prefetch_related("poster__renditions")


class VideoManager(PublicContentManager.from_queryset(VideoQuerySet)):
    def get_by_natural_key(self, film_slug: str, url: str) -> Video:
        return self.get(film__slug=film_slug, url=url)


class Video(PublicContent):
    """A trailer or clip of a film, played by its host's player only when a viewer asks."""

    class Kind(models.TextChoices):
        TRAILER = "trailer", _("Trailer")
        CLIP = "clip", _("Clip")

    film = models.ForeignKey(
        "films.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="videos"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TRAILER)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(
        _("video address"), max_length=500, validators=[validate_video_address],
        help_text=_("The address of the video on YouTube, Vimeo or PBS, as your browser "
                    "shows it on the video’s page."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    duration = models.DurationField(
        _("duration"), null=True, blank=True,
        help_text=_("Minutes and seconds, such as 2:31 (or 1:02:31 with hours)."),
    )  # fmt: skip
    uploaded_on = models.DateField(_("published on"), null=True, blank=True)
    poster = models.ForeignKey(
        "cms.Image", verbose_name=_("poster image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    has_captions = models.BooleanField(_("has captions"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = VideoManager()

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["film", "url"], name="films_video_unique_address")
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str | None, str]:
        # Unresolved references while a fixture loads mean no stored row can match yet.
        return (self.film.slug if self.film_id else None, self.url)

    natural_key.dependencies = ["films.film", "cms.image"]

    @cached_property
    def address(self) -> VideoAddress | None:
        """The video at its host, or None for an address that is not one (never shown)."""
        try:
            return VideoAddress.parse(self.url)
        except ValidationError:
            return None

    @property
    def iso_duration(self) -> str | None:
        return iso_duration(self.duration)

    @property
    def running_time(self) -> str:
        """The duration as players show it: ``2:31``, ``1:02:31``."""
        if not self.duration:
            return ""
        hours, rest = divmod(int(self.duration.total_seconds()), 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
