"""Let the Editors group handle host requests, RSVPs and resources."""

from django.db import migrations

from cms.publishing.permissions import grant_editor_permissions, revoke_editor_permissions

APP_LABEL = "outreach"
MODELS = ["hostrequest", "guestlist", "rsvp", "resource", "subject"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, APP_LABEL, MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, APP_LABEL, MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
