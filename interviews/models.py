"""Filmmaker interviews as ordered question/answer pairs with photos placed between answers.

An ``Interview`` belongs (optionally) to a ``films.Film`` and names its interviewees as
``films.Person`` rows. Its ``QuestionAnswer`` rows are in ``sort_order``; a ``Figure``
belongs to the pair it follows (none: before the first question), so it moves with its pair.
"""

from __future__ import annotations

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Prefetch, Q, Value, When, prefetch_related_objects
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cms.page_cache.models import PublicContent, PublicContentManager
from cms.publishing.models import Publishable, PublishableManager
from cms.richtext import RichTextField, html_summary
from cms.tagging import SlugTaggedItem
from films.models import Film
from films.premieres import AboutAFilm, PremiereTimedQuerySet, boundary_indexes


class TaggedInterview(SlugTaggedItem):
    content_object = models.ForeignKey("interviews.Interview", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("interview tag")
        verbose_name_plural = _("interview tags")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="interviews_tagged_unique"
            )
        ]


class InterviewQuerySet(PremiereTimedQuerySet):
    """What each kind of interview page shows, fetched in a fixed number of queries.

    The film comes with ``film_is_live``: a live interview about a draft film must not
    show or link to that film (see ``Interview.live_film``). An interview may go live some
    hours from its film's premiere (``PremiereTimedQuerySet``).
    """

    premiere_film = "film"

    def for_cards(self) -> InterviewQuerySet:
        return (
            self.select_related("film", "hero_image", "social_image")
            .prefetch_related("hero_image__renditions", "social_image__renditions")
            .with_live_relation("film")
        )

    def for_listing(self) -> InterviewQuerySet:
        return self.for_cards().prefetch_related("interviewees")

    def for_detail(self) -> InterviewQuerySet:
        """The interview's own row alone: the parts of its page load what they show.

        The page is made of parts kept rendered (``{% fragment %}``): the body loads its pairs
        and figures (``contents``), the side boxes the film (``live_film``), the head its
        tags and people. A part served as kept loads nothing, so the page's own query must
        not either.
        """
        return self

    def related_to(self, interview: Interview, count: int = 3) -> list[Interview]:
        """Other live interviews, those about the same film first, newest first, in one query.

        Call it on all interviews (``Interview.objects``): the halves apply the live rule.
        Flat at any number of interviews: each half is an ``ORDER BY ... LIMIT`` read along
        an index (``interviews_live_newest_idx``, ``interviews_film_newest_idx``), so at most
        ``2 * count`` rows are sorted, never every live interview.
        """
        others = self.live().exclude(pk=interview.pk).order_by("-publish_at", "-id")
        candidates = Q(pk__in=others.values("pk")[:count])
        order = ["-publish_at", "-id"]
        if interview.film_id is not None:
            same_film = others.filter(film_id=interview.film_id)
            candidates |= Q(pk__in=same_film.values("pk")[:count])
            order.insert(0, Case(When(film_id=interview.film_id, then=Value(0)), default=Value(1)))
        rows = self.filter(candidates).only("title", "slug").order_by(*order)
        return list(rows[:count])

    def about_film(self, film) -> list:
        """The live interviews about ``film``, as its page lists them."""
        return list(self.live().filter(film=film).for_cards()[:12])


class InterviewManager(PublishableManager.from_queryset(InterviewQuerySet)):
    pass


