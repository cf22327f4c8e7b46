"""The registry in real Chromium at phone width: every page fits 375 px, and a reveal shows
the clear value in place for a short time, then the mask again, all without a reload."""

import pytest

from linli.accounts.tests.factories import PASSWORD
from linli.browser import SCREENSHOTS
from linli.people import views_reveal
from linli.people.models import AccessLog
from linli.people.tests.conftest import ROSA_ID
from linli.people.tests.factories import cared_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE_WIDTH = 375


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert not page.url.split("?")[0].endswith("/login/"), page.url


def _fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{what} scrolls sideways ({width} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"people-{what}-375.png", full_page=True)


def test_pages_fit_a_phone_and_a_reveal_fades_back(people, phone_page, monkeypatch):
    monkeypatch.setattr(views_reveal, "SHOWN_SECONDS", 2)
    cared_for(people.alice, people.rosa, people.gina, "lonely_elderly", "subsistence")
    page = phone_page
    _log_in(page, "gina")
    for name, url in [("registry", "/people/"), ("care", "/people/care/"),
                      ("completion", "/people/care/completion/"),
                      ("new", "/people/residents/new/"),
                      ("visit", f"/people/residents/{people.rosa.pk}/visits/new/"),
                      ("resident", f"/people/residents/{people.rosa.pk}/")]:
        page.goto(url)
        _fits(page, name)
    field = page.locator("#f-id_number")
    assert ROSA_ID not in field.inner_text()
    field.locator("summary").click()
    field.locator("input[name=purpose]").fill("核实低保申请材料")
    field.locator("button[type=submit]").click()
    page.locator("#f-id_number.revealed").wait_for()
    assert ROSA_ID in page.locator("#f-id_number").inner_text()
    _fits(page, "revealed")
    page.locator("#f-id_number:not(.revealed)").wait_for(timeout=8_000)
    assert ROSA_ID not in page.content()
    assert list(AccessLog.objects.values_list("field", "outcome")) == [("id_number", "revealed")]
    # A refused reveal (purpose too short) shows the reason in place.
    field = page.locator("#f-phone")
    field.locator("summary").click()
    field.locator("input[name=purpose]").evaluate("e => e.removeAttribute('minlength')")
    field.locator("input[name=purpose]").fill("看")
    field.locator("button[type=submit]").click()
    page.locator("#f-phone .error").wait_for()
    assert AccessLog.objects.filter(outcome="refused").count() == 1
