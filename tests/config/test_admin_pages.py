"""Every admin page of every registered model opens, for every role.

The models come from ``admin.site._registry`` and the pages from each model admin's own
URLs, so a model or custom admin view added tomorrow is swept tomorrow. The demo content is
loaded once for the module (in a transaction rolled back at the end) so each page has real
rows to show. The roles are the groups the data migrations make (Administrators, Editors,
Reviewers, Contributors), a staff account in no group, and a superuser: each may be refused
(403) where its permissions say so, and answers only 200, 302 or 403; nobody may ever get a
server error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from importlib import import_module

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from django.db.migrations.state import ProjectState
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from cms.admin import GuardedChangeListMixin
from cms.mail.models import OutgoingEmail
from cms.mail.tasks import deliver_email

PASSWORD = "a-long-test-password"

# The roles, by the name of the group the data migrations make for each.
ROLE_GROUPS = {
    "administrator": "Administrators",
    "editor": "Editors",
    "reviewer": "Reviewers",
    "contributor": "Contributors",
}
ROLES = ["superuser", *ROLE_GROUPS, "staff"]  # "staff": a staff account in no group
PAGE_STATUSES = {200, 302, 403}

# Admin views by the suffix of their URL name: what each is opened on (nothing, a row, a
# row's saved version, or both) and whether the model admin lets ``request.user`` open it.
# A named admin URL missing here fails ``test_every_admin_view_is_swept``: say how to open it.
Permission = Callable[[admin.ModelAdmin, HttpRequest, models.Model | None], bool]


def may_view(model_admin: admin.ModelAdmin, request: HttpRequest, obj) -> bool:
    return model_admin.has_view_or_change_permission(request, obj)


def may_change(model_admin: admin.ModelAdmin, request: HttpRequest, obj) -> bool:
    return model_admin.has_change_permission(request, obj)


def may_add(model_admin: admin.ModelAdmin, request: HttpRequest, obj) -> bool:
    return model_admin.has_add_permission(request)


def may_delete(model_admin: admin.ModelAdmin, request: HttpRequest, obj) -> bool:
    return model_admin.has_delete_permission(request, obj)


def may_recover(model_admin: admin.ModelAdmin, request: HttpRequest, obj) -> bool:
    return model_admin.has_change_permission(request) and model_admin.has_add_permission(request)


VIEWS: dict[str, tuple[str, Permission]] = {
    "changelist": ("nothing", may_view),
    "import": ("nothing", may_add),  # an interview from pasted text or a file
    "add": ("nothing", may_add),
    "change": ("row", may_view),
    "history": ("row", may_view),
    "delete": ("row", may_delete),
    "compare": ("row", may_view),
    "share": ("row", may_change),
    "password_change": ("row", may_change),
    "recoverlist": ("nothing", may_recover),
    "recover": ("version", may_add),
    "revision": ("row and version", may_view),
    "decline": ("row", may_change),  # a host request: the reason, then declined
    "rsvps": ("row", may_view),  # a guestlist's RSVPs as CSV
}

# Endpoints a page's script or form calls, not pages: how to fill their extra URL arguments.
# Opened with GET they must still never fail (405 for those taking POST only); what they do
# when POSTed is their own tests' business.
ENDPOINTS: dict[str, tuple[str, list[str]]] = {
    "autosave_add": ("nothing", []),
    "autosave_discard_add": ("nothing", []),
    "autosave": ("row", []),
    "autosave_discard": ("row", []),
    "presence": ("row", []),
    "review": ("row", ["approve"]),
    "undo": ("nothing", ["no-such-token"]),
    "autocomplete": ("nothing", []),  # the image picker's search
    "rendition": ("row", ["thumbnail"]),
}

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODEL_ADMINS = [
    pytest.param(model, model_admin, id=model._meta.label) for model, model_admin in REGISTRY
]

# Query strings no page should answer with a server error.
HOSTILE_LIST_QUERIES = [
    "q=%00",
    "q=" + "x" * 5000,
    "o=abc",
    "o=999",
    "o=-0.-1",
    "p=abc",
    "p=-1",
    "p=99999999999999999999999",
    "all=1&p=2",
    "e=1",
    "_popup=1&_to_field=password",
    "state=nonsense",
    "publish_at__gte=not-a-date",
    "publish_at__year=99999",
    "publish_at__year=2013&publish_at__month=13",
    "publish_at__year=2013&publish_at__month=2&publish_at__day=31",
    "created_at__year=0",
    "starts_at__year=99999999999999999999",
    "id__in=%00",
    "film__id__exact=99999999999999999999999",
]


def hostile_date_queries(model: type[models.Model]) -> list[str]:
    """Years and days out of range on each of the model's dates, as a date drill-down sends them."""
    dates = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    return [
        query
        for name in dates
        for query in [
            f"{name}__year=0",
            f"{name}__year=9999",
            f"{name}__year=99999999999999999999",
            f"{name}__year=9999&{name}__month=12&{name}__day=31",
            f"{name}__year=2013&{name}__month=99999999999999999999",
            f"{name}__gte=0000-00-00",
            f"{name}__lt=10000-01-01",
        ]
    ]