class Interview(AboutAFilm, Publishable):
    """A published conversation with a filmmaker or subject about a film."""

    film = models.ForeignKey(
        "films.Film", verbose_name=_("film"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="interviews",
    )  # fmt: skip
    interviewees = models.ManyToManyField(
        "films.Person", verbose_name=_("interviewees"), related_name="interviews", blank=True
    )
    byline = models.CharField(
        _("byline or outlet"), max_length=255, blank=True,
        help_text=_("Who conducted the interview, for example \"Independent Lens\"."),
    )  # fmt: skip
    intro = RichTextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "cms.Image", verbose_name=_("hero image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Featured interviews lead the home page.")
    )
    tags = TaggableManager(through=TaggedInterview, blank=True)

    objects = InterviewManager()

    class Meta(Publishable.Meta):
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        permissions = [
            ("publish_interview", "Can publish, schedule and unpublish interviews"),
            ("approve_interview", "Can approve interviews submitted for review"),
        ]
        ordering = ["-publish_at", "-id"]
        # The live rule and the newest-first order in one index: a list, a feed or the "More
        # interviews" box reads its rows along it (ORDER BY ... LIMIT, no sort of every live
        # interview), and counting live interviews (every list page's paginator) reads the
        # index alone. The second does the same for the interviews about one film.
        indexes = [
            models.Index(
                fields=["status", "publish_at", "id", "expire_at", "premiere_offset_hours"],
                name="interviews_live_newest_idx",
            ),
            *boundary_indexes("interviews"),
            models.Index(
                fields=["film", "status", "publish_at", "id"], name="interviews_film_newest_idx"
            ),
            # The home page's featured interview and the sitemap index's "last modified",
            # each an ORDER BY ... LIMIT 1 along its index.
            models.Index(
                fields=["status", "is_featured", "publish_at", "id"],
                name="interviews_featured_idx",
            ),
            models.Index(fields=["status", "updated_at"], name="interviews_changed_idx"),
        ]

    def feed_description(self) -> str:
        return html_summary(self.intro, self.search_description)

    def feed_author(self) -> str:
        return self.byline

    def get_absolute_url(self) -> str:
        return reverse("interviews:detail", kwargs={"slug": self.slug})

    @property
    def image(self):
        return self.social_image or self.hero_image

    @property
    def live_film(self) -> Film | None:
        """The film, if viewers may see it.

        Lists flag it in their query (``for_cards()``); a detail page asks on first use, so
        a page whose parts are all kept rendered never does.
        """
        if not hasattr(self, "film_is_live"):
            film = None
            if self.film_id is not None:
                films = Film.objects.live().select_related("poster", "social_image")
                film = films.filter(pk=self.film_id).first()
            if film is not None:
                self.film = film
            self.film_is_live = film is not None
        return self.film if self.film_is_live else None

    @property
    def hero_is_a_figure(self) -> bool:
        """The hero photo also placed in the text is shown there only, not twice."""
        return any(figure.image_id == self.hero_image_id for figure in self.contents()[1])

    def contents(self) -> tuple[list[QuestionAnswer], list[Figure]]:
        """The pairs and the figures, with the pictures of the figures and the hero.

        Loaded on first use in three queries (pairs; figures with their images; the
        renditions of every picture), then kept on the instance; a ``for_detail()`` page
        calls it only from the parts it renders, never for a part served as kept.
        """
        figures = Prefetch("figures", queryset=Figure.objects.select_related("image"))
        if not hasattr(self, "_prefetched_objects_cache") or "figures" not in (
            self._prefetched_objects_cache
        ):
            prefetch_related_objects([self], "pairs", figures)
            images = [figure.image for figure in self.figures.all()]
            if self.hero_image_id is not None and self.hero_image is not None:
                images.append(self.hero_image)
            prefetch_related_objects(images, "renditions")
        return list(self.pairs.all()), list(self.figures.all())

    def shown_tags(self) -> list:
        """The tags, read once for the page's tag list and its structured data."""
        prefetch_related_objects([self], "tags")
        return list(self.tags.all())

    def renumber_pairs(self) -> None:
        """Number the pairs 1, 2, 3... in their order; figures follow their pairs by reference."""
        pairs = list(self.pairs.order_by("sort_order", "id"))
        for number, pair in enumerate(pairs, start=1):
            pair.sort_order = number
        QuestionAnswer.objects.bulk_update(pairs, ["sort_order"])

    def body(self) -> list[QuestionAnswer | Figure]:
        """Pairs and figures in reading order: each pair, then the figures placed after it."""
        pairs, figures = self.contents()
        after: dict[int | None, list[Figure]] = {}
        for figure in figures:
            after.setdefault(figure.pair_id, []).append(figure)
        blocks: list[QuestionAnswer | Figure] = after.pop(None, [])
        for pair in pairs:
            blocks += [pair, *after.pop(pair.pk, [])]
        return blocks + [figure for rest in after.values() for figure in rest]


def anchor_for(question: str, taken: set[str]) -> str:
    """A slug of the question's first words, numbered if it is already ``taken``."""
    words = slugify(question, allow_unicode=True).split("-")
    base = "-".join(words[:8])[:70].strip("-") or "question"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    return anchor


class QuestionAnswerManager(PublicContentManager):
    def get_by_natural_key(self, interview_slug: str, anchor: str) -> QuestionAnswer:
        return self.get(interview__slug=interview_slug, anchor=anchor)


