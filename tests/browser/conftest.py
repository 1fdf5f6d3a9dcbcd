"""Playwright driving Debian's chromium (/usr/bin/chromium), never a downloaded browser."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class RequestsInFlight:
    """How many requests the live servers are answering now, to wait for them to finish.

    Pages send requests of their own (an autosave, a heartbeat, the goodbye a closing form
    sends with ``sendBeacon``); one landing while the tables are emptied, or in the next
    test, breaks that test's database. The in-memory SQLite database is one connection
    shared by the live server's threads and the test.
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def wrap(self, process_request_thread):
        def counted(server, request, client_address):
            with self.lock:
                self.count += 1
            try:
                return process_request_thread(server, request, client_address)
            finally:
                with self.lock:
                    self.count -= 1

        return counted

    def wait_until_idle(self, quiet: float = 0.15, limit: float = 10.0) -> None:
        """Until no request has been in flight for ``quiet`` seconds (at most ``limit``)."""
        deadline = time.monotonic() + limit
        idle_since = None
        while time.monotonic() < deadline:
            if self.count:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= quiet:
                return
            time.sleep(0.02)


IN_FLIGHT = RequestsInFlight()


class OneRequestAtATime:
    """Lets one request at a time use the live server's shared in-memory SQLite connection.

    A page can send two requests at once (a fast-forwarded clock fires the autosave and the
    presence heartbeat together). On one shared connection, the second request's
    transaction began inside the first's and failed with "cannot start a transaction within
    a transaction". The lock is held from the application's call until the server closes
    the response, so ``request_finished`` runs inside it too; servers with connections of
    their own (PostgreSQL, a file database) are left concurrent.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def wrap(self, application):
        lock = self.lock

        def one_at_a_time(environ, start_response):
            lock.acquire()
            try:
                response = application(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _ReleasedOnClose(response, lock)

        return one_at_a_time


class _ReleasedOnClose:
    """A WSGI response that releases the lock once the server closes it (always, per PEP 3333)."""

    def __init__(self, response, lock: threading.Lock) -> None:
        self.response = response
        self.lock = lock
        self.released = False

    def __iter__(self):
        return iter(self.response)

    def close(self) -> None:
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            if not self.released:
                self.released = True
                self.lock.release()


ONE_AT_A_TIME = OneRequestAtATime()


@pytest.fixture(scope="session", autouse=True)
def count_requests_in_flight():
    from django.core.servers.basehttp import ThreadedWSGIServer

    original_thread = ThreadedWSGIServer.process_request_thread
    original_get_app = ThreadedWSGIServer.get_app

    def get_app(server):
        application = original_get_app(server)
        # Django shares a connection with the server only for an in-memory SQLite database.
        return ONE_AT_A_TIME.wrap(application) if server.connections_override else application

    ThreadedWSGIServer.process_request_thread = IN_FLIGHT.wrap(original_thread)
    ThreadedWSGIServer.get_app = get_app
    yield
    ThreadedWSGIServer.process_request_thread = original_thread
    ThreadedWSGIServer.get_app = original_get_app


@pytest.fixture
def live_db(request, transactional_db):
    """A database the live server's thread sees (committed data, emptied afterwards).

    Before the tables are emptied every page of the test is closed and the requests they
    still send are let finish, so none lands on an emptied database or in the next test.
    """
    yield
    if "browser" in request.fixturenames:
        browser = request.getfixturevalue("browser")
        failed = getattr(getattr(request.node, "rep_call", None), "failed", False)
        for number, context in enumerate(list(browser.contexts)):
            if failed:
                ARTIFACTS.mkdir(exist_ok=True)
                for index, open_page in enumerate(context.pages):
                    open_page.screenshot(
                        path=ARTIFACTS / f"{request.node.name}-{number}-{index}.png",
                        full_page=True,
                    )
            context.close()
    IN_FLIGHT.wait_until_idle()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["phone", "desktop"])
def page(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    failed = getattr(getattr(request.node, "rep_call", None), "failed", False)
    if failed and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    IN_FLIGHT.wait_until_idle()


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["phone", "desktop"])
def axe_page(request, browser):
    """A page of the session's chromium whose context lets axe-core past the site's CSP."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    yield context.new_page()
    context.close()
    IN_FLIGHT.wait_until_idle()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def editor_page(page, live_server, live_db):
    """A browser page logged in as an editor (not a superuser)."""
    from tests.browser.accounts import sign_in
    from tests.factories import make_editor

    sign_in(page, live_server, make_editor())
    return page
