"""The demo's disputes: every grade and state over the last month in both communities, made
by the services with a history that adds up, the grade rules visible at work, and an
agreement the mediator can print."""

from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.disputes.demo import PLAN
from linli.disputes.models import Agreement, Dispute, Grade, Party, Referral, State
from linli.disputes.selectors import dispute_list
from linli.disputes.services import agreement_print
from linli.disputes.transitions import CLOCKS
from linli.notifications.models import Notification
from linli.orgs.models import UnitKind


@pytest.mark.django_db
def test_demo_disputes_cover_every_grade_and_state_with_a_consistent_history(demo):
    now = timezone.now()
    disputes = list(Dispute.objects.select_related("community").order_by("registered_at"))
    _assert_spread(disputes, now)
    _assert_history_adds_up(disputes, now)
    _assert_grade_rules_at_work(disputes)
    _assert_outcomes(now)
    _assert_parties_and_people()
    # Weeks-old history is not news: loading it notifies nobody.
    assert Notification.objects.count() == 0


def _assert_spread(disputes: list[Dispute], now) -> None:
    assert len(disputes) >= len(PLAN) >= 35  # the daily reports demo raises a few more
    assert {d.community.name for d in disputes} == {"花楼社区", "水塔社区"}
    assert set(Counter(d.state for d in disputes)) == set(State.values)
    assert set(Counter(d.grade for d in disputes)) == set(Grade.values)
    month = [d for d in disputes if d.registered_at >= now - timedelta(days=31)]
    assert len(month) >= 0.85 * len(disputes)
    assert all(d.registered_at >= now - timedelta(days=61) for d in disputes)


def _assert_history_adds_up(disputes: list[Dispute], now) -> None:
    for dispute in disputes:
        events = list(dispute.events.order_by("at", "id"))
        assert events[0].action == "register" and events[0].at == dispute.registered_at
        moves = [e for e in events if e.to_state]
        assert moves[-1].to_state == dispute.state, dispute.pk
        for before, after in pairwise(events):
            assert before.at <= after.at <= now, dispute.pk
    closed = [d for d in disputes if d.state == State.CLOSED]
    assert closed and all(d.followed_up_at and d.followup_note for d in closed)


def _assert_grade_rules_at_work(disputes: list[Dispute]) -> None:
    reasons = Counter(reason for d in disputes for reason in d.grade_reasons)
    # the same neighbours again within 90 days, and a party in the care register
    assert reasons["repeat_within_90"] >= 1 and reasons["vulnerable"] >= 1
    repeat = next(d for d in disputes if "repeat_within_90" in d.grade_reasons)
    assert repeat.grade == Grade.YELLOW
    # 三所联动: a red dispute taken on is handled with the police station and the
    # judicial office serving its place
    red = [d for d in disputes if d.grade == Grade.RED and d.state != State.REGISTERED]
    assert red and all({UnitKind.POLICE, UnitKind.JUDICIAL} <= set(
        d.joint_units.values_list("kind", flat=True)) for d in red)


def _assert_outcomes(now) -> None:
    assert Dispute.objects.filter(CLOCKS.overdue_q(now)).count() >= 2
    agreements = Agreement.objects.all()
    assert agreements.count() >= 8
    assert agreements.filter(judicial_applied_on__isnull=False).count() >= 2
    assert agreements.filter(performed=True).exists()
    assert {r.to for r in Referral.objects.all()} >= {"court", "department"}
    assert Dispute.objects.filter(sessions__isnull=False).distinct().count() >= 15
    from_case = Dispute.objects.get(source="case")
    assert from_case.case is not None and from_case.case.disputes.get() == from_case


def _assert_parties_and_people() -> None:
    residents = Party.objects.filter(resident__isnull=False).count()
    outsiders = Party.objects.filter(resident__isnull=True).count()
    assert residents > outsiders >= 3
    mediator_b = User.objects.get(username="mediator_b")
    theirs = dispute_list(actor=mediator_b)
    assert theirs.exists() and {d.community.name for d in theirs} == {"水塔社区"}
    # The mediator of 花楼社区 prints an agreement of the demo.
    mediator = User.objects.get(username="mediator")
    agreed = dispute_list(actor=mediator).filter(agreement__isnull=False).first()
    assert agreed is not None
    assert agreement_print(actor=mediator, dispute=agreed).content.startswith(b"%PDF")
