import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from cms.page_cache.kept import in_process
from tests.factories import EDITOR_PASSWORD, make_editor


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` (row locks under real concurrency) run in the PostgreSQL
    run only; on SQLite they are deselected, so they are never counted as skipped or passed."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """Each test starts with no kept pages, fragments or counters: the database is rolled back
    between tests, so what another test kept could name rows this one never made."""
    for cache in caches.all():
        cache.clear()
    in_process.clear()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def logged_in_editor(client, editor):
    """The editor, signed in through the admin's sign-in form rather than forced in."""
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": EDITOR_PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "the editor can log in with a password"
    return client


@pytest.fixture
def demo(db):
    """The demo content, loaded the way `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def run_queued_tasks(db, monkeypatch):
    """Run what is queued now (e-mail, ...) with the real worker, as `make run` would.

    ``db_worker --batch`` works through every task due and exits; a task deferred to later
    (a retry) stays queued. Between tasks the worker drops database connections it thinks
    are stale, and inside a test's wrapping transaction (autocommit off) every connection
    looks stale to it: on PostgreSQL it would close the test's own. A real worker runs
    outside any transaction, so here that housekeeping step is left out, nothing else.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from cms.media.tasks import RENDITION_PRIORITY

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(max_tasks: int | None = None, *, renditions: bool = True) -> None:
        """``renditions=False`` stops before the renditions, which wait behind every other
        task (``RENDITION_PRIORITY``): for a test that never looks at a picture."""
        if not renditions:
            ahead = DBTaskResult.objects.ready().filter(priority__gt=RENDITION_PRIORITY)
            max_tasks = ahead.count()
            assert max_tasks, "nothing is queued ahead of the renditions"
        call_command("db_worker", batch=True, max_tasks=max_tasks, startup_delay=False,
                     verbosity=0)  # fmt: skip

    return run
