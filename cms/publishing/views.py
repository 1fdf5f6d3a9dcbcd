"""Pages of publishable content: detail with preview, live lists, share links, the calendar."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import connections, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from cms.page_cache.cache import not_cached
from cms.page_cache.dependencies import shows
from cms.publishing.dashboard import publishing_calendar
from cms.publishing.models import Publishable, ShareLink
from cms.publishing.permissions import may_publish
from cms.publishing.scheduling import moment_text, move_to_day, parse_item, record_change
from cms.views import PageMetadataMixin


def can_preview(user, model: type[Publishable]) -> bool:
    """Staff who may view a model in the admin may also preview its unpublished pages."""
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


QuerysetAt = Callable[[datetime], QuerySet]


@dataclass
class Prepared:
    """A live lookup's SQL, compiled once, and how to make a row of what it returns."""

    sql: str
    params: list
    moments: set[int]  # positions of the moment in ``params``
    slug_at: int  # position of the slug
    attnames: list[str]  # of the columns selected, in order
    converters: dict  # by column: the database's converters (``SQLCompiler.get_converters``)


class PreparedLiveLookup:
    """The live row with a given slug, by SQL that the ORM builds once per process and view.

    Building and compiling the live rule (a premiere-timed model's rule holds a subquery)
    costs more CPU than the rest of a detail page whose parts are kept rendered. Its moment
    and the slug are the query's only values that change from one request to the next: the
    query is compiled with a mark in place of each, then run with the request's own. The row
    is made as the ORM makes it (each column's converters, then ``Model.from_db``), from
    column names found at compile time: ``raw()`` would look them up on every request.
    ``queryset_at(moment)`` gives the view's public queryset at ``moment``; one that selects
    more than the model's own columns (``select_related``, annotations) is run through the
    ORM each time instead. Forgotten when settings change (tests).
    """

    MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
    SLUG = "\x1fprepared-slug\x1f"

    def __init__(self) -> None:
        self.prepared: dict[str, Prepared | None] = {}

    def prepare(self, queryset_at: QuerysetAt, slug_field: str, alias: str) -> Prepared | None:
        """The query compiled with marks for the moment and the slug; None: unusable."""
        rows = queryset_at(self.MOMENT).filter(**{slug_field: self.SLUG}).order_by()[:2]
        query = rows.query
        if query.select_related or query.annotations or query.extra or query.deferred_loading[0]:
            return None
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        marks = {self.MOMENT, connections[alias].ops.adapt_datetimefield_value(self.MOMENT)}
        moments = {i for i, value in enumerate(params) if value in marks}
        slugs = [i for i, value in enumerate(params) if value == self.SLUG]
        if not moments or len(slugs) != 1:
            return None
        columns = [column for column, _, _ in compiler.select]
        attnames = [column.target.attname for column in columns]
        converters = compiler.get_converters(columns)
        return Prepared(sql, list(params), moments, slugs[0], attnames, converters)

    def get(self, model: type[Publishable], queryset_at: QuerysetAt, slug_field: str, slug: str,
            alias: str) -> Publishable | None:  # fmt: skip
        """The live row with ``slug`` now, or None; ``Http404`` is the caller's to raise."""
        if alias not in self.prepared:
            self.prepared[alias] = self.prepare(queryset_at, slug_field, alias)
        prepared = self.prepared[alias]
        now = timezone.now()
        if prepared is None:
            rows = list(queryset_at(now).filter(**{slug_field: slug}).order_by()[:2])
        else:
            rows = self.run(prepared, model, slug, now, alias)
            shows(model)  # the list read that the QuerySet would have recorded
        if len(rows) > 1:
            raise model.MultipleObjectsReturned
        return rows[0] if rows else None

    @staticmethod
    def run(prepared: Prepared, model: type[Publishable], slug: str, now: datetime,
            alias: str) -> list[Publishable]:  # fmt: skip
        """The rows ``prepared`` finds for ``slug`` at ``now``, made as the ORM makes them."""
        connection = connections[alias]
        moment = connection.ops.adapt_datetimefield_value(now)
        values = [moment if i in prepared.moments else v for i, v in enumerate(prepared.params)]
        values[prepared.slug_at] = slug
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, values)
            found = cursor.fetchall()
        rows = []
        for row in found:
            row = list(row)
            for at, (converters, expression) in prepared.converters.items():
                for convert in converters:
                    row[at] = convert(row[at], expression, connection)
            rows.append(model.from_db(alias, prepared.attnames, row))
        return rows


_prepared_lookups: dict[type, PreparedLiveLookup] = {}


@receiver(setting_changed)
def forget_prepared_lookups(**kwargs) -> None:
    _prepared_lookups.clear()


