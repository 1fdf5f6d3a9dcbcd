"""Renditions made as `make run` makes them: queued on commit, then the real worker."""

import pytest

from cms.media.tasks import queue_renditions
from cms.page_cache.cache import cache, guarded


@pytest.fixture(autouse=True)
def no_parts_kept_from_other_tests():
    """Start with no kept page parts: ids come back after each test's rollback, so a part
    kept for another test's interview 1 would pass for this one's."""
    guarded(lambda: cache().clear())


@pytest.fixture
def make_renditions(run_queued_tasks, django_capture_on_commit_callbacks):
    """Queue the images' renditions as a committed save does, and run the worker once."""

    def make(*images) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for image in images:
                queue_renditions(image)
        run_queued_tasks()

    return make
