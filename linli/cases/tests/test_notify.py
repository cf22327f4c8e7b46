"""Who hears about each case event (cases/notify.py), exactly, and who never does."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import CaseEvent
from linli.cases.notify import case_event_notify
from linli.cases.services import case_report, case_transition, extension_decide, extension_request
from linli.cases.supervision import supervise_overdue
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _user(username: str, role: str, area, unit=None) -> Any:
    user = UserFactory(username=username)
    assign(user, role, area, unit=unit)  # type: ignore[arg-type]
    return user


def heard(case, action: str) -> set[str]:
    """Run the notify task for the case's latest `action` event; who got a notification."""
    event = case.events.filter(action=action).order_by("-id").first()
    case_event_notify(event.pk)
    return set(Notification.objects.filter(source_key=f"case_event:{event.pk}")
               .values_list("recipient__username", flat=True))


def step(case, world, *moves):
    for who, action, data in moves:
        case = case_transition(actor=getattr(world, who), case=case, action=action, **data)
    return case


Moves = list[tuple[str, str, dict[str, Any]]]
DISPATCH: Moves = [("alice", "accept", {}), ("alice", "dispatch", {})]
IN_PROGRESS: Moves = [*DISPATCH, ("uma", "acknowledge", {})]
RESOLVED: Moves = [*IN_PROGRESS, ("uma", "resolve", {"note": "已更换水管"})]
CLOSED: Moves = [*RESOLVED, ("gina", "verify", {}), ("alice", "close", {})]


@pytest.fixture
def moves(world):
    def fill(seq):
        return [(w, a, {**d, "unit": world.unit_a} if a == "dispatch" else d)
                for w, a, d in seq]
    return fill


def test_report_tells_the_dispatchers_of_the_community(world, reported):
    assert heard(reported, "report") == {"alice"}


def test_dispatch_tells_every_member_of_the_unit(world, reported, moves):
    _user("ulf", Role.UNIT_MEMBER, world.community_a, unit=world.unit_a)
    case = step(reported, world, *moves(DISPATCH))
    assert heard(case, "dispatch") == {"uma", "ulf"}


def test_return_tells_the_dispatchers(world, reported, moves):
    case = step(reported, world, *moves(DISPATCH), ("uma", "return", {"note": "不归我们管"}))
    assert heard(case, "return") == {"alice"}


def test_resolve_asks_the_grid_worker_and_the_reporter_to_verify(world, reported, moves):
    case = step(reported, world, *moves(RESOLVED))
    assert heard(case, "resolve") == {"gina", "rita"}


def test_fail_tells_the_unit_to_rework(world, reported, moves):
    case = step(reported, world, *moves(RESOLVED), ("gina", "fail", {"note": "仍在漏水"}))
    assert heard(case, "fail") == {"uma"}


def test_close_asks_the_reporter_to_rate_and_tells_duplicates_reporters(world, reported,
                                                                        leak, moves):
    rosa = _user("rosa", Role.RESIDENT, world.dwelling_a)
    duplicate = case_report(actor=rosa, category=leak, area=world.dwelling_a,
                            description="楼道里有水")
    case_transition(actor=world.alice, case=duplicate, action="merge", master=reported)
    case = step(reported, world, *moves(CLOSED))
    assert heard(case, "close") == {"rita", "rosa"}
    note = Notification.objects.get(recipient=rosa)
    assert (note.kind, note.link, note.subject_type, note.subject_id) == (
        "case.closed", f"/cases/{case.pk}/", "cases.case", case.pk)
    rate = Notification.objects.get(recipient=world.rita, kind="case.rate")
    assert (rate.subject_type, rate.subject_id) == ("cases.case", case.pk)


def test_advise_and_reject_tell_the_reporter(world, reported, leak):
    world.rita.language = "en"
    world.rita.save()
    case = case_transition(actor=world.alice, case=reported, action="advise",
                           note="请自行联系房东")
    assert heard(case, "advise") == {"rita"}
    other = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                        description="另一件事")
    other = case_transition(actor=world.alice, case=other, action="reject", note="重复上报")
    assert heard(other, "reject") == {"rita"}
    assert Notification.objects.get(kind="case.rejected").body == "Reason: 重复上报"


