"""A needs survey at phone width (375 px) in real Chromium: a resident answers it on her
phone (a scale and a text need), then the dispatcher opens the report and sees the charts
drawn and the need in the table. Every page fits the phone; nothing is fetched from
elsewhere."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.library.models import Need
from linli.surveys.models import Response
from linli.surveys.tests.factories import survey

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_resident_answers_and_the_dispatcher_reads_the_report(new_page, live_server, world):
    from linli.people.tests.factories import resident

    rita = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    of = survey(world)
    questions = list(of.questions.order_by("position"))
    phone = new_page(phone=True)
    elsewhere = offsite_requests(phone, live_server.url)
    log_in(phone, "rita", PASSWORD)
    phone.goto("/surveys/")
    fits_phone(phone, "the resident's surveys")
    phone.click(f"#survey-{of.pk} a")
    fits_phone(phone, "the answer page")
    phone.click(f"#field-{questions[2].pk} .survey-scale label:nth-child(4)")
    phone.fill(f"#q{questions[3].pk}", "楼道灯坏了，老人晚上看不见")
    submit(phone, "#answer-submit")
    assert phone.locator("#answer-error").count() == 0
    assert phone.locator("#already").count() == 1
    fits_phone(phone, "the answered survey")
    response = Response.objects.get(household=rita.household)
    assert response.answers.get(question=questions[2]).number == 4
    need = Need.objects.get()

    enrol_otp(world.alice)
    desk = new_page(phone=True)
    elsewhere += offsite_requests(desk, live_server.url)
    log_in(desk, "alice", PASSWORD)
    desk.goto(f"/surveys/{of.pk}/report/")
    desk.wait_for_selector(f"#chart-{questions[2].pk} svg")
    assert desk.locator(f"#chart-{questions[0].pk} svg").count() == 1
    assert desk.locator(f"#need-{need.pk}").inner_text().startswith("楼道灯坏了")
    assert desk.locator("#rate-responses").inner_text() == "1"
    fits_phone(desk, "the report")
    assert elsewhere == []
