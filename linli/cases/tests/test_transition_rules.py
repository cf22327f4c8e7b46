"""The rules of single actions beyond the table: rating, reopening, merging, triage,
dispatching, returning, rework and extensions. Times are frozen on a working Monday in
Shanghai; the pipe-leak category is urgent, 1 working hour to accept, 8 to handle."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from linli.cases.models import Extension, Priority, Rating, State, Triage
from linli.cases.selectors import CaseFilters, case_get, case_list
from linli.cases.services import case_transition, extension_decide, extension_request
from linli.cases.tests.factories import category
from linli.cases.tests.walking import case_in_state, more_actors, report, snapshot
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.tests.factories import UnitFactory

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(world):
    return more_actors(world)


def refused(exc_type, code, case, **kwargs):
    """Assert that the move is refused with `code` and leaves the case exactly as it was."""
    before = snapshot(case)
    with pytest.raises(exc_type) as refusal:
        case_transition(case=case, **kwargs)
    assert refusal.value.code == code
    assert snapshot(case) == before


# --- rating and reopening ----------------------------------------------------------------

def test_the_reporter_rates_once(world, clock):
    case = case_in_state(world, State.CLOSED)
    case = case_transition(actor=world.rita, case=case, action="rate", rating=Rating.BASIC,
                           comment=" 修得还行 ")
    assert (case.state, case.rating, case.rating_comment) == (State.CLOSED, "basic", "修得还行")
    assert case.rated_at == timezone.now()
    refused(ValidationFailed, "already_rated", case, actor=world.rita, action="rate",
            rating=Rating.UNSATISFIED)


def test_a_rating_must_be_one_of_the_three(world, clock):
    case = case_in_state(world, State.CLOSED)
    refused(ValidationFailed, "invalid", case, actor=world.rita, action="rate", rating="great")
    refused(ValidationFailed, "invalid", case, actor=world.rita, action="rate",
            rating=Rating.BASIC, comment="长" * 501)


@pytest.mark.parametrize("rating", [None, Rating.SATISFIED, Rating.BASIC])
def test_only_an_unsatisfied_rating_reopens(world, clock, rating):
    case = case_in_state(world, State.CLOSED)
    if rating:
        case = case_transition(actor=world.rita, case=case, action="rate", rating=rating)
    refused(ValidationFailed, "not_unsatisfied", case, actor=world.rita, action="reopen",
            note="还是漏")


def test_reopening_within_the_allowed_days_sends_the_case_back_to_the_dispatcher(
        world, clock, settings):
    settings.REOPEN_DAYS = 3
    case = case_in_state(world, State.CLOSED)
    case = case_transition(actor=world.rita, case=case, action="rate",
                           rating=Rating.UNSATISFIED, comment="又漏了")
    clock.shift(timedelta(days=3))
    case = case_transition(actor=world.rita, case=case, action="reopen", note="又漏了")
    assert case.state == State.ACCEPTED
    assert (case.unit, case.handle_due_at, case.closed_at, case.reopen_count) == (
        None, None, None, 1)
    assert (case.rating, case.rated_at) == ("", None)
    # The second round closes and is rated like the first.
    for actor, action, note in [(world.alice, "dispatch", ""), (world.uma, "acknowledge", ""),
                                (world.uma, "resolve", "换了整段管"),
                                (world.gina, "verify", ""), (world.alice, "close", "")]:
        extra = {"unit": world.unit_a} if action == "dispatch" else {}
        case = case_transition(actor=actor, case=case, action=action, note=note, **extra)
    case = case_transition(actor=world.rita, case=case, action="rate",
                           rating=Rating.SATISFIED)
    assert (case.state, case.rating, case.reopen_count) == (State.CLOSED, "satisfied", 1)


def test_reopening_after_the_allowed_days_is_refused(world, clock, settings):
    settings.REOPEN_DAYS = 3
    case = case_in_state(world, State.CLOSED)
    case = case_transition(actor=world.rita, case=case, action="rate",
                           rating=Rating.UNSATISFIED)
    clock.shift(timedelta(days=3, seconds=1))
    refused(ValidationFailed, "reopen_expired", case, actor=world.rita, action="reopen",
            note="又漏了")


# --- merging -------------------------------------------------------------------------------

def _bad_masters(world, case):
    return {
        "itself": case,
        "nothing": None,
        "other community": report(world, world.bob, area=world.dwelling_b),
        "closed": case_in_state(world, State.CLOSED),
        "merged": case_in_state(world, State.MERGED),
        "rejected": case_in_state(world, State.REJECTED),
        "on hold": case_in_state(world, State.ON_HOLD),
    }


def test_a_case_merges_only_into_another_open_case_of_its_community(world, clock):
    case = case_in_state(world, State.REPORTED)
    for name, master in _bad_masters(world, case).items():
        before = snapshot(case)
        with pytest.raises(ValidationFailed) as refusal:
            case_transition(actor=world.alice, case=case, action="merge", master=master)
        assert refusal.value.code == "bad_master", name
        assert snapshot(case) == before, name


def test_a_merged_duplicate_points_at_its_master_which_stays_as_it_was(world, clock):
    master = case_in_state(world, State.DISPATCHED)
    master_before = snapshot(master)
    case = case_in_state(world, State.ACCEPTED)
    case = case_transition(actor=world.alice, case=case, action="merge", master=master)
    assert (case.state, case.master, case.merged_at) == (State.MERGED, master, timezone.now())
    assert case.events.latest("id").data == {"master": master.pk}
    assert snapshot(master)["row"] == master_before["row"]


def test_the_reporter_of_a_merged_duplicate_follows_the_master(people, clock):
    world = people
    duplicate = report(world, world.rex, description="一楼漏水")
    clock.shift(timedelta(minutes=1))
    master = report(world, world.rita)
    assert list(case_list(actor=world.rex, filters=CaseFilters(mine=True))) == [duplicate]
    case_transition(actor=world.alice, case=duplicate, action="merge", master=master)
    assert list(case_list(actor=world.rex, filters=CaseFilters(mine=True))) == [
        master, duplicate]
    assert case_get(actor=world.rex, case_id=master.pk) == master
    assert list(case_list(actor=world.rita, filters=CaseFilters(mine=True))) == [master]


# --- triage and acceptance ---------------------------------------------------------------

def test_a_private_matter_is_not_accepted_but_closed_with_advice(world, clock):
    case = case_in_state(world, State.REPORTED)
    refused(ValidationFailed, "private_matter", case, actor=world.alice, action="accept",
            triage=Triage.PRIVATE)
    case = case_transition(actor=world.alice, case=case, action="advise",
                           note="属于邻里私事，建议与楼上协商")
    assert (case.state, case.triage, case.closed_at, case.closed_late) == (
        State.CLOSED, Triage.PRIVATE, timezone.now(), False)
    case = case_transition(actor=world.rita, case=case, action="rate", rating=Rating.BASIC)
    assert case.rating == Rating.BASIC


def test_a_private_category_needs_the_dispatcher_to_triage_it_otherwise(world, clock):
    private = category("L9001", name_zh="邻里纠纷", triage=Triage.PRIVATE)
    case = report(world, cat=private)
    refused(ValidationFailed, "private_matter", case, actor=world.alice, action="accept")
    case = case_transition(actor=world.alice, case=case, action="accept", triage=Triage.MAJOR)
    assert (case.state, case.triage) == (State.ACCEPTED, Triage.MAJOR)


def test_advice_given_late_counts_as_closed_late(world, clock):
    case = case_in_state(world, State.REPORTED)
    clock.shift(timedelta(hours=2))  # past the one working hour to accept
    case = case_transition(actor=world.alice, case=case, action="advise", note="私事")
    assert case.closed_late is True


def test_accepting_sets_triage_and_priority_and_the_handling_limit(world, clock):
    case = case_in_state(world, State.REPORTED)
    refused(ValidationFailed, "invalid", case, actor=world.alice, action="accept",
            triage="huge")
    case = case_transition(actor=world.alice, case=case, action="accept",
                           triage=Triage.MINOR, priority=Priority.EMERGENCY)
    assert (case.triage, case.priority, case.handle_limit, case.limit_unit) == (
        Triage.MINOR, Priority.EMERGENCY, Decimal("2"), "clock_hours")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    assert case.handle_due_at == START + timedelta(hours=2)


# --- dispatching and returning -----------------------------------------------------------

def test_dispatch_needs_an_active_unit_serving_the_area(world, clock):
    case = case_in_state(world, State.ACCEPTED)
    idle = UnitFactory(name="停业物业", service_areas=[world.community_a], is_active=False)
    for unit in (world.unit_b, idle, None):
        refused(ValidationFailed, "bad_unit", case, actor=world.alice, action="dispatch",
                unit=unit)
    street_wide = UnitFactory(name="街道城管", service_areas=[world.street])
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=street_wide)
    assert case.unit == street_wide


def test_dispatch_starts_the_handling_clock(world, clock):
    case = case_in_state(world, State.DISPATCHED)
    assert (case.unit, case.dispatched_by, case.handle_started_at) == (
        world.unit_a, world.alice, START)
    assert case.handle_due_at == sh(2026, 3, 3, 10, 0)   # 6.5 h Monday + 1.5 h Tuesday
    assert case.handle_warn_at == sh(2026, 3, 2, 17, 24)  # 80 % = 6.4 h


@pytest.mark.parametrize("state", [State.DISPATCHED, State.IN_PROGRESS])
def test_a_return_clears_the_unit_and_is_counted(world, clock, state):
    case = case_in_state(world, state)
    case = case_transition(actor=world.uma, case=case, action="return", note="不属于物业职责")
    assert (case.state, case.unit, case.return_count) == (State.ACCEPTED, None, 1)
    assert (case.handle_due_at, case.handle_warn_at, case.handle_started_at) == (
        None, None, None)
    event = case.events.latest("id")
    assert (event.from_state, event.to_state, event.note) == (
        state, State.ACCEPTED, "不属于物业职责")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    case = case_transition(actor=world.uma, case=case, action="return", note="仍不属于")
    assert (case.return_count, case.acknowledged_at) == (2, None)


# --- verification and rework -------------------------------------------------------------

def test_a_failed_check_sends_the_case_to_rework_with_a_fresh_deadline(world, clock):
    case = case_in_state(world, State.RESOLVED)
    clock.move_to(sh(2026, 3, 3, 15, 0))
    case = case_transition(actor=world.gina, case=case, action="fail", note="仍在漏水")
    assert (case.state, case.rework_count, case.resolved_at) == (State.REWORK, 1, None)
    assert case.handle_started_at == sh(2026, 3, 3, 15, 0)
    assert case.handle_due_at == sh(2026, 3, 4, 16, 0)   # 2.5 h + 3.5 h + 2 h
    assert case.handle_warn_at == sh(2026, 3, 4, 14, 24)
    case = case_transition(actor=world.uma, case=case, action="resolve", note="重新焊接")
    assert (case.state, case.resolved_late) == (State.RESOLVED, False)
    case = case_transition(actor=world.gina, case=case, action="verify")
    assert (case.state, case.rework_count) == (State.VERIFIED, 1)


# --- extensions ----------------------------------------------------------------------------

def test_an_approved_extension_moves_the_deadline_by_working_time(people, clock):
    world = people
    case = case_in_state(world, State.IN_PROGRESS)
    version = case.version
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("4"), reason="缺配件")
    with pytest.raises(Conflict):
        extension_request(actor=world.una, case=case, amount=Decimal("2"), reason="再等等")
    assert case.extensions.count() == 1
    case = extension_decide(actor=world.alice, extension=ext, approve=True, note="同意")
    assert case.handle_due_at == sh(2026, 3, 3, 16, 0)   # Tuesday 10:00 + 4 working hours
    assert case.handle_warn_at == sh(2026, 3, 3, 11, 36)  # 80 % of 12 h
    assert (case.handle_limit, case.version) == (Decimal("12"), version + 1)
    ext.refresh_from_db()
    assert (ext.decision, ext.decided_by) == (Extension.Decision.APPROVED, world.alice)
    assert [e.action for e in case.events.all()][-2:] == [
        "extension_request", "extension_approve"]
    with pytest.raises(Conflict):
        extension_decide(actor=world.alice, extension=ext, approve=False)


def test_extensions_in_working_days_skip_the_weekend(world, clock):
    daily = category("L9002", name_zh="路灯损坏", priority=Priority.NORMAL,
                     accept_limit=Decimal("1"), handle_limit=Decimal("3"),
                     limit_unit="work_days")
    clock.move_to(sh(2026, 3, 5, 9, 0))  # Thursday
    case = report(world, cat=daily)
    for actor, action, extra in [(world.alice, "accept", {}),
                                 (world.alice, "dispatch", {"unit": world.unit_a}),
                                 (world.uma, "acknowledge", {})]:
        case = case_transition(actor=actor, case=case, action=action, **extra)
    assert case.handle_due_at == sh(2026, 3, 10, 9, 0)  # 21 working hours later
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("1"), reason="等材料")
    case = extension_decide(actor=world.alice, extension=ext, approve=True)
    assert case.handle_due_at == sh(2026, 3, 11, 9, 0)


def test_a_denied_extension_leaves_the_deadline(world, clock):
    case = case_in_state(world, State.IN_PROGRESS)
    due, version = case.handle_due_at, case.version
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("4"), reason="缺配件")
    case = extension_decide(actor=world.alice, extension=ext, approve=False, note="不同意")
    assert (case.handle_due_at, case.version) == (due, version)
    ext.refresh_from_db()
    assert ext.decision == Extension.Decision.DENIED
    # Once decided, the unit may ask again.
    extension_request(actor=world.uma, case=case, amount=Decimal("2"), reason="仍缺配件")
    assert case.extensions.filter(decision=Extension.Decision.PENDING).count() == 1


def test_only_the_unit_asks_and_only_the_dispatcher_decides(world, clock):
    case = case_in_state(world, State.IN_PROGRESS)
    for actor in (world.alice, world.rita, world.bob, world.gina):
        with pytest.raises(PermissionDenied):
            extension_request(actor=actor, case=case, amount=Decimal("4"), reason="缺配件")
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("4"), reason="缺配件")
    for actor in (world.bob, world.uma, world.gina, world.rita):
        with pytest.raises(PermissionDenied):
            extension_decide(actor=actor, extension=ext, approve=True)
    ext.refresh_from_db()
    assert ext.decision == Extension.Decision.PENDING


def test_an_extension_needs_a_reason_a_positive_amount_and_a_case_being_handled(world,
                                                                                 clock):
    dispatched = case_in_state(world, State.DISPATCHED)
    with pytest.raises(ValidationFailed) as refusal:
        extension_request(actor=world.uma, case=dispatched, amount=Decimal("4"), reason="缺")
    assert refusal.value.code == "transition_not_allowed"
    case = case_in_state(world, State.IN_PROGRESS)
    for amount, reason in [(Decimal("0"), "缺配件"), (Decimal("-1"), "缺配件"),
                           (Decimal("4"), "  "), (Decimal("4"), "长" * 501)]:
        with pytest.raises(ValidationFailed):
            extension_request(actor=world.uma, case=case, amount=amount, reason=reason)
    assert Extension.objects.count() == 0


def test_an_extension_does_not_carry_over_to_the_next_dispatch(world, clock):
    case = case_in_state(world, State.IN_PROGRESS)
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("4"), reason="缺配件")
    case = extension_decide(actor=world.alice, extension=ext, approve=True)
    case = case_transition(actor=world.uma, case=case, action="return", note="不归我们")
    clock.shift(timedelta(minutes=30))
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    assert case.handle_limit == Decimal("8")
    assert case.handle_due_at == sh(2026, 3, 3, 10, 30)


def test_a_request_from_an_earlier_round_can_no_longer_be_approved(world, clock):
    case = case_in_state(world, State.IN_PROGRESS)
    ext = extension_request(actor=world.uma, case=case, amount=Decimal("4"), reason="缺配件")
    case = case_transition(actor=world.uma, case=case, action="return", note="不归我们")
    clock.shift(timedelta(minutes=30))
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    case = case_transition(actor=world.uma, case=case, action="acknowledge")
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refusal:
        extension_decide(actor=world.alice, extension=ext, approve=True)
    assert refusal.value.code == "extension_outdated"
    assert snapshot(case) == before
    case = extension_decide(actor=world.alice, extension=ext, approve=False)
    assert case.handle_due_at == before["row"]["handle_due_at"]
