"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Never a browser download: the tests use /usr/bin/chromium (``apt-get install chromium``) and
skip, saying so, where it is missing. Screenshots go to test-artifacts/ (not in git).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD, desk_user

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the test
# (fixtures, assertions on the database) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SKIP_REASON = "Debian's chromium is not installed: apt-get install chromium"


@pytest.fixture(scope="session", autouse=True)
def _chromium_is_installed():
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)


@pytest.fixture(scope="session")
def _serialized_contents(django_db_setup):
    """What the migrations made (the role groups), as serialized when the test database was
    created, taken before Playwright starts."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _hand_over(serialized_contents):
    from django.db import connections

    for alias, contents in serialized_contents.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _keep_serialized_rollback(_serialized_contents):
    """Playwright's sync API runs its event loop in greenlets, and Django keeps its connections
    per context: after Playwright starts, the test sees a fresh connection object without the
    serialized contents that serialized_rollback restores, so the groups the migrations made
    would be gone after the first test. Hand them to whichever connection the test now sees."""
    _hand_over(_serialized_contents)


@pytest.fixture(scope="session")
def browser(_serialized_contents):  # taken before Playwright starts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The first browser test's database is set up after this (a session fixture comes
        # first), on the connection Playwright's start made: it needs the serialized contents
        # already, when a transactional test before it (one that ran the task worker) left the
        # database empty.
        _hand_over(_serialized_contents)
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Console:
    """What a page said: console messages, uncaught errors, and every address it requested."""

    def __init__(self):
        self.messages: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []

    def attach(self, page):
        page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", self._response)
        return page

    def _response(self, response):
        # Pages themselves (404 for a draft) are checked by the tests; the admin's sign-in page
        # has no icon, so Chromium asks for /favicon.ico there.
        kind = response.request.resource_type
        if (
            response.status >= 400
            and kind != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self.failed.append(f"{response.status} {response.url}")

    @property
    def errors(self) -> list[str]:
        return [
            m
            for m in self.messages
            if m.startswith(("error", "pageerror")) and "Failed to load resource" not in m
        ]

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m]


@pytest.fixture
def console():
    return Console()


@pytest.fixture
def new_page(browser, console):
    """``new_page(width=1280)``: a page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return console.attach(context.new_page())

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    """``shot(page, name)``: a full-page screenshot in test-artifacts/, kept after the run."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def fits():
    """``fits(page, width)``: asserts the page scrolls no wider than ``width`` (no sideways
    scrolling at that viewport)."""

    def check(page, width: int):
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"

    return check


@pytest.fixture
def seed(transactional_db, load_seed_copy):
    load_seed_copy()


@pytest.fixture
def desk_member(transactional_db):
    """``desk_member(username, group, **fields)``: a staff user in one of the role groups the
    migrations made ("Fact-checkers", "Editors"), signing in with UserFactory's password."""

    def make(username: str, group: str, **fields):
        return desk_user(username, group, **fields)

    return make


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, username)``: through the admin's sign-in form, waiting for the admin's
    index, so the page's context holds the session cookie afterwards."""

    def go(page, username: str, password: str = PASSWORD):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")

    return go
