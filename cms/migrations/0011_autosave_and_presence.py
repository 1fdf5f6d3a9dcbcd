# Autosaved admin forms and editors' presence (issue 15, part 3: no lost work).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_review_and_comments"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Autosave",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "object_id",
                    models.PositiveBigIntegerField(
                        blank=True,
                        help_text="Empty for a page not yet added.",
                        null=True,
                        verbose_name="object id",
                    ),
                ),
                ("data", models.JSONField(verbose_name="form data")),
                ("saved_at", models.DateTimeField(verbose_name="saved at")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="editor",
                    ),
                ),
            ],
            options={
                "verbose_name": "autosaved form",
                "verbose_name_plural": "autosaved forms",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "content_type", "object_id"),
                        name="cms_autosave_one_per_page",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("object_id__isnull", True)),
                        fields=("user", "content_type"),
                        name="cms_autosave_one_per_add_form",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Presence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                ("started_at", models.DateTimeField(verbose_name="editing since")),
                ("seen_at", models.DateTimeField(verbose_name="last heartbeat")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="editor",
                    ),
                ),
            ],
            options={
                "verbose_name": "editor presence",
                "verbose_name_plural": "editor presences",
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id", "seen_at"],
                        name="cms_presence_page_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "content_type", "object_id"),
                        name="cms_presence_one_per_page",
                    )
                ],
            },
        ),
    ]
