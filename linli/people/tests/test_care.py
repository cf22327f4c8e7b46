"""Care: legal basis, encrypted tags, plans with a grid worker of the grid, visits moving the
due date, a case raised in one step, overdue lists and the monthly completion rate."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation

from linli.cases.models import Case, Channel
from linli.cases.tests.factories import category
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.people import selectors, services
from linli.people.models import CarePlan, Consent, ResidentTag, Visit
from linli.people.sensitive import tag_hash
from linli.people.tests.factories import cared_for, tag

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY.isoformat() + " 10:00 +0800", tick=False):
        yield


def test_a_tag_needs_a_legal_basis(people):
    with pytest.raises(ValidationFailed) as caught:
        services.resident_tag_add(actor=people.alice, resident=people.rosa,
                                       tag=tag("subsistence"))
    assert caught.value.code == "no_legal_basis"
    assert ResidentTag.objects.count() == 0


def test_tag_is_stored_encrypted_with_a_keyed_hash(people):
    services.consent_record(actor=people.alice, resident=people.rosa, basis="consent",
                                 reference="同意书 2026-001")
    row = services.resident_tag_add(actor=people.alice, resident=people.rosa,
                                         tag=tag("community_correction"), note="判决书号")
    assert row.tag_hash == tag_hash("community_correction")
    assert "community_correction" not in row.tag_cipher and "判决书号" not in row.note_cipher
    assert row.legal_basis == f"consent#{Consent.objects.get().pk}"
    entry = AuditEntry.objects.get(action="resident.tag_added")
    assert entry.changes == {"tag": "sensitive"}  # the admin's log does not name it either
    with pytest.raises(Conflict):
        services.resident_tag_add(actor=people.alice, resident=people.rosa,
                                       tag=tag("community_correction"))


def test_withdrawing_the_last_basis_removes_tags_and_plan(people):
    cared_for(people.alice, people.rosa, people.gina, "lonely_elderly", "disability")
    consent = Consent.objects.get()
    services.consent_withdraw(actor=people.alice, consent=consent)
    assert ResidentTag.objects.count() == 0 and CarePlan.objects.count() == 0
    assert Consent.objects.get().withdrawn_at is not None
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=people.alice, consent=consent)


def test_plan_needs_a_grid_worker_of_the_residents_grid(people):
    with pytest.raises(ValidationFailed) as caught:
        cared_for(people.alice, people.rosa, people.gary)
    assert caught.value.code == "bad_grid_worker"
    with pytest.raises(ValidationFailed):
        services.care_plan_save(actor=people.alice, resident=people.rosa,
                                     grid_worker=people.alice)
    assert CarePlan.objects.count() == 0


def test_plan_defaults_and_encrypted_contents(people, frozen):
    plan = cared_for(people.alice, people.rosa, people.gina, "disability", "severe_mental",
                     emergency_contact="儿子 13900002222", needs="药物提醒")
    assert (plan.visit_every_days, plan.next_visit_due) == (14, TODAY)
    assert "13900002222" not in plan.emergency_contact_cipher
    services.care_plan_save(actor=people.gina, resident=people.rosa,
                                 grid_worker=people.gina, visit_every_days=7)
    plan.refresh_from_db()
    assert plan.visit_every_days == 7 and plan.emergency_contact_cipher != ""


def test_outsiders_cannot_touch_care(people):
    with pytest.raises(PermissionDenied):
        services.consent_record(actor=people.bob, resident=people.rosa, basis="consent")
    with pytest.raises(PermissionDenied):
        services.consent_record(actor=people.leo, resident=people.rosa, basis="consent")
    assert Consent.objects.count() == 0


def test_a_visit_moves_the_due_date_and_meets_it(people, frozen):
    cared_for(people.alice, people.rosa, people.gina, visit_every_days=7,
              next_visit_due=TODAY - timedelta(days=2))
    visit = services.visit_record(actor=people.gina, resident=people.rosa,
                                       visited_on=TODAY, kind="home", findings="血压偏高")
    plan = CarePlan.objects.get()
    assert plan.next_visit_due == TODAY + timedelta(days=7)
    assert visit.due_on == TODAY - timedelta(days=2)
    assert "血压偏高" not in visit.findings_cipher
    # The same day again does not meet next week's date in advance.
    again = services.visit_record(actor=people.gina, resident=people.rosa,
                                       visited_on=TODAY, kind="phone")
    assert again.due_on is None
    assert CarePlan.objects.get().next_visit_due == TODAY + timedelta(days=7)


def test_visit_refusals(people, frozen):
    with pytest.raises(ValidationFailed) as caught:
        services.visit_record(actor=people.gina, resident=people.rosa, visited_on=TODAY,
                                   kind="home")
    assert caught.value.code == "no_plan"
    cared_for(people.alice, people.rosa, people.gina)
    with pytest.raises(ValidationFailed):
        services.visit_record(actor=people.gina, resident=people.rosa,
                                   visited_on=TODAY + timedelta(days=1), kind="home")
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=people.gary, resident=people.rosa, visited_on=TODAY,
                                   kind="home")
    assert Visit.objects.count() == 0


def test_follow_up_raises_a_case_in_one_step(people, frozen):
    cared_for(people.alice, people.rosa, people.gina)
    leak = category()
    visit = services.visit_record(
        actor=people.gina, resident=people.rosa, visited_on=TODAY, kind="home",
        findings="独居，厨房漏水", raise_case=True, case_category=leak,
        case_description="厨房水管漏水，需要维修")
    case = Case.objects.get()
    assert visit.case == case and visit.follow_up_needed is True
    assert (case.channel, case.area, case.is_public, case.reporter) == (
        Channel.GRID_PATROL, people.dwelling_a, False, people.gina)
    assert "独居" not in case.description


def test_a_refused_case_keeps_the_visit_out_too(people, frozen):
    cared_for(people.alice, people.rosa, people.gina)
    with pytest.raises(ValidationFailed):
        services.visit_record(actor=people.gina, resident=people.rosa, visited_on=TODAY,
                                   kind="home", raise_case=True, case_category=None,
                                   case_description="漏水")
    assert Visit.objects.count() == 0 and Case.objects.count() == 0
    assert CarePlan.objects.get().next_visit_due == TODAY


def test_overdue_lists(people, frozen):
    cared_for(people.alice, people.rosa, people.gina, next_visit_due=TODAY - timedelta(days=1))
    cared_for(people.alice, people.kang, people.gary, next_visit_due=TODAY + timedelta(days=3))
    mine = selectors.care_plan_list(actor=people.gina, overdue=True, mine=True)
    assert [p.resident for p in mine] == [people.rosa]
    assert list(selectors.care_plan_list(actor=people.gary, overdue=True)) == []
    by_grid = {grid.name: n for grid, n in selectors.overdue_by_grid(actor=people.alice)}
    assert by_grid == {"花楼第一网格": 1, "花楼第二网格": 0}
    assert selectors.overdue_by_grid(actor=people.bob) == [(people.grid_b1, 0)]
    services.resident_move_out(actor=people.alice, resident=people.rosa)
    assert selectors.care_plan_list(actor=people.alice, overdue=True).count() == 0


def test_monthly_completion_rate_per_grid(people):
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False):
        cared_for(people.alice, people.rosa, people.gina, visit_every_days=10,
                  next_visit_due=date(2026, 3, 5))
        cared_for(people.alice, people.kang, people.gary, visit_every_days=30,
                  next_visit_due=date(2026, 3, 20))
    with time_machine.travel("2026-03-31 09:00 +0800", tick=False):
        # rosa: due 3-5 met on 3-4 (in time) → due 3-14 met on 3-20 (late) → due 3-30 open.
        for day in (date(2026, 3, 4), date(2026, 3, 20)):
            services.visit_record(actor=people.gina, resident=people.rosa, visited_on=day,
                                       kind="home")
        # kang: due 3-20, never visited.
    rows = {r.grid.name: (r.due, r.in_time, r.rate)
            for r in selectors.visit_completion(actor=people.alice, month=date(2026, 3, 1))}
    assert rows == {"花楼第一网格": (3, 1, 1 / 3), "花楼第二网格": (1, 0, 0.0)}
    gary_rows = selectors.visit_completion(actor=people.gary, month=date(2026, 3, 1))
    assert [(r.grid.name, r.due, r.in_time) for r in gary_rows] == [("花楼第二网格", 1, 0)]
    april = selectors.visit_completion(actor=people.alice, month=date(2026, 4, 1))
    assert [(r.due, r.in_time, r.rate) for r in april] == [(0, 0, None), (0, 0, None)]