def test_rate_tells_the_unit_and_the_dispatchers_with_the_rating(world, reported, moves):
    world.uma.language = "en"
    world.uma.save()
    case = step(reported, world, *moves(CLOSED),
                ("rita", "rate", {"rating": "satisfied", "comment": "很快"}))
    assert heard(case, "rate") == {"uma", "alice"}
    titles = dict(Notification.objects.filter(kind="case.rated")
                  .values_list("recipient__username", "title"))
    # uma asked for English; alice reads the default, Chinese.
    assert titles["uma"] == f"Case #{case.pk} was rated: satisfied"
    assert "满意" in titles["alice"] and f"#{case.pk}" in titles["alice"]


def test_reopen_tells_the_dispatchers(world, reported, moves):
    case = step(reported, world, *moves(CLOSED), ("rita", "rate", {"rating": "unsatisfied"}),
                ("rita", "reopen", {"note": "还在漏"}))
    assert heard(case, "reopen") == {"alice"}


def test_extension_request_and_decision(world, reported, moves):
    case = step(reported, world, *moves(IN_PROGRESS))
    extension = extension_request(actor=world.uma, case=case, amount=Decimal("4"),
                                  reason="等配件")
    assert heard(case, "extension_request") == {"alice"}
    extension_decide(actor=world.alice, extension=extension, approve=True)
    assert heard(case, "extension_approve") == {"uma"}


def test_extension_denied_tells_the_unit(world, reported, moves):
    case = step(reported, world, *moves(IN_PROGRESS))
    extension = extension_request(actor=world.uma, case=case, amount=Decimal("4"),
                                  reason="等配件")
    extension_decide(actor=world.alice, extension=extension, approve=False, note="请按期")
    assert heard(case, "extension_deny") == {"uma"}


def test_supervision_tells_unit_dispatchers_and_the_supervising_leaders(world, reported,
                                                                         moves):
    world.unit_a.supervisor_area = world.street
    world.unit_a.save()
    _user("lena", Role.LEADER, world.district)  # a leader elsewhere hears nothing
    case = step(reported, world, *moves(IN_PROGRESS))
    assert supervise_overdue(now=case.handle_due_at + timedelta(days=365)) == 1
    assert heard(case, "supervise") == {"uma", "alice", "leo"}


def test_supervision_of_acceptance_tells_the_dispatchers(world, reported):
    assert supervise_overdue(now=reported.accept_due_at + timedelta(days=365)) == 1
    assert heard(reported, "supervise") == {"alice"}


@pytest.mark.parametrize("action", ["accept", "acknowledge", "verify"])
def test_some_steps_tell_nobody(world, reported, moves, action):
    seq = {"accept": DISPATCH[:1], "acknowledge": IN_PROGRESS,
           "verify": [*RESOLVED, ("gina", "verify", {})]}[action]
    case = step(reported, world, *moves(seq))
    assert heard(case, action) == set()


def test_the_actor_is_never_told_of_their_own_act(world, leak):
    # alice reports (as a dispatcher may) and then advises on her own case: nobody else
    # is involved, so nobody is notified, least of all alice.
    case = case_report(actor=world.alice, category=leak, area=world.dwelling_a,
                       description="楼道灯坏了")
    assert heard(case, "report") == set()
    case = case_transition(actor=world.alice, case=case, action="advise", note="请联系物业")
    assert heard(case, "advise") == set()
    assert Notification.objects.count() == 0


def test_the_reporter_who_is_also_the_grid_worker_is_told_once(world, leak, moves):
    case = case_report(actor=world.gina, category=leak, area=world.dwelling_a,
                       description="巡查发现水管漏水", channel="grid_patrol")
    case = step(case, world, *moves(RESOLVED))
    assert heard(case, "resolve") == {"gina"}
    assert Notification.objects.filter(kind="case.verify").count() == 1


def test_running_the_task_twice_notifies_nobody_twice(world, reported):
    event = CaseEvent.objects.get(case=reported, action="report")
    case_event_notify(event.pk)
    case_event_notify(event.pk)
    assert Notification.objects.count() == 1


def test_the_message_names_and_links_the_case(world, reported, moves):
    world.uma.language = "en"
    world.uma.save()
    case = step(reported, world, *moves(DISPATCH))
    heard(case, "dispatch")
    note = Notification.objects.get(kind="case.assigned")
    assert note.title == f"New assignment: case #{case.pk} {case.title}"
    assert note.link == f"/cases/{case.pk}/"
    assert (note.subject_type, note.subject_id) == ("cases.case", case.pk)


def test_other_communities_never_hear(world, reported, moves):
    case = step(reported, world, *moves(CLOSED), ("rita", "rate", {"rating": "basic"}))
    for event in case.events.all():
        case_event_notify(event.pk)
    assert not Notification.objects.filter(
        recipient__username__in=["bob", "leo", "ada", "nobody"]).exists()
