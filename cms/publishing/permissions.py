"""The ``Editors`` group: who may change content. Used by each app's data migration."""

EDITORS_GROUP = "Editors"
EDITOR_ACTIONS = ("add", "change", "delete", "view")


def may_publish(user, model) -> bool:
    """Publish, schedule and unpublish pages of ``model``: its ``publish_<model>``."""
    return user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")


def grant_permissions(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give ``group_name`` (created if missing) these permissions of ``app_label``.

    Permissions are normally created after ``migrate`` finishes; create them now so a fresh
    database gets a complete group in one run.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True  # create_permissions skips apps without models
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = previous
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


def revoke_permissions(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def editor_codenames(model_names: list[str]) -> list[str]:
    return [f"{action}_{name}" for name in model_names for action in EDITOR_ACTIONS]


def grant_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    """Give the Editors group every content permission on ``model_names`` of ``app_label``."""
    grant_permissions(apps, EDITORS_GROUP, app_label, editor_codenames(model_names))


def revoke_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    revoke_permissions(apps, EDITORS_GROUP, app_label, editor_codenames(model_names))


# Roles (issue 15): who writes, who checks, who publishes, who runs the site. Each app's
# migration gives the roles their permissions on its own models with ``grant_roles``.
CONTRIBUTORS_GROUP = "Contributors"
REVIEWERS_GROUP = "Reviewers"
ADMINISTRATORS_GROUP = "Administrators"
ROLE_GROUPS = {
    "contributor": CONTRIBUTORS_GROUP,
    "editor": EDITORS_GROUP,
    "reviewer": REVIEWERS_GROUP,
    "administrator": ADMINISTRATORS_GROUP,
}
CONTENT_ACTIONS = ("add", "change", "delete", "view")


def role_codenames(pages: list[str], parts: list[str], viewed: list[str]) -> dict[str, list[str]]:
    """Codenames each role gets on one app's models (Editors keep what they have).

    ``pages`` are publishable models: contributors write them (the admin then limits
    changes to drafts and deletion to their own never-published drafts), reviewers read and
    approve them. ``parts`` are edited inside a page's form (pairs, figures, credits): the
    page's rules decide when. ``viewed`` are models both roles may look at, not change
    (people, screenings); models left out (RSVPs, host requests) hold private data.
    """
    written = [*pages, *parts]
    return {
        CONTRIBUTORS_GROUP: [f"{action}_{name}" for name in written for action in CONTENT_ACTIONS]
        + [f"view_{name}" for name in viewed],
        REVIEWERS_GROUP: [f"view_{name}" for name in [*written, *viewed]]
        + [f"approve_{name}" for name in pages],
    }


def grant_roles(
    apps, app_label: str, pages: list[str], parts: list[str] = (), viewed: list[str] = ()
) -> None:
    """Give Contributors and Reviewers their permissions on ``app_label``'s models (see
    ``role_codenames``), and Administrators every permission of the app."""
    for group_name, codenames in role_codenames(list(pages), list(parts), list(viewed)).items():
        grant_permissions(apps, group_name, app_label, codenames)
    everything = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label
    )
    grant_permissions(
        apps, ADMINISTRATORS_GROUP, app_label, list(everything.values_list("codename", flat=True))
    )


def revoke_roles(
    apps, app_label: str, pages: list[str], parts: list[str] = (), viewed: list[str] = ()
) -> None:
    for group_name, codenames in role_codenames(list(pages), list(parts), list(viewed)).items():
        revoke_permissions(apps, group_name, app_label, codenames)
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATORS_GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label=app_label))
