"""The organisation's news. A ``Post`` may point at a ``films.Film`` it is about."""

from __future__ import annotations

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Case, Prefetch, Q, Value, When, prefetch_related_objects
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cms.publishing.models import Publishable, PublishableManager
from cms.richtext import RichTextField, html_summary
from cms.tagging import SlugTaggedItem
from films.models import Credit, Film
from films.premieres import AboutAFilm, PremiereTimedQuerySet, boundary_indexes

# Who may be picked as a post's author: staff accounts that have a name to print.
STAFF_WITH_A_NAME = models.Q(is_staff=True) & ~models.Q(first_name="", last_name="")


class TaggedPost(SlugTaggedItem):
    content_object = models.ForeignKey("blog.Post", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("post tag")
        verbose_name_plural = _("post tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="blog_tagged_unique")
        ]


class PostQuerySet(PremiereTimedQuerySet):
    """What each kind of blog page shows, fetched in a fixed number of queries.

    A post may go live some hours from its related film's premiere (``PremiereTimedQuerySet``).
    """

    premiere_film = "related_film"

    def for_cards(self) -> PostQuerySet:
        return self.select_related("hero_image", "social_image").prefetch_related(
            "hero_image__renditions", "social_image__renditions"
        )

    def for_listing(self) -> PostQuerySet:
        return self.for_cards().prefetch_related("authors")

    def for_detail(self) -> PostQuerySet:
        return (
            self.for_listing()
            .select_related("related_film", "video__poster")
            .with_live_relation("related_film")
            .prefetch_related(
                "tags",
                "video__poster__renditions",
                Prefetch("related_film__credits", queryset=Credit.objects.select_related("person")),
            )
        )

    def newest(self, count: int = 3, film=None) -> PostQuerySet:
        """The newest live posts, those about ``film`` first: the "From our blog" box.

        One query, flat at any number of posts: with a film, the candidates are the newest
        ``count`` about it and the newest ``count`` of all, each an ``ORDER BY ... LIMIT``
        read along an index, so no more than ``2 * count`` rows are sorted.
        """
        live = self.live().order_by("-publish_at", "-id")
        if film is None:
            return live[:count]
        about_film = live.filter(related_film_id=film.pk)
        candidates = Q(pk__in=about_film.values("pk")[:count]) | Q(pk__in=live.values("pk")[:count])
        first = Case(When(related_film_id=film.pk, then=Value(0)), default=Value(1))
        return self.filter(candidates).order_by(first, "-publish_at", "-id")[:count]

    def about_film(self, film) -> list:
        """The live posts related to ``film``, as its page lists them."""
        return list(self.live().filter(related_film=film).for_cards()[:6])


class PostManager(PublishableManager.from_queryset(PostQuerySet)):
    pass


class Post(AboutAFilm, Publishable):
    """A news item from the organisation."""

    dek = models.TextField(
        _("excerpt"), blank=True,
        help_text=_("A short summary shown in lists and the \"From our blog\" box."),
    )  # fmt: skip
    body = RichTextField(_("body"), blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff authors"), related_name="blog_posts",
        blank=True, limit_choices_to=STAFF_WITH_A_NAME,
        help_text=_("Staff accounts with a name. Give an account its first and last name "
                    "under Users to list it here."),
    )  # fmt: skip
    bylines = models.TextField(
        _("guest bylines"), blank=True,
        help_text=_("Authors without a staff account, such as guest writers: one name per "
                    "line, as it should be printed."),
    )  # fmt: skip
    hero_image = models.ForeignKey(
        "cms.Image", verbose_name=_("hero image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    related_film = models.ForeignKey(
        "films.Film", verbose_name=_("related film"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="posts",
    )  # fmt: skip
    tags = TaggableManager(through=TaggedPost, blank=True)

    objects = PostManager()

    class Meta(Publishable.Meta):
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        permissions = [
            ("publish_post", "Can publish, schedule and unpublish posts"),
            ("approve_post", "Can approve posts submitted for review"),
        ]
        ordering = ["-publish_at", "-id"]
        # The live rule and the newest-first order in one index: a list, a feed or the "From
        # our blog" box reads its rows along it (ORDER BY ... LIMIT, no sort of every live
        # post), and counting live posts reads the index alone.
        indexes = [
            models.Index(
                fields=["status", "publish_at", "id", "expire_at", "premiere_offset_hours"],
                name="blog_live_newest_idx",
            ),
            *boundary_indexes("blog"),
            # The same for the posts about one film (its page, the box on its interviews).
            models.Index(
                fields=["related_film", "status", "publish_at", "id"], name="blog_film_newest_idx"
            ),
            # The sitemap index's "last modified": the live post changed last, read first.
            models.Index(fields=["status", "updated_at"], name="blog_changed_idx"),
        ]

    def feed_description(self) -> str:
        return html_summary(self.body, self.dek)

    def feed_author(self) -> str:
        return ", ".join(self.author_names())

    def get_absolute_url(self) -> str:
        return reverse("blog:detail", kwargs={"slug": self.slug})

    def author_names(self) -> list[str]:
        """The names a byline prints: staff authors' full names by surname, then guests'.

        A staff author is shown by full name only, never by user name or e-mail address,
        which are login details; an account whose name was since cleared is left out.
        """
        prefetch_related_objects([self], "authors")  # once, for the byline and the JSON-LD
        staff = sorted(self.authors.all(), key=lambda user: (user.last_name, user.first_name))
        names = [user.get_full_name() for user in staff]
        guests = (line.strip() for line in self.bylines.splitlines())
        return [name for name in names if name] + [name for name in guests if name]

    @property
    def image(self):
        return self.social_image or self.hero_image

    @property
    def live_related_film(self) -> Film | None:
        """The related film, if viewers may see it.

        ``for_detail()`` flags it in its query; the post's page asks on first use, from the
        parts it renders, so a page whose parts are all kept rendered never does.
        """
        if not hasattr(self, "related_film_is_live"):
            film = None
            if self.related_film_id is not None:
                live = Film.objects.live().prefetch_related(
                    Prefetch("credits", queryset=Credit.objects.select_related("person"))
                )
                film = live.filter(pk=self.related_film_id).first()
            if film is not None:
                self.related_film = film
            self.related_film_is_live = film is not None
        return self.related_film if self.related_film_is_live else None

    def shown_tags(self) -> list:
        """The tags, read once for the page's tag list and its structured data."""
        prefetch_related_objects([self], "tags")
        return list(self.tags.all())

    @property
    def body_repeats_dek(self) -> bool:
        """Whether the body opens with the excerpt, which then need not be shown twice."""
        return bool(self.dek) and strip_tags(self.body).strip().startswith(self.dek.strip()[:100])


reversion.register(TaggedPost)
reversion.register(Post, follow=["taggedpost_set"])