HOSTILE_COMPARE_QUERIES = [
    "",
    "old=abc&new=1",
    "old=1",
    "old=99999999999999999999999&new=99999999999999999999999",
    "old=-1&new=0",
    "old=%00&new=%00",
]
HOSTILE_CALENDAR_QUERIES = [
    "start=9999-12-31",
    "start=9999-12-31&span=month",
    "start=9999-12-01&span=month",
    "start=0001-01-01",
    "start=0001-01-01&span=month",
    "start=0001-01-08",
    "start=2013-02-30",
    "start=garbage",
    "start=",
    "start=%00",
    "start=2013-02-25%00",
    "start=99999999999999999999",
    "start=+99999-01-01",
    "span=%00",
    "span=year",
    "start=2013-02-25&span=month",
]
HOSTILE_TIME_ZONES = ["America", "Europe", "", "../etc/passwd", "/etc/passwd", "UTC%00", "%00"]


def makes_groups(migration) -> bool:
    """Whether a migration is one that makes the groups or gives them permissions."""
    source = inspect.getsource(import_module(migration.__module__))
    return "Group" in source or "publishing.permissions" in source


def make_groups_again() -> None:
    """Run again the data migrations that make the groups, on their historical models.

    A transactional test (the browser's) empties every table after it, rows made by data
    migrations included; the groups then exist only as the migrations' code. Running that
    code is what ``migrate`` did, so a group the migrations do not make stays missing.
    """
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    state = ProjectState(real_apps=executor.loader.unmigrated_apps)
    for migration, _backwards in plan:
        runs = makes_groups(migration)
        for operation in migration.operations:
            if runs and isinstance(operation, RunPython):
                operation.code(state.apps, None)
            operation.state_forwards(migration.app_label, state)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Demo content, a user of each role and the login records they leave, for the module.

    Everything is made in one transaction that is rolled back after the module's last test,
    so other modules never see it; each test runs in a savepoint inside it. A role whose
    group the migrations do not make has no user: its tests fail saying so.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        if not Group.objects.filter(name=ROLE_GROUPS["editor"]).exists():
            make_groups_again()
        call_command("load_demo", verbosity=0)
        users = {
            "superuser": get_user_model().objects.create_superuser(
                "sweep-admin", "admin@example.org", PASSWORD
            ),
            "staff": get_user_model().objects.create_user(
                "sweep-staff", password=PASSWORD, is_staff=True
            ),
        }
        for role, name in ROLE_GROUPS.items():
            if group := Group.objects.filter(name=name).first():
                users[role] = get_user_model().objects.create_user(
                    f"sweep-{role}", password=PASSWORD, is_staff=True
                )
                users[role].groups.add(group)
        # A good and a failed sign-in, so the login-audit models have rows to show.
        login = reverse("admin:login")
        editor = users.get("editor", users["staff"])
        Client().post(login, {"username": editor.username, "password": PASSWORD})
        with override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True):
            Client().post(login, {"username": editor.username, "password": "wrong"})
        outbox_rows()
        yield users
        transaction.set_rollback(True)


