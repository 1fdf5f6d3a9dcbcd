"""The roles' permissions on interviews's models (issue 15): see cms.publishing.permissions."""

from django.db import migrations

from cms.publishing.permissions import grant_roles, revoke_roles

APP_LABEL = "interviews"
PAGES = ["interview"]
PARTS = ["questionanswer", "figure"]
VIEWED = []


def grant(apps, schema_editor):
    grant_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


def revoke(apps, schema_editor):
    revoke_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0007_figure_follows_its_pair"),
        ("cms", "0010_review_and_comments"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
