"""Pytest fixtures for the browser tests: Playwright driving the system's Chromium.

The browser comes from the operating system (Debian's `chromium`, or LINLI_CHROMIUM);
`playwright install` is never needed or run. Tests using these fixtures are marked
`@pytest.mark.browser` and use pytest-django's `live_server` with `transactional_db`.
linli/conftest.py imports the fixtures so every app can use them.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


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
