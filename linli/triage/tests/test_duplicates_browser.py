"""The dispatcher's likely duplicates at phone width (375 px) in real Chromium: a reported
case with a near-identical open case in the same building shows it first, with its reasons,
and one click merges the case into it. Nothing is fetched from elsewhere."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.cases.models import Case, State
from linli.cases.services import case_report
from linli.cases.tests.factories import category, route
from linli.orgs.tests.factories import make_area

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_dispatcher_merges_a_case_into_its_likely_duplicate(new_page, live_server, world):
    leak = category()
    route(leak, world.community_a, world.unit_a)
    far = make_area("building", "9栋", make_area("estate", "花楼二村", world.grid_a2))
    master = case_report(actor=world.alice, category=leak, area=world.entrance_a,
                         description="1单元厨房水管漏水，楼道地面积水")
    other = case_report(actor=world.alice, category=leak, area=far,
                        description="小区门口消防栓漏水")
    case = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                       description="厨房水管漏水，地面积水")
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    fits_phone(alice, "the case page with likely duplicates")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    alice.locator("#case-actions").screenshot(path=SCREENSHOTS / "triage-duplicates-375.png")
    rows = alice.locator("#duplicate-candidates > li")
    assert rows.count() == 2
    assert rows.first.get_attribute("data-case") == str(master.pk)
    assert rows.nth(1).get_attribute("data-case") == str(other.pk)
    # Four reasons for the best: the building, when, the description, the category.
    assert rows.first.locator(".candidate-reasons").inner_text().count("·") == 3
    submit(alice, f"#candidate-{master.pk} form.merge-into button")
    assert alice.locator("#case-error").count() == 0
    assert alice.locator("#case-state").get_attribute("data-state") == State.MERGED
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.master_id) == (State.MERGED, master.pk)
    assert elsewhere == []
