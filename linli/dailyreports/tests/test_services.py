from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, Channel
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.dailyreports import services
from linli.dailyreports.models import DailyReport, Item, ItemKind
from linli.dailyreports.services import VisitIn
from linli.dailyreports.tests.factories import conflict, problem, report
from linli.disputes.models import Dispute, Source
from linli.people.models import Visit, VisitKind
from linli.people.services import visit_record


def today():
    return timezone.localdate()


def test_one_report_per_day_a_second_submission_edits_it(daily):
    w = daily
    first = services.daily_report_save(actor=w.gina, grid=w.grid_a1, day=today(),
                                       patrol_done=False, route_notes="")
    second = services.daily_report_save(actor=w.gina, grid=w.grid_a1, day=today(),
                                        patrol_done=True, route_notes="花楼小区一圈")
    assert first.created and not second.created
    assert second.report.pk == first.report.pk
    assert DailyReport.objects.count() == 1
    row = DailyReport.objects.get()
    assert row.patrol_done and row.route_notes == "花楼小区一圈"
    assert row.community == w.community_a and row.area_path == w.grid_a1.path
    assert AuditEntry.objects.filter(action="daily_report.saved").count() == 2


def test_a_locked_day_is_refused_and_nothing_changes(daily):
    w = daily
    report(w, patrol_done=False)
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.raises(Conflict) as refused:
        services.daily_report_save(actor=w.gina, grid=w.grid_a1, day=today(),
                                   patrol_done=True, now=tomorrow)
    assert refused.value.code == "day_locked"
    with pytest.raises(Conflict):
        services.item_add(actor=w.gina, day=today(), details=None, now=tomorrow)
    # A new report for a past day is refused just the same.
    with pytest.raises(Conflict):
        services.daily_report_save(actor=w.gary, grid=w.grid_a2, day=today(),
                                   patrol_done=True, now=tomorrow)
    assert not DailyReport.objects.get().patrol_done
    assert DailyReport.objects.count() == 1 and not Item.objects.exists()


def test_a_future_day_is_refused(daily):
    w = daily
    with pytest.raises(ValidationFailed) as refused:
        report(w, day=today() + timedelta(days=1))
    assert refused.value.code == "future_day"
    assert not DailyReport.objects.exists()


def test_only_the_workers_own_grid(daily):
    w = daily
    for grid in (w.grid_b1, w.grid_a2, w.community_a):
        with pytest.raises(ValidationFailed) as refused:
            report(w, grid=grid)
        assert refused.value.code == "not_your_grid"
    with pytest.raises(PermissionDenied):
        report(w, actor=w.alice)  # a dispatcher files no daily report
    with pytest.raises(PermissionDenied):
        services.item_add(actor=w.rita, day=today(), details=None)
    assert not DailyReport.objects.exists()


def test_a_problem_becomes_a_case_in_the_same_step(daily):
    w = daily
    done = services.item_add(actor=w.gina, day=today(), details=problem(w), note="楼道")
    item = done.added
    assert done.created and item.kind == ItemKind.PROBLEM
    case = Case.objects.get()
    assert item.case == case and case.channel == Channel.GRID_PATROL
    assert case.reporter == w.gina and case.area == w.building_a
    assert item.report.grid == w.grid_a1  # made for the worker's only grid


def test_a_conflict_sign_becomes_a_dispute(daily):
    w = daily
    item = services.item_add(actor=w.gina, day=today(), details=conflict(w)).added
    dispute = Dispute.objects.get()
    assert item.dispute == dispute and dispute.source == Source.DAILY_REPORT
    assert dispute.parties.count() == 2 and dispute.registered_by == w.gina


def test_a_care_visit_is_recorded_or_linked(daily):
    w = daily
    item = services.item_add(actor=w.gina, day=today(), details=VisitIn(
        resident=w.rosa, kind=VisitKind.HOME, findings="身体尚好")).added
    visit = Visit.objects.get()
    assert item.visit == visit and visit.visited_on == today() and visit.visitor == w.gina
    # A visit recorded on the care page earlier that day is linked, once.
    earlier = visit_record(actor=w.gina, resident=w.rosa, visited_on=today(),
                           kind=VisitKind.PHONE)
    linked = services.item_add(actor=w.gina, day=today(),
                               details=VisitIn(visit_id=earlier.pk)).added
    assert linked.visit == earlier and Visit.objects.count() == 2
    for visit_id, code in ((earlier.pk, "visit_linked"), (visit.pk, "visit_linked"),
                           (earlier.pk + 100, "bad_visit")):
        with pytest.raises(ValidationFailed) as refused:
            services.item_add(actor=w.gina, day=today(), details=VisitIn(visit_id=visit_id))
        assert refused.value.code == code


