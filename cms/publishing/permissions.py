"""The ``Editors`` group: who may change content. Used by each app's data migration."""

EDITORS_GROUP = "Editors"
EDITOR_ACTIONS = ("add", "change", "delete", "view")


def grant_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    """Give the Editors group every content permission on ``model_names`` of ``app_label``.

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

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{name}" for name in model_names for action in EDITOR_ACTIONS]
    permissions = permission_model.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    group.permissions.add(*permissions)


def revoke_editor_permissions(apps, app_label: str, model_names: list[str]) -> None:
    group_model = apps.get_model("auth", "Group")
    group = group_model.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    codenames = [f"{action}_{name}" for name in model_names for action in EDITOR_ACTIONS]
    group.permissions.remove(
        *group.permissions.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def grant_permissions(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give ``group_name`` (created if missing) these permissions of ``app_label``.

    Creates the app's permissions first, as ``grant_editor_permissions`` does.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
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
