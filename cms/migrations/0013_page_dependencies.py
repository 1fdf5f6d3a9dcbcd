"""Content versions per key (an object, a model's lists, ``*``) instead of one for the site.

The single row of the old site-wide version is dropped: pages cached under it become misses
once, as after any save.
"""

from django.db import migrations, models


def forget_the_site_wide_version(apps, schema_editor):
    apps.get_model("cms", "ContentVersion").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0012_image_library"),
    ]

    operations = [
        migrations.RunPython(forget_the_site_wide_version, migrations.RunPython.noop),
        migrations.AddField(
            model_name="contentversion",
            name="key",
            field=models.CharField(default="*", max_length=200, unique=True),
            preserve_default=False,
        ),
    ]
