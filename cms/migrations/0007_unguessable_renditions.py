"""Renditions move to random folders: forget those stored at guessable addresses.

Only the rows are deleted here, in the migration's transaction; renditions are made again
under random names on the next view of a page showing them. The old files are deleted by
``manage.py delete_orphan_renditions`` (the deployment steps run it after migrating), which
can be run again safely; until then the app serves none of them, since no row owns them.
"""

from django.db import migrations, models

GUESSABLE = r"^renditions/[0-9]+/"


def forget_guessable_renditions(apps, schema_editor):
    apps.get_model("cms", "Rendition").objects.filter(file__regex=GUESSABLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_content_version"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rendition",
            index=models.Index(fields=["file"], name="cms_rendition_file_idx"),
        ),
        migrations.RunPython(forget_guessable_renditions, migrations.RunPython.noop),
    ]
