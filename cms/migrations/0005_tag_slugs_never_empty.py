"""Give a readable slug to tags saved with an empty one (names made only of symbols)."""

from django.db import migrations

from cms.tagging import not_a_slug, unique_tag_slug


def fill_empty_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.all():
        if not_a_slug(tag.slug):
            # An UPDATE, not save(): no signal may reach tables later migrations create.
            Tag.objects.filter(pk=tag.pk).update(slug=unique_tag_slug(tag))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_image_licence_and_renditions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop)]
