"""The roles' permissions on blog's models (issue 15): see cms.publishing.permissions."""

from django.db import migrations

from cms.publishing.permissions import grant_roles, revoke_roles

APP_LABEL = "blog"
PAGES = ["post"]
PARTS = []
VIEWED = []


def grant(apps, schema_editor):
    grant_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


def revoke(apps, schema_editor):
    revoke_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0007_post_authors_are_staff_or_bylines"),
        ("cms", "0010_review_and_comments"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