def user_of(site: dict, role: str):
    """The role's user; a test fails (never skips) while the migrations lack its group."""
    if role not in site:
        pytest.fail(
            f"There is no {ROLE_GROUPS[role]!r} group in the migrated database: the roles' "
            "data migrations (issue 15) must create it."
        )
    return site[role]


def outbox_rows() -> None:
    """A message that failed (its page offers "Send again") and one waiting to be sent,
    each with its delivery queued as the site queues it (a row for the task list)."""
    for subject in ["Could not be sent", "Waiting"]:
        email = OutgoingEmail.objects.create(
            to="host@example.org", subject=subject, text_body="Hi", html_body="<p>Hi</p>"
        )
        deliver_email.enqueue(email.pk, 1)
    OutgoingEmail.objects.filter(subject="Could not be sent").update(
        status=OutgoingEmail.Status.FAILED, attempts=6, last_error="ConnectionRefusedError"
    )


def first_object(model: type[models.Model]) -> models.Model | None:
    return model._default_manager.order_by("pk").first()


def view_name(model: type[models.Model], url_name: str) -> str:
    return url_name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")


def url_arguments(model: type[models.Model], model_admin: admin.ModelAdmin) -> dict:
    """What each kind of view is opened on, for the model's first row (None: nothing to open)."""
    obj = first_object(model)
    version = None
    if obj is not None and isinstance(model_admin, VersionAdmin):
        version = Version.objects.get_for_object(obj).first()
    return {"nothing": [], "row": obj and [obj.pk], "version": version and [version.pk],
            "row and version": version and [obj.pk, version.pk]}  # fmt: skip


def pages(model: type[models.Model], model_admin: admin.ModelAdmin, user) -> list[tuple[str, bool]]:
    """Each page of this model admin as (URL, whether ``user`` may open it), on the first row."""
    request = RequestFactory().get("/")
    request.user = user
    obj = first_object(model)
    args_for = url_arguments(model, model_admin)
    found = []
    for pattern in model_admin.urls:
        name = pattern.name and view_name(model, pattern.name)
        if name is None or name in ENDPOINTS:  # None: the bare "<id>/", a redirect
            continue
        needs, permitted = VIEWS[name]
        args = args_for[needs]
        if args is None:  # no row, or no saved version, to open it on
            continue
        allowed = permitted(model_admin, request, obj)
        found.append((reverse(f"admin:{pattern.name}", args=args), allowed))
    return found


def endpoints(model: type[models.Model], model_admin: admin.ModelAdmin) -> list[str]:
    """The URLs of the model admin's endpoints (autosave, heartbeat, review steps...)."""
    args_for = url_arguments(model, model_admin)
    found = []
    for pattern in model_admin.urls:
        if pattern.name is None or view_name(model, pattern.name) not in ENDPOINTS:
            continue
        needs, extra = ENDPOINTS[view_name(model, pattern.name)]
        if args_for[needs] is not None:
            found.append(reverse(f"admin:{pattern.name}", args=[*args_for[needs], *extra]))
    return found


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_admin_view_is_swept():
    unknown = [
        pattern.name
        for model, model_admin in REGISTRY
        for pattern in model_admin.urls
        if pattern.name is not None and view_name(model, pattern.name) not in VIEWS | ENDPOINTS
    ]
    assert unknown == [], "say in VIEWS or ENDPOINTS how to open these admin views"


