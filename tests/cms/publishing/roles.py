"""Accounts of each role, with the groups as the migrations make them.

Transactional tests (the browser's) empty every table afterwards, groups included; the
groups are then made again by the migrations' own code.
"""

from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.publishing.permissions import ROLE_GROUPS
from tests.factories import EDITOR_PASSWORD, editors_group

# The data migrations that give the roles their permissions, in the order they run.
ROLE_MIGRATIONS = (
    ("cms.migrations.0010_review_and_comments", "create_roles"),
    ("films.migrations.0007_publish_and_approve_permissions", "grant"),
    ("interviews.migrations.0006_publish_and_approve_permissions", "grant"),
    ("blog.migrations.0006_publish_and_approve_permissions", "grant"),
    ("outreach.migrations.0003_publish_and_approve_permissions", "grant"),
    ("films.migrations.0008_roles", "grant"),
    ("interviews.migrations.0008_roles", "grant"),
    ("blog.migrations.0008_roles", "grant"),
    ("outreach.migrations.0004_roles", "grant"),
)
ROLES = ("contributor", "editor", "reviewer", "administrator")


def role_group(role: str) -> Group:
    group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
    if group is None or not group.permissions.exists():
        editors_group()
        for module, function in ROLE_MIGRATIONS:
            getattr(import_module(module), function)(django_apps, None)
        group = Group.objects.get(name=ROLE_GROUPS[role])
    return group


def make_user(role: str, username: str | None = None):
    """A staff account in one role's group, never a superuser."""
    username = username or role
    user = get_user_model().objects.create_user(
        username=username, password=EDITOR_PASSWORD, is_staff=True,
        email=f"{username}@staff.example",
    )  # fmt: skip
    user.groups.add(role_group(role))
    return user
