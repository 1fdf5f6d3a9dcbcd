import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import EDITOR_PASSWORD, make_editor


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
def run_queued_tasks(db):
    """Run what is queued now (e-mail, ...) with the real worker, as `make run` would.

    ``db_worker --batch`` works through every task due and exits; a task deferred to later
    (a retry) stays queued.
    """

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    return run