class PageInPartMixin:
    """A paginated list whose head and main column are kept parts (``{% page_part %}``).

    The page of rows (``paginator``, ``page_obj``, ``is_paginated``, the list) is found when a
    part first reads it, not by the view, so a page whose parts are kept counts and reads no
    rows. A page number past the end is a 404 raised then: such a part is never kept.
    """

    def paginate_queryset(self, queryset, page_size: int) -> tuple:
        found = functools.cache(
            lambda: super(PageInPartMixin, self).paginate_queryset(queryset, page_size)
        )
        return tuple(SimpleLazyObject(functools.partial(lambda i: found()[i], i)) for i in range(4))


class RowsBuiltInPartMixin(PageInPartMixin):
    """A ``PageInPartMixin`` list whose QuerySet is also built only when a part reads it.

    Building a live rule (a premiere-timed one holds a subquery) costs more CPU than a page
    whose parts are kept; for a view whose ``get_queryset`` has no other effect.
    """

    def get_queryset(self):
        return SimpleLazyObject(lambda: super(RowsBuiltInPartMixin, self).get_queryset())

    def get_context_object_name(self, object_list) -> str:
        return self.context_object_name or f"{self.model._meta.model_name}_list"

    def get_template_names(self) -> list[str]:
        """ListView's names, from the view's model rather than the (unbuilt) QuerySet's."""
        if self.template_name:
            return [self.template_name]
        opts = self.model._meta
        return [f"{opts.app_label}/{opts.model_name}{self.template_name_suffix}.html"]


