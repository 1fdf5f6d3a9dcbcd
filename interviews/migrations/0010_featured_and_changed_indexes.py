from django.db import migrations, models


class Migration(migrations.Migration):
    """Two reads along an index instead of a sort of every live interview: the home page's
    featured interview (ORDER BY is_featured, publish_at, id LIMIT 1) and the sitemap index's
    "last modified" (ORDER BY updated_at LIMIT 1)."""

    dependencies = [
        ("interviews", "0009_live_newest_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                fields=["status", "is_featured", "publish_at", "id"],
                name="interviews_featured_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["status", "updated_at"], name="interviews_changed_idx"),
        ),
    ]