def test_a_visit_names_a_resident_of_the_workers_own_care_plans(daily):
    w = daily
    with pytest.raises(ValidationFailed) as refused:
        services.item_add(actor=w.gary, day=today(), details=VisitIn(
            resident=w.rosa, kind=VisitKind.HOME), grid=w.grid_a2)
    assert refused.value.code == "not_your_care_plan"
    assert not (DailyReport.objects.exists() or Visit.objects.exists())


@pytest.mark.parametrize("bad", [
    {"details": "problem", "description": ""},          # the case refuses it
    {"details": "problem", "area": "dwelling_b"},        # outside the report's grid
    {"details": "conflict", "summary": ""},              # the dispute refuses it
    {"details": "conflict", "parties": []},
])
def test_a_refused_case_or_dispute_writes_nothing(daily, bad):
    w = daily
    report(w, patrol_done=False, route_notes="早上")
    bad = dict(bad)
    build = problem if bad.pop("details") == "problem" else conflict
    if "area" in bad:
        bad["area"] = getattr(w, bad["area"])
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed):
        services.item_add(actor=w.gina, day=today(), details=build(w, **bad))
    assert not Item.objects.exists() and not Case.objects.exists()
    assert not Dispute.objects.exists() and AuditEntry.objects.count() == before
    assert DailyReport.objects.get().route_notes == "早上"


def test_a_refused_first_item_leaves_no_report(daily):
    w = daily
    with pytest.raises(ValidationFailed):
        services.item_add(actor=w.gina, day=today(), details=conflict(w, summary=""))
    assert not DailyReport.objects.exists()


def test_a_retry_with_the_same_key_replays_the_first_outcome(daily):
    w = daily
    first = services.item_add(actor=w.gina, day=today(), details=problem(w),
                              idempotency_key="k-1")
    again = services.item_add(actor=w.gina, day=today(), details=problem(w),
                              idempotency_key="k-1")
    assert again.replayed and again.added.pk == first.added.pk
    assert Case.objects.count() == 1 and Item.objects.count() == 1
    # Even after midnight the retry answers with what was done.
    late = services.item_add(actor=w.gina, day=today(), details=problem(w),
                             idempotency_key="k-1", now=timezone.now() + timedelta(days=1))
    assert late.replayed
    with pytest.raises(Conflict) as refused:
        services.item_add(actor=w.gina, day=today(), details=problem(w, description="另一处"),
                          idempotency_key="k-1")
    assert refused.value.code == "idempotency_mismatch"
    assert Case.objects.count() == 1


def test_a_retried_report_save_replays(daily):
    w = daily
    for _ in range(2):
        done = services.daily_report_save(actor=w.gina, grid=w.grid_a1, day=today(),
                                          patrol_done=True, idempotency_key="r-1")
    assert done.replayed and DailyReport.objects.count() == 1


def test_nothing_to_report_only_on_an_empty_report(daily):
    w = daily
    services.item_add(actor=w.gina, day=today(), details=problem(w))
    with pytest.raises(ValidationFailed) as refused:
        services.item_add(actor=w.gina, day=today(), details=None)
    assert refused.value.code == "has_items"
    fresh = services.item_add(actor=w.gary, day=today(), details=None)
    assert fresh.added.kind == ItemKind.NOTHING


def test_an_item_for_another_grid_than_the_days_report_is_refused(daily):
    from linli.accounts import scope
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import assign

    w = daily
    assign(w.gina, Role.GRID_WORKER, w.grid_a2)
    scope.forget(w.gina)
    report(w)
    with pytest.raises(ValidationFailed) as refused:
        services.item_add(actor=w.gina, day=today(), details=None, grid=w.grid_a2)
    assert refused.value.code == "other_grid"
    # The report's grid may change while it has no items, not after.
    report(w, grid=w.grid_a2)
    services.item_add(actor=w.gina, day=today(), details=None)
    with pytest.raises(ValidationFailed) as refused:
        report(w, grid=w.grid_a1)
    assert refused.value.code == "grid_has_items"
    assert DailyReport.objects.get().grid == w.grid_a2
