# The image library (issue 15): the importer's "alt text to review" flag, and focal points
# held to the picture (0 to 1) in forms.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0011_autosave_and_presence"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="alt_text_needs_review",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Set when the alt text was taken from a caption by the importer; "
                    "cleared when an editor saves the image."
                ),
                verbose_name="alt text to review",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="focal_x",
            field=models.FloatField(
                blank=True,
                help_text="0 is the left edge, 1 the right.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0.0),
                    django.core.validators.MaxValueValidator(1.0),
                ],
                verbose_name="focal point x",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="focal_y",
            field=models.FloatField(
                blank=True,
                help_text="0 is the top edge, 1 the bottom.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0.0),
                    django.core.validators.MaxValueValidator(1.0),
                ],
                verbose_name="focal point y",
            ),
        ),
    ]
