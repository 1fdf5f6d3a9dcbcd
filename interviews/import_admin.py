"""The admin's "Import an interview" page: paste or upload, check the split, create a draft.

Three steps on one URL. 1: paste (Google Docs, Word, text) or upload (.docx, .html, .txt).
2: the split as the importer reads it (title, byline, date, intro, pairs, figures with their
pictures, blog posts, film) with a warning for what it could not place, and an upload slot
for each picture the article only names. 3: the draft, written by ``ArticleImporter`` in one
transaction, the pictures in the image library with their alt text flagged for review.

Between the steps the source travels signed (``ImportTokenForm``): the server keeps nothing,
and nothing a remote address names is ever fetched.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .import_forms import (
    ImportTokenForm,
    PicturesForm,
    SourceForm,
    figure_previews,
    reading_order,
    sign_source,
)
from .importing.article import ArticleError, ParsedArticle
from .importing.files import ArticleSource
from .importing.importer import ArticleImporter, article_slug

TEMPLATE = "admin/interviews/interview/import.html"


def import_view(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Whoever may add interviews may import one; the result is always a draft."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "preview":
        form = SourceForm(request.POST, request.FILES)
        if form.is_valid():
            return preview(request, model_admin, form.source, form.article)
        return page(request, model_admin, {"form": form}, status=400)
    if step == "create":
        return create(request, model_admin)
    return page(request, model_admin, {"form": SourceForm()})


def page(request: HttpRequest, model_admin: ModelAdmin, context: dict,
         status: int = 200) -> TemplateResponse:  # fmt: skip
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": _("Import an interview"),
            "max_bytes": SourceForm().max_bytes,
            **context,
        },
        status=status,
    )


def start_again(request: HttpRequest, model_admin: ModelAdmin,
                errors: list[str]) -> TemplateResponse:  # fmt: skip
    """Step 1 again, saying why the last step could not go on."""
    return page(request, model_admin, {"form": SourceForm(), "errors": errors}, status=400)


def preview(request: HttpRequest, model_admin: ModelAdmin, source: ArticleSource,
            article: ParsedArticle, pictures: PicturesForm | None = None,
            errors: list[str] | None = None) -> TemplateResponse:  # fmt: skip
    """Step 2: the split, its warnings, and the slots for pictures the article lacks."""
    try:
        plan = ArticleImporter(dry_run=True, always_new=True).plan(article)
    except ValidationError as exc:
        return start_again(request, model_admin, exc.messages)
    if pictures is None:
        pictures = PicturesForm(figure_previews(article))
    warnings = list(article.warnings) + [p.warning for p in pictures.previews if p.warning]
    if plan.interview.slug != article_slug(article):
        warnings.append(
            _("An interview with this title exists; this creates a new draft beside it (%(slug)s).")
            % {"slug": plan.interview.slug}
        )
    context = {
        "step": 2,
        "article": article,
        "interview": plan.interview,
        "new_posts": plan.posts,
        "pictures": pictures,
        "body": reading_order(article, pictures),
        "warnings": warnings,
        "errors": errors or [],
        "token_form": ImportTokenForm(initial={"token": sign_source(source)}),
        "source_name": source.name,
    }
    return page(request, model_admin, context, status=400 if errors else 200)


def create(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """Step 3: the draft, in one transaction; on any error nothing is stored."""
    token_form = ImportTokenForm(request.POST)
    if not token_form.is_valid():
        return start_again(request, model_admin, token_form.errors.get("token", []))
    source: ArticleSource = token_form.cleaned_data["token"]
    try:
        article = source.parse()
    except ArticleError as exc:  # the same source parsed at step 2; only a changed parser
        return start_again(request, model_admin, [str(exc)])
    pictures = PicturesForm(figure_previews(article), request.POST, request.FILES)
    if not pictures.is_valid():
        return preview(request, model_admin, source, article, pictures,
                       errors=[_("A picture could not be used; see below.")])  # fmt: skip
    pictures.attach()
    importer = ArticleImporter(always_new=True, user=request.user)
    try:
        outcome = importer.run(article, source_name=source.name)
    except (ArticleError, ValidationError, DatabaseError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        errors = [_("Nothing was created: %(reason)s") % {"reason": reason}]
        return preview(request, model_admin, source, article, PicturesForm(pictures.previews),
                       errors=errors)  # fmt: skip
    interview = outcome.interview
    model_admin.log_addition(
        request, interview, _("Imported from %(name)s.") % {"name": source.name}
    )
    messages.success(request, created_message(article, outcome.posts, pictures))
    opts = interview._meta
    return redirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[interview.pk])
    )


def created_message(article: ParsedArticle, posts: list, pictures: PicturesForm) -> str:
    """The success message: what was made, and what the editor still has to check."""
    pairs = len(article.pairs)
    figures = len(article.figures)
    parts = [
        _("Imported “%(title)s” as a draft: %(pairs)s and %(figures)s.")
        % {
            "title": article.title,
            "pairs": ngettext("%d question", "%d questions", pairs) % pairs,
            "figures": ngettext("%d picture", "%d pictures", figures) % figures,
        }
    ]
    guessed = sum(1 for figure in article.figures if figure.alt_from_caption)
    if guessed:
        parts.append(
            ngettext(
                "Check the alt text of %d picture: it was taken from its caption.",
                "Check the alt text of %d pictures: it was taken from their captions.",
                guessed,
            )
            % guessed
        )
    placeholders = [p for p in pictures.previews if p.needs_file and not p.figure.content]
    if placeholders:
        parts.append(
            ngettext(
                "%d picture is a placeholder: replace it with the photo.",
                "%d pictures are placeholders: replace them with the photos.",
                len(placeholders),
            )
            % len(placeholders)
        )
    if posts:
        parts.append(
            ngettext("%d blog post added.", "%d blog posts added.", len(posts)) % len(posts)
        )
    return " ".join(parts)
