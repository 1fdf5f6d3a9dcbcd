"""Let the Editors group manage availability windows and videos, as it does screenings."""

from django.db import migrations

from cms.publishing.permissions import grant_editor_permissions, revoke_editor_permissions

APP_LABEL = "films"
MODELS = ["availabilitywindow", "video"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, APP_LABEL, MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, APP_LABEL, MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0004_availability_windows_and_videos"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