class PublishableDetailView(PageMetadataMixin, DetailView):
    """Detail page of a ``Publishable``: live rows for everyone, any row as a preview for staff.

    A preview is marked in the page, kept out of search engines and never cached. A view
    whose public queryset selects the model's own columns alone may set ``prepared_lookup``:
    viewers' pages then find the row by SQL compiled once per process (``PreparedLiveLookup``).
    """

    is_preview = False
    prepared_lookup = False
    live_at: datetime | None = None  # the moment the live rule is judged at (None: now)

    def get_queryset(self):
        queryset = super().get_queryset()
        link = self.share_link()
        if link is not None:
            return queryset.with_live_flag().filter(pk=link.object_id)
        if can_preview(self.request.user, self.model):
            return queryset.with_live_flag()
        return queryset.live(self.live_at)

    def share_link(self) -> ShareLink | None:
        """The share link this request came by, if it is one to a page of this model."""
        link = getattr(self.request, "share_link", None)
        if link is not None and link.content_type.model_class() is self.model:
            return link
        return None

    def previews(self) -> bool:
        """Whether this request may see rows that are not live (a share link, staff)."""
        return self.share_link() is not None or can_preview(self.request.user, self.model)

    def get_object(self, queryset=None):
        if queryset is None and self.prepared_lookup and not self.previews():
            obj = self.prepared_live_lookup()
        else:
            obj = super().get_object(queryset)
        self.is_preview = not getattr(obj, "is_live", True)
        return obj

    def prepared_live_lookup(self) -> Publishable:
        """The live row named in the URL, by this view's ``PreparedLiveLookup``."""
        lookup = _prepared_lookups.setdefault(type(self), PreparedLiveLookup())
        slug = self.kwargs[self.slug_url_kwarg]
        alias = self.model._default_manager.all().db
        obj = lookup.get(self.model, self.public_queryset_at, self.get_slug_field(), slug, alias)
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} found matching the query")
        return obj

    def public_queryset_at(self, moment: datetime) -> QuerySet:
        """What ``get_queryset`` gives a viewer, with the live rule judged at ``moment``."""
        previous, self.live_at = self.live_at, moment
        try:
            return self.get_queryset()
        finally:
            self.live_at = previous

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return [*super().get_breadcrumbs(), (self.object.title, self.object.get_absolute_url())]

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=self.is_preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.is_preview:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class LivePaginator(Paginator):
    """Counts the live rows alone, and no further than a few pages past the page asked for.

    Without the joins ``for_listing()`` adds for display, and bounded: page 1 of 100,000
    interviews reads 73 index entries, not 100,000. When the bound is reached the total is
    unknown and ``count_is_capped`` says so (the page shows "Page 3", with an "Older" link,
    and no made-up total). ``asked_page`` "last" counts them all.
    """

    lookahead = 5  # pages past the one asked for

    def __init__(self, *args, asked_page: int | str = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked_page = asked_page

    @cached_property
    def bound(self) -> int | None:
        """How many rows to count at most (None: all of them)."""
        try:
            number = max(int(self.asked_page), 1)
        except (TypeError, ValueError):
            return None  # "last", or not a number (a 404 either way)
        return (number + self.lookahead) * self.per_page + 1

    @cached_property
    def count(self) -> int:
        live = self.object_list.model.objects.live()
        return live.count() if self.bound is None else live.count_up_to(self.bound)

    @property
    def count_is_capped(self) -> bool:
        return self.bound is not None and self.count >= self.bound


class LivePublishableListView(PageMetadataMixin, ListView):
    """A paginated list of live rows, as the model's ``for_listing()`` fetches them."""

    paginate_by = 12
    paginator_class = LivePaginator

    def get_queryset(self):
        return self.model.objects.live().for_listing()

    def get_paginator(self, *args, **kwargs) -> Paginator:
        if issubclass(self.paginator_class, LivePaginator):
            asked = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
            kwargs["asked_page"] = asked
        return super().get_paginator(*args, **kwargs)


@not_cached
@never_cache
def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The page a share link points at, shown by that page's own view, as a preview.

    An unknown, expired or revoked token is an ordinary 404: it tells nothing about the page.
    """
    link = ShareLink.objects.active().select_related("content_type").filter(token=token).first()
    target = link.content_object if link is not None else None
    if target is None:
        raise Http404
    match = resolve(target.get_absolute_url())
    request.share_link = link
    response = match.func(request, *match.args, **match.kwargs)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    return response


class PublishingCalendarView(TemplateView):
    """Pages going live, expiries, screenings and windows, day by day, for a week or four
    (admin), filtered by kind and by film; scheduled pages can be moved to another day.

    ``?start=`` is as likely to be typed or pasted as clicked. A start that is not a date,
    or lies outside the years the calendar covers, shows this week with a message saying
    why: the span, its neighbours and the time zone shifts must stay inside the dates Python
    and the database can hold (``9999-12-31`` plus a week is not a date).
    """

    template_name = "admin/cms/calendar.html"
    page_cache = False  # for editors only
    spans = {"week": 7, "month": 28}
    earliest = date(1900, 1, 1)
    latest = date(2999, 12, 31)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        days = self.spans.get(self.request.GET.get("span", "week"), 7)
        first = self.first_day(today)
        kind = self.request.GET.get("kind", "")
        topic = self.request.GET.get("film", "")
        calendar = publishing_calendar(first, days, kind=kind, topic=topic)
        user = self.request.user
        for entry in (entry for day in calendar["days"] for entry in day["events"]):
            # Offered only to those the move endpoint would let through.
            entry["can_move"] = entry["event"].movable and may_publish(user, entry["event"].item)
        span = "month" if days == 28 else "week"
        return super().get_context_data(
            **admin.site.each_context(self.request),
            title="Publishing calendar",
            **calendar,
            kind=kind,
            film=topic,
            span=span,
            filters=urlencode({k: v for k, v in (("kind", kind), ("film", topic)) if v}),
            previous=first - timedelta(days=days),
            following=first + timedelta(days=days),
            today=today,
            here=self.request.get_full_path(),
            **kwargs,
        )

    def first_day(self, today: date) -> date:
        """The day asked for in ``?start=``; this week's Monday if none, or none usable."""
        this_week = today - timedelta(days=today.weekday())
        asked = self.request.GET.get("start", "")
        if not asked:
            return this_week
        try:
            first = date.fromisoformat(asked)
        except ValueError:
            first = None
        if first is None or not self.earliest <= first <= self.latest:
            messages.warning(
                self.request,
                f"Choose a start date from {self.earliest:%Y-%m-%d} to "
                f"{self.latest:%Y-%m-%d}, written like {today:%Y-%m-%d}. "
                "Showing this week instead.",
            )
            return this_week
        return first


@require_POST
def move_scheduled(request: HttpRequest) -> HttpResponse:
    """Move a scheduled page to another day (``item``, ``day``), at the same time of day on
    the editor's clock: the calendar's drag and drop and its "Move to" form both post here.

    Needs the model's publish permission; the move is a revision in the page's history.
    Anything refused leaves the page as it was, with a message saying why.
    """
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    back = back or reverse("publishing-calendar")
    found = parse_item(request.POST.get("item", ""))
    obj = found[0].objects.filter(pk=found[1]).first() if found else None
    if obj is None:
        messages.error(request, "That page was not found; nothing was moved.")
        return redirect(back)
    opts = obj._meta
    if not may_publish(request.user, obj):
        messages.error(request, f"You may not schedule {opts.verbose_name_plural}; "
                                "nothing was moved.")  # fmt: skip
        return redirect(back)
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        try:
            new, old = move_to_day(obj, request.POST.get("day", "").strip())
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(back)
        obj.publish_at, obj.updated_by = new, request.user
        obj.save(update_fields=["publish_at", "updated_by"])
        record_change(request, obj, f"Moved from {moment_text(old)} to {moment_text(new)}.")
    messages.success(request, f"“{obj}” moved: scheduled for {moment_text(new)}.")
    return redirect(back)
