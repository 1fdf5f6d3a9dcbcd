"""Create the Editors group with the image library's and the tags' permissions.

Each content app adds its own models' permissions in its own migration.
"""

from django.db import migrations

from cms.publishing.permissions import grant_editor_permissions, revoke_editor_permissions

APP_LABEL = "cms"
MODELS = ["image"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, APP_LABEL, MODELS)
    grant_editor_permissions(apps, "taggit", ["tag"])


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, APP_LABEL, MODELS)
    revoke_editor_permissions(apps, "taggit", ["tag"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