class QuestionAnswer(PublicContent):
    """One question (plain text) and its answer (rich text), with a stable anchor for links."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="pairs")
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)
    question = models.TextField(_("question"))
    answer = RichTextField(_("answer"))
    anchor = models.SlugField(
        _("anchor"), max_length=80, blank=True, allow_unicode=True,
        help_text=_("The #link to this question. Made from the question if left empty; "
                    "keep it unchanged once published so shared links keep working."),
    )  # fmt: skip

    objects = QuestionAnswerManager()

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "anchor"], name="interviews_pair_unique_anchor"
            ),
            models.CheckConstraint(
                condition=~models.Q(question=""), name="interviews_pair_question_required"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs) -> None:
        if not self.anchor:
            self.anchor = self.unique_anchor()
        if self._state.adding and not self.sort_order:
            last = self.interview.pairs.aggregate(last=models.Max("sort_order"))["last"]
            self.sort_order = (last or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.interview.get_absolute_url()}#{self.anchor}"

    def clean(self) -> None:
        super().clean()
        if not (self.question or "").strip():
            raise ValidationError({"question": _("Write the question.")})

    def natural_key(self) -> tuple[str | None, str]:
        # While loading a fixture the interview may not be resolved yet; then no stored row
        # can match, and a key of None says so instead of failing.
        return (self.interview.slug if self.interview_id else None, self.anchor)

    natural_key.dependencies = ["interviews.interview"]

    def unique_anchor(self) -> str:
        taken = set(
            QuestionAnswer.objects.filter(interview_id=self.interview_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        return anchor_for(self.question, taken)


class FigureManager(PublicContentManager):
    def get_by_natural_key(self, interview_slug: str, image_file: str) -> Figure:
        return self.get(interview__slug=interview_slug, image__file=image_file)


def move_to_previous_answer(collector, field, sub_objs, using) -> None:
    """``on_delete`` of a figure's pair: the photo moves to the answer before, not away.

    With no earlier answer left (or the whole interview's pairs going), it goes before the
    first question; a photo is never deleted with the text it followed.
    """
    deleted = {pair.pk for pair in collector.data.get(QuestionAnswer, ())}
    for figure in sub_objs:
        previous = (
            QuestionAnswer.objects.using(using)
            .filter(interview_id=figure.interview_id)
            .exclude(pk__in=deleted)
            .filter(sort_order__lte=figure.pair.sort_order)
            .order_by("-sort_order", "-id")
            .first()
        )
        collector.add_field_update(field, previous, [figure])


class Figure(PublicContent):
    """A photo placed in an interview after a question/answer pair, which it follows around."""

    page_cache_text_fields = ("caption", "credit")  # shown with it; no list sorts by them

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="figures")
    pair = models.ForeignKey(
        QuestionAnswer, verbose_name=_("after answer"), related_name="figures",
        null=True, blank=True, on_delete=move_to_previous_answer,
        help_text=_("The answer this photo follows; empty puts it before the first question."),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Among the photos after the same answer.")
    )
    image = models.ForeignKey("cms.Image", verbose_name=_("image"), on_delete=models.PROTECT)
    caption = models.CharField(
        _("caption"), max_length=500, blank=True,
        help_text=_("Shown under the photo; the image's own caption is used if empty."),
    )  # fmt: skip
    credit = models.CharField(
        _("credit"), max_length=255, blank=True,
        help_text=_("The image's own credit is used if empty."),
    )  # fmt: skip

    objects = FigureManager()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "image"], name="interviews_figure_unique_image"
            )
        ]

    def __str__(self) -> str:
        return self.display_caption or str(self.image)

    def natural_key(self) -> tuple[str | None, str | None]:
        return (
            self.interview.slug if self.interview_id else None,
            self.image.file.name if self.image_id else None,
        )

    natural_key.dependencies = ["interviews.interview", "interviews.questionanswer", "cms.image"]

    def clean(self) -> None:
        if self.pair_id and self.interview_id and self.pair.interview_id != self.interview_id:
            raise ValidationError({"pair": _("Choose an answer of this interview.")})

    @property
    def display_caption(self) -> str:
        return self.caption or self.image.caption

    @property
    def display_credit(self) -> str:
        return self.credit or self.image.credit


# History: an interview's versions include its pairs, figures and tags, so a restore brings
# back deleted pairs too.
reversion.register(QuestionAnswer)
reversion.register(Figure)
reversion.register(TaggedInterview)
reversion.register(Interview, follow=["pairs", "figures", "taggedinterview_set"])
