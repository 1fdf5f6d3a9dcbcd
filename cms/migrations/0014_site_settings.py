"""Site settings (one row) and social links for the footer; editors may change them.

Editors and Administrators get change permission on the settings (no add or delete: there
is one row) and every permission on the social links, edited inline.
"""

import cms.site_settings
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from cms.publishing.permissions import (
    ADMINISTRATORS_GROUP,
    EDITORS_GROUP,
    grant_permissions,
    revoke_permissions,
)

CODENAMES = [
    "view_sitesettings",
    "change_sitesettings",
    "view_sociallink",
    "add_sociallink",
    "change_sociallink",
    "delete_sociallink",
]


def grant(apps, schema_editor):
    for group_name in (EDITORS_GROUP, ADMINISTRATORS_GROUP):
        grant_permissions(apps, group_name, "cms", CODENAMES)


def revoke(apps, schema_editor):
    for group_name in (EDITORS_GROUP, ADMINISTRATORS_GROUP):
        revoke_permissions(apps, group_name, "cms", CODENAMES)


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0013_page_dependencies'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='SiteSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisation_name', models.CharField(blank=True, default=cms.site_settings.site_name, help_text="Shown in the footer. Empty: the site's name.", max_length=200, verbose_name='organisation name')),
                ('about_url', models.CharField(blank=True, help_text='A full address (https://…) or a path on this site (/about/). Leave empty to leave the link out.', max_length=500, validators=[cms.site_settings.validate_site_link], verbose_name='about page')),
                ('contact_url', models.CharField(blank=True, help_text='A contact page (https://… or /contact/) or an e-mail link (mailto:name@example.org).', max_length=500, validators=[cms.site_settings.validate_contact_link], verbose_name='contact')),
                ('privacy_url', models.CharField(blank=True, help_text='A full address (https://…) or a path on this site (/about/). Leave empty to leave the link out.', max_length=500, validators=[cms.site_settings.validate_site_link], verbose_name='privacy policy')),
                ('accessibility_url', models.CharField(blank=True, help_text='A full address (https://…) or a path on this site (/about/). Leave empty to leave the link out.', max_length=500, validators=[cms.site_settings.validate_site_link], verbose_name='accessibility statement')),
                ('newsletter_url', models.CharField(blank=True, help_text='A full address (https://…) or a path on this site (/about/). Leave empty to leave the link out.', max_length=500, validators=[cms.site_settings.validate_site_link], verbose_name='newsletter sign-up')),
                ('donate_url', models.CharField(blank=True, help_text='A full address (https://…) or a path on this site (/about/). Leave empty to leave the link out.', max_length=500, validators=[cms.site_settings.validate_site_link], verbose_name='donate')),
                ('donate_label', models.CharField(blank=True, default='Donate', help_text='The words of the donate link, such as “Donate” or “Become a member”.', max_length=60, verbose_name='donate link text')),
            ],
            options={
                'verbose_name': 'site settings',
                'verbose_name_plural': 'site settings',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='cms_sitesettings_single_row')],
            },
        ),
        migrations.CreateModel(
            name='SocialLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('network', models.CharField(choices=[('bluesky', 'Bluesky'), ('mastodon', 'Mastodon'), ('instagram', 'Instagram'), ('youtube', 'YouTube'), ('facebook', 'Facebook'), ('x', 'X'), ('tiktok', 'TikTok'), ('threads', 'Threads'), ('linkedin', 'LinkedIn')], max_length=20, verbose_name='network')),
                ('url', models.URLField(help_text='The full address of the profile, such as https://bsky.app/profile/…', max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='profile address')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('site_settings', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='social_links', to='cms.sitesettings')),
            ],
            options={
                'verbose_name': 'social link',
                'verbose_name_plural': 'social links',
                'ordering': ['sort_order', 'pk'],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
