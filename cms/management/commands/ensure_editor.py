"""Create (or refresh) the demo editor account: staff, in the Editors group, not a superuser."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from cms.publishing.permissions import EDITORS_GROUP


class Command(BaseCommand):
    help = (
        "Make sure an editor account exists and print its username and password. "
        "The password is new on every run, since stored passwords cannot be read back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="editor")

    @transaction.atomic
    def handle(self, *args, username: str, **options) -> None:
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                "The Editors group is missing: run `manage.py migrate` first."
            ) from exc
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if user.is_superuser:
            raise CommandError(f"{username!r} is a superuser; choose another --username.")
        password = secrets.token_urlsafe(12)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} the editor account (staff, not superuser)."))
        self.stdout.write(f"  username: {username}\n  password: {password}")
