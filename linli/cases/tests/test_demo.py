from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.cases.demo import data as demo_data
from linli.cases.demo import demo_routes
from linli.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Channel,
    Extension,
    Photo,
    Route,
    State,
)
from linli.cases.selectors import case_list
from linli.cases.supervising import SENSITIVE
from linli.cases.transitions import TRANSITIONS, WITH_UNIT
from linli.cases.workflow import CASES
from linli.dailyreports.models import Item as DailyItem
from linli.notifications.models import Notification
from linli.orgs.demo import demo_tree
from linli.orgs.selectors import units_serving

# Events that do not move the case's version: the report itself and extension requests and
# refusals. Every transition (rating included) and every approved extension bumps it.
NO_VERSION_BUMP = {"report", "extension_request", "extension_deny"}


def _expected_states() -> Counter:
    """Where each planned path ends, by the transition table, times how many take it."""
    expected: Counter = Counter()
    for path, count, _age in demo_data.PLAN:
        state: str = State.REPORTED
        for step in demo_data.PATHS[path]:
            action = step.partition(":")[0]
            if action != "ext":
                state = TRANSITIONS[action].target or state
        expected[state] += count
    return expected


def _assert_log_consistent(case: Case, events: list[CaseEvent], now) -> None:
    assert events[0].action == "report" and events[0].at == case.reported_at
    assert events[-1].to_state == case.state, case.pk
    for before, after in pairwise(events):
        assert before.to_state == after.from_state, case.pk
        assert before.at <= after.at, case.pk
    assert now - timedelta(days=61) <= events[0].at and events[-1].at <= now
    bumps = sum(1 for e in events if e.action not in NO_VERSION_BUMP)
    assert case.version == 1 + bumps, case.pk


@pytest.mark.django_db
def test_demo_loads_cases_in_every_state_with_a_consistent_log(demo):
    now = timezone.now()
    _assert_every_state_and_a_consistent_log(now)
    _assert_overdue_rated_advised_and_waiting_cases(now, demo.media_root)
    _assert_supervision_can_be_tried(now)
    # Weeks-old history is not news: loading it notifies nobody.
    assert Notification.objects.count() == 0


def _assert_every_state_and_a_consistent_log(now) -> None:
    # The cases this demo plans: the daily reports' demo raises a few more from grid patrol,
    # the inspections' demo one for a serious hazard, deliberation's one for a topic referred
    # to the case loop, the surveys' one for a need handed over as a case, party members'
    # for what their contact households raised, and the IoT demo's device alarms.
    from linli.deliberation.models import Topic
    from linli.inspections.models import Order
    from linli.library.models import Need
    from linli.party.models import ContactVisit

    raised = DailyItem.objects.filter(case__isnull=False).values("case_id")
    for_hazards = Order.objects.filter(case__isnull=False).values("case_id")
    referred = Topic.objects.filter(case__isnull=False).values("case_id")
    from_needs = Need.objects.filter(case__isnull=False).values("case_id")
    from_visits = ContactVisit.objects.filter(case__isnull=False).values("case_id")
    cases = list(Case.objects.exclude(pk__in=raised).exclude(pk__in=for_hazards)
                 .exclude(pk__in=referred).exclude(pk__in=from_needs)
                 .exclude(pk__in=from_visits).exclude(channel=Channel.IOT)
                 .select_related("community"))
    assert len(cases) == sum(count for _path, count, _age in demo_data.PLAN) >= 190
    assert Counter(c.state for c in cases) == _expected_states()
    assert set(_expected_states()) == set(State.values)
    per_community = Counter(c.community.name for c in cases)
    assert set(per_community) == {"花楼社区", "水塔社区"} and min(per_community.values()) >= 60
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.order_by("at", "id"):
        events.setdefault(event.case_id, []).append(event)
    for case in cases:
        _assert_log_consistent(case, events[case.pk], now)


def _assert_overdue_rated_advised_and_waiting_cases(now, media) -> None:
    cases = Case.objects.all()
    assert cases.filter(state=State.REPORTED, accept_due_at__lt=now).count() >= 4
    assert cases.filter(state=State.REPORTED, accept_due_at__gt=now).exists()
    handling = cases.filter(state__in=[State.DISPATCHED, State.IN_PROGRESS, State.REWORK])
    assert handling.filter(handle_due_at__lt=now).count() >= 4
    assert handling.filter(handle_due_at__gt=now).exists()
    closed = cases.filter(state=State.CLOSED)
    assert set(closed.values_list("rating", flat=True)) == {"", "satisfied", "basic",
                                                          "unsatisfied"}
    assert closed.filter(triage="private").count() == 7
    assert closed.filter(reopen_count=1).count() == 4
    assert Extension.objects.filter(decision="pending").count() == 6
    assert Extension.objects.filter(decision="approved").count() == 4
    merged = cases.filter(state=State.MERGED)
    assert merged.count() == 9
    assert merged.filter(master__state__in=OPEN_STATES,
                         master__community_id=F("community_id")).count() == 9
    assert Photo.objects.exists()
    assert all((media / p.image.name).exists() for p in Photo.objects.all())


def _assert_supervision_can_be_tried(now) -> None:
    """The demo dispatcher finds an overdue case the demo property unit holds, to urge and
    give a notice the unit answers (督办), and a sensitive (urgent) case to supervise."""
    dispatcher = User.objects.get(username="dispatcher")
    unit = User.objects.get(username="property").assignments.get().unit
    mine = case_list(actor=dispatcher).filter(state__in=WITH_UNIT)
    overdue = [c for c in mine.filter(unit=unit, handle_due_at__lt=now)
               if {"urge", "notice", "escalate"} <= set(CASES.actions_for(dispatcher, c))]
    assert overdue
    sensitive = [c for c in mine.filter(priority__in=SENSITIVE)
                 if "urge" in CASES.actions_for(dispatcher, c)]
    assert sensitive


@pytest.mark.django_db
def test_every_leaf_category_has_a_unit_serving_each_demo_community():
    from linli.cases.categories import categories_load

    categories_load()
    tree = demo_tree()
    demo_routes(tree)
    leaves = Category.objects.exclude(triage="")
    for community in tree.communities:
        routes = Route.objects.filter(area=community).select_related("unit", "category")
        assert sorted(r.category.code for r in routes) == sorted(c.code for c in leaves)
        serving = set(units_serving(community).values_list("pk", flat=True))
        assert all(r.unit_id in serving for r in routes)
    own = Route.objects.get(area=tree.communities[1], category__code="L1002").unit
    assert own.name == "水塔物业服务中心"
    assert Route.objects.get(area=tree.communities[0], category__code="L2001").unit.name == (
        "江汉燃气抢修站")
