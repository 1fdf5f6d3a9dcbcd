import pytest
from django.core.management import call_command

from tests.factories import make_editor


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def demo(db):
    """The demo content, loaded the way `make run` loads it."""
    call_command("load_demo", verbosity=0)
