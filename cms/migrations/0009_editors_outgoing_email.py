"""Let the Editors group see the outbox and send failed messages again."""

from django.db import migrations

from cms.publishing.permissions import grant_editor_permissions, revoke_editor_permissions

APP_LABEL = "cms"
MODELS = ["outgoingemail"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, APP_LABEL, MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, APP_LABEL, MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0008_outgoing_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
