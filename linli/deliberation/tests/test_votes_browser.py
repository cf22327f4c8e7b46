"""The votes' main flow at 375 px: a dispatcher sets up and opens a household vote, a
resident votes and sees the receipt, a grid worker records a paper ballot door to door and
is refused for the resident's household."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, submit
from linli.deliberation.electorate import elector_for as _elector_for
from linli.deliberation.models import Participation, Vote, VoteState
from linli.deliberation.tests.factories import dwellings, voter


def elector_for(v, user):
    found = _elector_for(v, user)
    assert found is not None
    return found

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"votes-{name}.png"), full_page=True)


def test_household_vote_online_and_on_paper(new_page, live_server, world):
    homes = dwellings(world.entrance_a, 2)
    hu = voter(world.alice, homes[0], "h0")
    neighbour = voter(world.alice, homes[1], "h1")
    enrol_otp(world.alice)
    enrol_otp(world.gina)

    alice = new_page(phone=True)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/deliberation/votes/new/")
    alice.select_option("#id_area", str(world.estate_a.pk))
    alice.fill("#id_question", "是否同意在1栋加装电梯？")
    alice.select_option("#id_electorate", "households")
    closes = timezone.localtime(timezone.now() + timedelta(days=3))
    alice.fill("#id_closes_at", closes.strftime("%Y-%m-%dT%H:%M"))
    fits_phone(alice, "the new vote form")
    submit(alice, "#vote-save")
    assert alice.locator("#preview-count").is_visible()
    fits_phone(alice, "the draft vote")
    submit(alice, "#submit-open")
    assert alice.locator("#vote-state").get_attribute("data-state") == "open"
    v = Vote.objects.get()
    assert v.state == VoteState.OPEN and v.electorate_count == 2

    resident = new_page(phone=True)
    log_in(resident, "h0", PASSWORD)
    resident.goto(f"/deliberation/votes/{v.pk}/")
    assert resident.locator("#mine-in").is_visible()
    fits_phone(resident, "the voting page")
    resident.locator("label.ballot-option", has_text="同意").click()
    submit(resident, "#ballot-submit")
    code = resident.locator("#receipt-code").inner_text()
    assert len(code) == 10
    fits_phone(resident, "the receipt")
    _shot(resident, "receipt")

    gina = new_page(phone=True)
    log_in(gina, "gina", PASSWORD)
    gina.goto(f"/deliberation/votes/{v.pk}/paper/")
    fits_phone(gina, "the paper ballots page")
    other = elector_for(v, neighbour)
    gina.check(f"input[name=elector][value='{other.pk}']")
    gina.locator("label.ballot-option", has_text="反对").click()
    gina.check("input[name=channel][value=door]")
    submit(gina, "#paper-submit")
    assert len(gina.locator("#receipt-code").inner_text()) == 10
    mine = elector_for(v, hu)
    gina.check(f"input[name=elector][value='{mine.pk}']")
    gina.locator("label.ballot-option", has_text="同意").click()
    submit(gina, "#paper-submit")
    assert gina.locator("#paper-error").get_attribute("data-code") == "already_voted"
    fits_phone(gina, "the refused paper ballot")
    _shot(gina, "paper-refused")
    assert Participation.objects.filter(vote=v).count() == 2
