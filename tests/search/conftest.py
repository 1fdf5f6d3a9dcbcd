import pytest
from django.core.management import call_command


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the index's on-commit work, as a real transaction's commit would.

    Tests run inside a transaction that never commits; content made inside
    ``with committed():`` is indexed when the block ends.
    """

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def indexed_demo(db, committed):
    with committed():
        call_command("load_demo", verbosity=0)
