"""The roles' permissions on films's models (issue 15): see cms.publishing.permissions."""

from django.db import migrations

from cms.publishing.permissions import grant_roles, revoke_roles

APP_LABEL = "films"
PAGES = ["film"]
PARTS = ["credit"]
VIEWED = ["person", "screening", "availabilitywindow", "video"]


def grant(apps, schema_editor):
    grant_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


def revoke(apps, schema_editor):
    revoke_roles(apps, APP_LABEL, PAGES, PARTS, VIEWED)


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0007_publish_and_approve_permissions"),
        ("cms", "0010_review_and_comments"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
