"""Pytest fixtures for the browser tests: Playwright driving the system's Chromium.

The browser comes from the operating system (Debian's `chromium`, or LINLI_CHROMIUM);
`playwright install` is never needed or run. Tests using these fixtures are marked
`@pytest.mark.browser` and use pytest-django's `live_server` with `transactional_db`.
linli/conftest.py imports the fixtures so every app can use them.
"""

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


class TakingTurnsServer(ThreadedWSGIServer):
    """The live server, serving one request at a time when its threads share a connection.

    On in-memory SQLite every thread of the live server uses the test's one connection. A
    page that asks for two things at once (a held photo's thumbnail and the favicon) then
    had two requests saving their sessions on it together, and SQLite refused the second
    BEGIN ("cannot start a transaction within a transaction"): a browser test failed about
    once a CI run. On PostgreSQL each thread has its own connection and nothing waits.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        turn = threading.Lock()

        def one_at_a_time(environ, start_response):
            with turn:  # the body is read and the response closed inside the turn too
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(one_at_a_time)


def take_turns_on_shared_connections() -> None:
    """Make pytest-django's live server a `TakingTurnsServer` (called by linli/conftest.py)."""
    from django.test.testcases import LiveServerThread

    LiveServerThread.server_class = TakingTurnsServer


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (f"no Chromium at {CHROMIUM}: apt-get install chromium, or set LINLI_CHROMIUM "
               "(never `playwright install`)")
    if os.environ.get("LINLI_TEST_REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then
    # refuse the test's own ORM calls as "async-unsafe" although they are plain sync code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Any]]:
    """Make a page in a fresh context (own cookies, so one person each) on the live server:
    `new_page()` is desktop-sized, `new_page(phone=True)` 375 x 812."""
    contexts = []

    def make(*, phone: bool = False) -> Any:
        context = browser.new_context(viewport=PHONE if phone else DESKTOP,
                                      base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Any:
    return new_page()


@pytest.fixture
def phone_page(new_page) -> Any:
    return new_page(phone=True)


# --- steps every browser test takes -----------------------------------------------------
# Shared so each test reads as the walk it checks, not as Playwright plumbing.

def submit(page: Any, selector: str) -> None:
    """Click and wait for the page the form leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def log_in(page: Any, username: str, password: str | None = None) -> None:
    """Password (the demo's unless given), then the authenticator code when the role needs
    a second factor; fails unless the person is in."""
    import pyotp

    from linli.accounts.demo import DEMO_PASSWORD
    from linli.accounts.models import User
    from linli.accounts.otp import otp_secret

    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    submit(page, "main form button[type=submit]")
    if page.url.endswith("/accounts/login/verify/"):
        secret = otp_secret(User.objects.get(username=username))
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        submit(page, "main form button[type=submit]")
    assert not page.url.split("?")[0].endswith(("/login/", "/verify/")), username


def fits_phone(page: Any, what: str) -> None:
    """No sideways scrolling at phone width. Measured once the page has loaded: a check
    right after a click may otherwise land between two documents, when there is none."""
    from playwright.sync_api import Error as PlaywrightError

    width = None
    for _ in range(5):
        page.wait_for_load_state()
        try:
            width = page.evaluate(
                "document.documentElement ? document.documentElement.scrollWidth : null")
        except PlaywrightError:  # the context went away with a navigation: measure again
            continue
        if width is not None:
            break
    assert width is not None, f"{what} never finished loading"
    assert width <= PHONE["width"], f"{what} scrolls sideways ({width} px)"


def offsite_requests(page: Any, base_url: str) -> list[str]:
    """A list that fills with every request the page sends anywhere but `base_url`'s host:
    the pages promise no internet at run time."""
    from urllib.parse import urlsplit

    here = urlsplit(base_url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in (
        "http", "https") and urlsplit(r.url).netloc != here else None)
    return elsewhere
