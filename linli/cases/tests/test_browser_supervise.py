"""Supervision by hand (督办) in real Chromium at phone width, on the demo: the dispatcher
finds an overdue case in the queue, urges the unit and issues a supervision notice with an
answer time; the property unit finds the notice in its inbox and answers it on the case
page; the dispatcher escalates the case to the street and reads the counts per unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.browser import fits_phone, log_in
from linli.cases.models import Case
from linli.cases.selectors import case_list
from linli.cases.tests.test_browser_case import _shot
from linli.cases.transitions import WITH_UNIT

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _overdue_case_of_the_property_unit() -> Case:
    dispatcher = User.objects.get(username="dispatcher")
    unit = User.objects.get(username="property").assignments.get().unit
    case = (case_list(actor=dispatcher)
            .filter(state__in=WITH_UNIT, unit=unit, handle_due_at__lt=timezone.now(),
                    notice_due_at__isnull=True).order_by("handle_due_at").first())
    assert case is not None
    return case


def _use(page, case: Case, action: str, note: str, **fields: str) -> None:
    """Open the action's form on the case page, fill it in and send it."""
    page.goto(f"/cases/{case.pk}/")
    page.locator(f"#details-{action} summary").click()
    form = page.locator(f"#action-{action}")
    form.locator("textarea[name=note]").fill(note)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/cases/{case.pk}/"), page.url
    assert page.locator("#case-error").count() == 0, page.locator("#case-error").inner_text()


@pytest.mark.usefixtures("demo_committed")
def test_a_dispatcher_urges_and_supervises_an_overdue_case_and_the_unit_answers(new_page):
    case = _overdue_case_of_the_property_unit()
    dispatcher, unit = new_page(phone=True), new_page(phone=True)

    log_in(dispatcher, "dispatcher")
    dispatcher.goto("/cases/queue/?state=open&overdue=yes")
    assert dispatcher.locator(f"#case-{case.pk} .light-red").count() == 1
    dispatcher.locator(f"#case-{case.pk} a.case-title").click()
    dispatcher.wait_for_url(f"**/cases/{case.pk}/")
    dispatcher.locator("#details-notice summary").click()
    fits_phone(dispatcher, "the case page with the supervision forms")
    _shot(dispatcher, "supervise-forms", english=False)

    _use(dispatcher, case, "urge", "业主多次来电，请尽快上门")
    assert dispatcher.locator('#timeline [data-action="urge"]').count() == 1
    respond_by = timezone.localtime() + timedelta(days=1)
    _use(dispatcher, case, "notice", "请今天说明处理进展和完成时间",
         respond_by=respond_by.strftime("%Y-%m-%dT%H:%M"))
    notice = dispatcher.locator("#open-notice")
    assert "请今天说明处理进展和完成时间" in notice.inner_text()
    assert respond_by.strftime("%Y-%m-%d %H:%M") in notice.inner_text()
    case = Case.objects.get(pk=case.pk)
    assert case.notice_due_at is not None

    log_in(unit, "property")
    unit.goto("/cases/unit/")
    assert unit.locator(f"#notices-waiting #case-{case.pk} .notice-open").count() == 1
    fits_phone(unit, "the unit inbox with a notice")
    _shot(unit, "supervise-unit-inbox")
    unit.locator(f"#notices-waiting #case-{case.pk} a.case-title").click()
    unit.wait_for_url(f"**/cases/{case.pk}/")
    assert unit.locator("#open-notice").count() == 1
    assert unit.locator("#action-urge").count() == 0  # the unit does not supervise
    _use(unit, case, "answer_notice", "已联系业主，明早九点上门更换阀门")
    assert unit.locator("#open-notice").count() == 0
    assert unit.locator('#timeline [data-action="answer_notice"]').count() == 1
    case = Case.objects.get(pk=case.pk)
    assert (case.notice_due_at, case.notice_answered_late) == (None, False)

    _use(dispatcher, case, "escalate", "涉及整栋楼供水，需街道协调")
    assert dispatcher.locator("#case-escalated").count() == 1
    dispatcher.goto("/cases/queue/?state=open&escalated=yes")
    assert dispatcher.locator(f"#case-{case.pk} .escalated").count() == 1
    dispatcher.goto("/")
    dispatcher.locator("#tile-supervision").click()
    dispatcher.wait_for_url("**/cases/supervision/")
    row = dispatcher.locator(f"#unit-{case.unit_id} td")
    assert [row.nth(i).inner_text() for i in range(1, 6)] == ["1", "1", "0", "0", "1"]
    fits_phone(dispatcher, "the supervision page")
    _shot(dispatcher, "supervise-counts")
    assert [e.action for e in case.events.filter(
        action__in=["urge", "notice", "answer_notice", "escalate"])] == [
        "urge", "notice", "answer_notice", "escalate"]
