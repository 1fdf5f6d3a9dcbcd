# Reserved for issue 15; filled by hand or by makemigrations.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0009_editors_outgoing_email"),
    ]

    operations = []
