"""The 公示 at phone width (375 px) in real Chromium: after the close a resident checks
their receipt and raises an objection; the dispatcher dismisses it; when the period ends
the sweep lets the result stand. Every page fits the phone and nothing is fetched from
elsewhere."""

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.deliberation import services
from linli.deliberation.models import Objection, ObjectionState, VoteState
from linli.deliberation.services.sweep import votes_sweep
from linli.deliberation.tests.test_results_services import voting

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _no_error(page) -> None:
    errors = page.locator("#result-error")
    assert errors.count() == 0, errors.inner_text()


def test_receipt_objection_dismissed_and_the_result_stands(new_page, live_server, world):
    v, users, ballots = voting(world, prefix="b")
    v = services.vote_close(v, now=timezone.now())
    result_url = f"/deliberation/votes/{v.pk}/result/"

    resident = new_page(phone=True)
    elsewhere = offsite_requests(resident, live_server.url)
    log_in(resident, users[3].username, PASSWORD)
    resident.goto(result_url)
    fits_phone(resident, "the result page")
    assert resident.locator("#result-outcome").get_attribute("data-passed") == "true"
    resident.fill("#receipt-code", ballots[3].receipt.lower())
    submit(resident, "#receipt-check")
    assert resident.locator("#receipt-answer").get_attribute("data-status") == "counted"
    assert "反对" in resident.locator("#receipt-choices").inner_text()
    fits_phone(resident, "the receipt check")
    _shot(resident, "vote-receipt")
    resident.goto(result_url)
    resident.fill("#objection-text", "我户的选票是否按面积计算？请复核。")
    submit(resident, "#objection-submit")
    _no_error(resident)
    objection = Objection.objects.get(vote=v)
    assert resident.locator(f"#objection-{objection.pk}").count() == 1
    fits_phone(resident, "the result page with an objection")
    _shot(resident, "vote-objection")

    desk = new_page(phone=True)
    elsewhere += offsite_requests(desk, live_server.url)
    enrol_otp(world.alice)
    log_in(desk, "alice", PASSWORD)
    desk.goto(result_url)
    desk.fill(f"#answer-{objection.pk} textarea[name=answer]", "已复核：本表决一户一票，计票无误。")
    desk.check(f"#answer-{objection.pk} input[value=dismiss]")
    fits_phone(desk, "the answer form")
    submit(desk, f"#answer-submit-{objection.pk}")
    _no_error(desk)
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED
    assert desk.locator(f"#objection-{objection.pk}").get_attribute("data-state") == "dismissed"

    v.refresh_from_db()
    assert votes_sweep(now=v.publicity_ends_at) == 1
    resident.goto(result_url)
    assert resident.locator("#vote-state").get_attribute("data-state") == VoteState.STANDS
    assert resident.locator("#stood-at").count() == 1
    fits_phone(resident, "the result that stands")
    _shot(resident, "vote-stands")
    assert elsewhere == []
