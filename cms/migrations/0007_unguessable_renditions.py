"""Renditions move to random folders: forget those stored at guessable addresses.

Renditions are made again on the next view of a page that shows them, under the new
names; the old files are deleted, so no address found by counting image ids answers.
"""

from django.db import migrations, models


def forget_guessable_renditions(apps, schema_editor):
    Rendition = apps.get_model("cms", "Rendition")
    for rendition in Rendition.objects.all().iterator():
        if rendition.file:
            rendition.file.delete(save=False)
    Rendition.objects.all().delete()


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
