# Reserved for issue 15; filled by hand or by makemigrations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0011_autosave_and_presence"),
    ]

    operations = []