@pytest.mark.django_db
def test_every_registered_model_has_a_row_to_open(site):
    """Otherwise its change, history and delete pages would go untested."""
    empty = [model._meta.label for model, _ in REGISTRY if first_object(model) is None]
    assert empty == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_site_wide_admin_pages_open(site, role):
    """The dashboard, the calendar and the password change open for every role; an app's
    page is a 404 (Django's answer) for a role holding no permission in that app."""
    client = logged_in(user_of(site, role))
    statuses = {
        url: client.get(url).status_code
        for url in [
            reverse("admin:index"),
            reverse("publishing-calendar"),
            reverse("admin:password_change"),
            reverse("admin:password_change_done"),
        ]
    }
    assert set(statuses.values()) == {200}, statuses
    labels = sorted({model._meta.app_label for model, _ in REGISTRY})
    apps = {
        label: client.get(reverse("admin:app_list", args=[label])).status_code for label in labels
    }
    assert set(apps.values()) <= {200, 404}, apps
    if role == "superuser":
        assert set(apps.values()) == {200}, apps


@pytest.mark.django_db
def test_signed_out_the_admin_asks_to_sign_in(client):
    assert client.get(reverse("admin:login")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("publishing-calendar")).status_code == 302


def singleton_lists() -> set[str]:
    """The lists of one-row models (``singleton`` admins: the site settings)."""
    return {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in REGISTRY
        if getattr(model_admin, "singleton", False)
    }


def expected_status(url: str, allowed: bool) -> int:
    """200 where the model admin allows the page, else Django's 403.

    Compare with no versions chosen sends the editor back to the history to choose two; a
    one-row model's list sends the editor to the row.
    """
    if not allowed:
        return 403
    return 302 if url.endswith("/compare/") or url in singleton_lists() else 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_page_opens(site, role, model, model_admin):
    """Never a server error: every page the model admin allows opens, every other is a 403."""
    user = user_of(site, role)
    client = logged_in(user)
    failures = {}
    for url, allowed in pages(model, model_admin, user):
        status = client.get(url).status_code
        if status not in PAGE_STATUSES or status != expected_status(url, allowed):
            failures[url] = f"{status}, expected {expected_status(url, allowed)}"
    assert failures == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_endpoint_fails_when_opened(site, role):
    client = logged_in(user_of(site, role))
    failures = {}
    for model, model_admin in REGISTRY:
        for url in endpoints(model, model_admin):
            if (status := client.get(url).status_code) >= 500:
                failures[url] = status
    assert failures == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_bulk_action_answers_without_a_server_error(site, role, model, model_admin):
    """Each action the role is offered, chosen on the first row from the list: a
    confirmation page, a message or a refusal, never a 500 (changes are rolled back)."""
    user = user_of(site, role)
    obj = first_object(model)
    request = RequestFactory().get("/")
    request.user = user
    if obj is None or not model_admin.has_view_or_change_permission(request):
        return
    client = logged_in(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    failures = {}
    for action in model_admin.get_actions(request):
        with transaction.atomic():
            response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk]})
            if response.status_code not in PAGE_STATUSES:
                failures[action] = response.status_code
            transaction.set_rollback(True)
    assert failures == {}


@pytest.mark.django_db
def test_a_superuser_is_refused_only_what_a_model_admin_refuses_everyone(site):
    """A superuser has every permission; only an admin that allows nobody (a log) says no."""
    request = RequestFactory().get("/")
    request.user = user_of(site, "superuser")
    refused = sorted(
        view_name(model, pattern.name) + f" {model._meta.label}"
        for model, model_admin in REGISTRY
        for pattern in model_admin.urls
        if pattern.name is not None
        and view_name(model, pattern.name) in VIEWS
        and not VIEWS[view_name(model, pattern.name)][1](model_admin, request, first_object(model))
    )
    assert refused == [
        "add axes.AccessAttempt",
        "add axes.AccessFailureLog",
        "add axes.AccessLog",
        "add cms.OutgoingEmail",  # messages come from the site's forms
        "add cms.SiteSettings",  # one row, made when first opened; never removed
        "add django_tasks_database.DBTaskResult",  # tasks come from the site
        "delete cms.SiteSettings",
        "delete django_tasks_database.DBTaskResult",
    ]


