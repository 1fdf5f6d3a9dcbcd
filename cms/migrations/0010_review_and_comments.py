"""Review before publishing (issue 15): reviews and comments, and the roles as groups.

Contributors, Reviewers and Administrators are created here with their permissions on the
kit's models (and, for Administrators, on users and groups); each content app's own
migration adds their permissions on its models (``grant_roles``).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from cms.publishing.permissions import (
    ADMINISTRATORS_GROUP,
    CONTRIBUTORS_GROUP,
    REVIEWERS_GROUP,
    grant_permissions,
)

NEW_GROUPS = [CONTRIBUTORS_GROUP, REVIEWERS_GROUP, ADMINISTRATORS_GROUP]
KIT = {
    CONTRIBUTORS_GROUP: ["add_image", "view_image"],
    REVIEWERS_GROUP: ["view_image"],
}


def create_roles(apps, schema_editor):
    for group_name in NEW_GROUPS:
        apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    for group_name, codenames in KIT.items():
        grant_permissions(apps, group_name, "cms", codenames)
    permission = apps.get_model("auth", "Permission")
    # Managing users: accounts, groups, lockouts (axes); the kit and its tags.
    for app_label in ("cms", "auth", "axes", "taggit"):
        grant_permissions(apps, ADMINISTRATORS_GROUP, app_label, [])  # creates them first
        codenames = permission.objects.filter(content_type__app_label=app_label)
        grant_permissions(apps, ADMINISTRATORS_GROUP, app_label,
                          list(codenames.values_list("codename", flat=True)))  # fmt: skip


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0009_editors_outgoing_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('state', models.CharField(choices=[('pending', 'Waiting for review'), ('approved', 'Approved'), ('changes', 'Changes asked for')], default='pending', max_length=8, verbose_name='state')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
            ],
            options={
                'verbose_name': 'review',
                'verbose_name_plural': 'reviews',
                'ordering': ['-submitted_at', '-pk'],
                'indexes': [models.Index(fields=['content_type', 'object_id', '-submitted_at'], name='cms_review_page_newest'), models.Index(fields=['state', 'submitted_at'], name='cms_review_queue')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('content_type', 'object_id'), name='cms_review_one_pending_per_page')],
            },
        ),
        migrations.CreateModel(
            name='ReviewComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('body', models.TextField(max_length=4000, verbose_name='comment')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='cms.reviewcomment', verbose_name='reply to')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
            ],
            options={
                'verbose_name': 'review comment',
                'verbose_name_plural': 'review comments',
                'ordering': ['created_at', 'pk'],
                'indexes': [models.Index(fields=['content_type', 'object_id', 'created_at'], name='cms_reviewcomment_page')],
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
