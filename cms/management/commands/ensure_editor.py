"""Create (or refresh) a demo account for one role: staff, in that role's group, never a
superuser. ``--role contributor`` or ``reviewer`` lets the review flow be tried by hand."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from cms.publishing.permissions import ROLE_GROUPS


class Command(BaseCommand):
    help = (
        "Make sure an account of a role (editor by default) exists and print its username "
        "and password. The password is new on every run, since stored passwords cannot be "
        "read back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", choices=sorted(ROLE_GROUPS), default="editor")
        parser.add_argument("--username", help="Default: the role's name.")

    @transaction.atomic
    def handle(self, *args, role: str, username: str | None, **options) -> None:
        username = username or role
        group_name = ROLE_GROUPS[role]
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f"The {group_name} group is missing: run `manage.py migrate` first."
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
        # One role per account, so it may do what the role may do; other groups are kept.
        user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} the {role} account (staff, not superuser)."))
        self.stdout.write(f"  username: {username}\n  password: {password}")