def list_failures(client: Client, model: type[models.Model], queries: list[str]) -> dict:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return {
        query: status
        for query in queries
        if (status := client.get(f"{url}?{query}").status_code) >= 500
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "superuser"])
@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_hostile_list_queries_never_fail(site, role, model, model_admin):
    assert list_failures(logged_in(user_of(site, role)), model, HOSTILE_LIST_QUERIES) == {}


# Every admin, auth's and axes' included, lists with the guarded change list
# (cms.admin.guard_every_change_list).
DATE_LISTS = [
    pytest.param(role, model, model_admin, id=f"{model._meta.label}-{role}")
    for model, model_admin in REGISTRY
    if hostile_date_queries(model)
    for role in ["editor", "superuser"]
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "model", "model_admin"), DATE_LISTS)
def test_dates_out_of_range_in_a_list_never_fail(site, role, model, model_admin):
    assert list_failures(logged_in(user_of(site, role)), model, hostile_date_queries(model)) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_hostile_compare_and_share_requests_never_fail(site, role):
    client = logged_in(user_of(site, role))
    failures = {}
    for model, model_admin in REGISTRY:
        obj = first_object(model)
        if not isinstance(model_admin, VersionAdmin) or obj is None:
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        compare = reverse(f"{info}_compare", args=[obj.pk])
        for query in HOSTILE_COMPARE_QUERIES:
            if (status := client.get(f"{compare}?{query}").status_code) >= 500:
                failures[f"{compare}?{query}"] = status
        share = reverse(f"{info}_share", args=[obj.pk])
        for data in [
            {"action": "revoke", "link": "99999999999999999999999"},
            {"action": "revoke", "link": "\x00"},
            {"action": "create", "days": "99999999999999999999999"},
            {"action": "create", "days": "\x00", "note": "\x00"},
            {"action": "nonsense"},
        ]:
            if (status := client.post(share, data).status_code) >= 500:
                failures[f"POST {share} {data}"] = status
    for url in ["99999999999999999999999/change/", "%00/change/", "..%2F/history/", "x/delete/"]:
        path = reverse("admin:blog_post_changelist") + url
        if (status := client.get(path).status_code) >= 500:
            failures[path] = status
    assert failures == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_hostile_calendar_queries_never_fail(site, role):
    client = logged_in(user_of(site, role))
    url = reverse("publishing-calendar")
    failures = {
        query: status
        for query in HOSTILE_CALENDAR_QUERIES
        if (status := client.get(f"{url}?{query}").status_code) != 200
    }
    assert failures == {}


@pytest.mark.django_db
@pytest.mark.parametrize("zone", HOSTILE_TIME_ZONES)
def test_a_hostile_editor_time_zone_cookie_never_fails(site, zone):
    client = logged_in(user_of(site, "editor"))
    client.cookies["editor_tz"] = zone
    for url in [reverse("admin:index"), reverse("publishing-calendar"),
                reverse("admin:blog_post_changelist")]:  # fmt: skip
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_taggit_merge_which_misses_our_tag_links_is_not_offered(site):
    client = logged_in(user_of(site, "superuser"))
    merge = client.get("/admin/taggit/tag/merge-tags/", follow=True)
    assert merge.status_code == 200 and "new_tag_name" not in merge.content.decode()
    page = client.get("/admin/taggit/tag/").content.decode()
    assert "render_tag_form" not in page and "Merge selected tags" not in page


def test_every_admin_lists_with_the_guarded_change_list():
    assert all(isinstance(model_admin, GuardedChangeListMixin) for _, model_admin in REGISTRY)
