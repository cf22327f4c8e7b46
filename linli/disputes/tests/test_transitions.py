"""Every move of the table, allowed and forbidden: from each state, by each role (gina
grid worker, alice dispatcher, mia mediator, leo street leader, bob dispatcher of another
community), for green and yellow disputes; and the rules a move's data adds."""

from typing import Any

import pytest
from django.utils.timezone import localdate

from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.disputes import services
from linli.disputes.models import Event, Grade, Referral, State
from linli.disputes.tests.factories import dispute, in_state, mediator
from linli.disputes.transitions import TABLE

pytestmark = pytest.mark.django_db

# The spec's table, written out again: the test fails if transitions.py drifts from it.
SOURCES: dict[str, set[str]] = {
    "accept": {State.REGISTERED},
    "mediate": {State.ACCEPTED},
    "agree": {State.MEDIATING},
    "withdraw": {State.REGISTERED, State.ACCEPTED, State.MEDIATING},
    "fail": {State.MEDIATING},
    "refer": {State.ACCEPTED, State.MEDIATING, State.FAILED},
    "follow_up": {State.AGREED, State.WITHDRAWN, State.FAILED, State.REFERRED},
    "close": {State.AGREED, State.WITHDRAWN, State.FAILED, State.REFERRED},
    "regrade": set(State.values) - {State.CLOSED},
    "reassign": {State.ACCEPTED, State.MEDIATING},
}
TARGET = {"accept": State.ACCEPTED, "mediate": State.MEDIATING, "agree": State.AGREED,
          "withdraw": State.WITHDRAWN, "fail": State.FAILED, "refer": State.REFERRED,
          "close": State.CLOSED}

COORDINATORS = frozenset({"alice", "mia", "leo"})
HANDLER_MOVES = ("mediate", "agree", "withdraw", "fail", "refer", "follow_up")
WHO: dict[str, dict[str, frozenset[str]]] = {  # grade → action → who may
    Grade.GREEN: {
        **dict.fromkeys(("accept", "regrade", "reassign"), COORDINATORS),
        **dict.fromkeys((*HANDLER_MOVES, "close"), frozenset({"gina", "alice", "mia"})),
    },
    Grade.YELLOW: {
        **dict.fromkeys(("accept", "regrade", "reassign"), COORDINATORS),
        **dict.fromkeys(HANDLER_MOVES, frozenset({"alice", "mia"})),
        "close": frozenset({"alice", "mia", "leo"}),  # never the grid worker alone
    },
}
ACTORS = ("gina", "alice", "mia", "leo", "bob")
# Where each action is tried when only the actor varies.
HOME = {"accept": State.REGISTERED, "mediate": State.ACCEPTED, "agree": State.MEDIATING,
        "withdraw": State.ACCEPTED, "fail": State.MEDIATING, "refer": State.MEDIATING,
        "follow_up": State.AGREED, "close": State.AGREED, "regrade": State.REGISTERED,
        "reassign": State.ACCEPTED}


def test_the_table_is_the_spec():
    assert {a: set(m.sources) for a, m in TABLE.items() if a != "escalate"} == SOURCES
    assert {a: m.target for a, m in TABLE.items() if m.target} == TARGET


def followed_up(world, d, action: str):
    """Closing needs the follow-up first: record it before trying to close."""
    if action == "close" and d.state in SOURCES["close"]:
        services.dispute_transition(actor=world.alice, dispute=d, action="follow_up",
                                    note="已回访")
    return d


def act(world, who: str, d, action: str) -> Any:
    actor = getattr(world, who)
    if action == "regrade":
        other = Grade.YELLOW if d.grade == Grade.GREEN else Grade.RED
        return services.dispute_regrade(actor=actor, dispute=d, grade=other, note="人数增加")
    inputs: dict[str, Any] = {"note": "已核实"}
    if action == "reassign":
        inputs["owner_id"] = world.alice.pk if d.owner_id != world.alice.pk else world.mia.pk
    if action == "accept" and d.grade != Grade.GREEN:
        inputs["owner_id"] = world.mia.pk
    if action == "refer":
        inputs |= {"referral_to": "arbitration", "referral_name": "江汉区劳动仲裁委员会"}
    return services.dispute_transition(actor=actor, dispute=d, action=action, **inputs)


@pytest.fixture
def staff(world):
    world.mia = mediator(world)
    return world


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", sorted(SOURCES))
def test_each_action_from_each_state(staff, action, state):
    d = followed_up(staff, in_state(staff, state, mia=staff.mia), action)
    before = Event.objects.filter(dispute=d).count()
    if state in SOURCES[action]:
        act(staff, "alice", d, action)
        d.refresh_from_db()
        assert d.state == TARGET.get(action, state)
        assert Event.objects.filter(dispute=d, action=action).exists()
    else:
        with pytest.raises(ValidationFailed) as caught:
            act(staff, "alice", d, action)
        assert caught.value.code == "transition_not_allowed"
        assert Event.objects.filter(dispute=d).count() == before


@pytest.mark.parametrize("grade", [Grade.GREEN, Grade.YELLOW])
@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", sorted(SOURCES))
def test_each_action_by_each_role(staff, action, who, grade):
    d = followed_up(staff, in_state(staff, HOME[action], grade=grade, mia=staff.mia), action)
    version = d.version
    if who == "bob":  # another community's dispatcher: the dispute is not there for him
        with pytest.raises(NotFound):
            act(staff, who, d, action)
    elif who in WHO[grade][action]:
        act(staff, who, d, action)
        d.refresh_from_db()
        assert d.version > version
        return
    else:
        with pytest.raises(PermissionDenied):
            act(staff, who, d, action)
    d.refresh_from_db()
    assert d.version == version and d.state == HOME[action]


def test_the_sweep_alone_escalates(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    with pytest.raises(PermissionDenied):
        services.dispute_transition(actor=staff.alice, dispute=d, action="escalate")


# --- what a move's data adds ---------------------------------------------------------------

def test_accept_gives_green_to_the_registering_grid_worker(staff):
    d = dispute(staff)
    services.dispute_transition(actor=staff.alice, dispute=d, action="accept")
    assert d.owner == staff.gina and d.mediate_due_at is not None


def test_accept_green_registered_by_a_dispatcher_goes_to_the_dispatcher(staff):
    d = dispute(staff, actor=staff.alice)
    services.dispute_transition(actor=staff.mia, dispute=d, action="accept")
    assert d.owner == staff.mia


def test_accept_yellow_needs_a_named_mediator_unless_a_mediator_accepts(staff):
    d = dispute(staff, people_involved=6)
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="accept")
    assert caught.value.code == "owner_required" and d.state == State.REGISTERED
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="accept",
                                    owner_id=staff.gina.pk)
    assert caught.value.code == "bad_owner"
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="accept",
                                    owner_id=staff.bob.pk)
    assert caught.value.code == "bad_owner"
    services.dispute_transition(actor=staff.mia, dispute=d, action="accept")
    assert d.owner == staff.mia and d.state == State.ACCEPTED


def test_a_grid_worker_cannot_close_yellow_even_as_owner(staff):
    d = in_state(staff, State.AGREED, mia=staff.mia)  # green, owned by gina
    services.dispute_regrade(actor=staff.alice, dispute=d, grade=Grade.YELLOW,
                             note="双方矛盾升级")
    services.dispute_transition(actor=staff.gina, dispute=d, action="follow_up",
                                note="已回访")
    with pytest.raises(PermissionDenied):
        services.dispute_transition(actor=staff.gina, dispute=d, action="close")
    services.dispute_transition(actor=staff.mia, dispute=d, action="close")
    assert d.state == State.CLOSED


def test_close_without_follow_up_is_refused(staff):
    d = in_state(staff, State.AGREED, mia=staff.mia)
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="close")
    assert caught.value.code == "followup_required" and d.state == State.AGREED


def test_follow_up_needs_a_note_stops_the_clock_and_is_recorded_once(staff):
    d = in_state(staff, State.AGREED, mia=staff.mia)
    assert d.followup_due_at is not None and d.resolved is True
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="follow_up")
    assert caught.value.code == "note_required"
    services.dispute_transition(actor=staff.alice, dispute=d, action="follow_up",
                                note="协议已履行")
    assert d.followed_up_at is not None and d.followup_note == "协议已履行"
    assert d.followup_due_at is None
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="follow_up",
                                    note="再次回访")
    assert caught.value.code == "followed_up_already"


def test_agree_without_agreement_is_refused(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    services.session_add(actor=staff.alice, dispute=d, held_on=localdate(),
                         mediator_id=staff.mia.pk, attendees="双方", record="第一次调解")
    assert d.state == State.MEDIATING  # the first session starts the mediation
    with pytest.raises(ValidationFailed) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="agree")
    assert caught.value.code == "agreement_required"
    d.refresh_from_db()
    assert d.state == State.MEDIATING and d.resolved is None


@pytest.mark.parametrize(("state", "action"), [(State.ACCEPTED, "withdraw"),
                                               (State.MEDIATING, "fail"),
                                               (State.MEDIATING, "refer")])
def test_other_endings_are_not_resolved(staff, state, action):
    d = in_state(staff, state, mia=staff.mia)
    act(staff, "alice", d, action)
    assert d.resolved is False and d.followup_due_at is not None


def test_refer_records_the_referral_and_refuses_bad_input(staff):
    d = in_state(staff, State.MEDIATING, mia=staff.mia)
    for to, name, code in (("moon", "x", "bad_referral_to"),
                           ("court", " ", "referral_name_required"),
                           ("court", "法" * 101, "referral_name_too_long")):
        with pytest.raises(ValidationFailed) as caught:
            services.dispute_transition(actor=staff.alice, dispute=d, action="refer",
                                        note="涉及劳动关系", referral_to=to,
                                        referral_name=name)
        assert caught.value.code == code
    assert not Referral.objects.exists() and d.state == State.MEDIATING
    services.dispute_transition(actor=staff.alice, dispute=d, action="refer",
                                note="涉及劳动关系", referral_to="court",
                                referral_name="江汉区人民法院")
    referral = Referral.objects.get(dispute=d)
    assert (referral.to, referral.to_name, referral.referred_by) == (
        "court", "江汉区人民法院", staff.alice)


def test_reassign_needs_an_owner_who_may_handle_the_grade(staff):
    d = in_state(staff, State.ACCEPTED, grade=Grade.YELLOW, mia=staff.mia)
    for owner_id, code in ((None, "owner_required"), (staff.gina.pk, "bad_owner"),
                           (staff.mia.pk, "same_owner"), (staff.bob.pk, "bad_owner")):
        with pytest.raises(ValidationFailed) as caught:
            services.dispute_transition(actor=staff.alice, dispute=d, action="reassign",
                                        note="调岗", owner_id=owner_id)
        assert caught.value.code == code
    services.dispute_transition(actor=staff.alice, dispute=d, action="reassign",
                                note="调岗", owner_id=staff.alice.pk)
    assert d.owner == staff.alice
    assert Event.objects.get(dispute=d, action="reassign").data == {
        "owner": staff.alice.pk, "from_owner": staff.mia.pk}


def test_regrade_needs_a_reason_and_a_different_grade(staff):
    d = dispute(staff)
    for grade, note, code in ((Grade.YELLOW, "", "note_required"),
                              (Grade.GREEN, "理由", "same_grade"),
                              ("purple", "理由", "bad_grade")):
        with pytest.raises(ValidationFailed) as caught:
            services.dispute_regrade(actor=staff.alice, dispute=d, grade=grade, note=note)
        assert caught.value.code == code
    d.refresh_from_db()
    assert d.grade == Grade.GREEN and not d.grade_overridden
    services.dispute_regrade(actor=staff.alice, dispute=d, grade=Grade.YELLOW,
                             note="涉及多户")
    assert d.grade == Grade.YELLOW and d.grade_overridden and d.computed_grade == Grade.GREEN
    event = Event.objects.get(dispute=d, action="regrade")
    assert event.data == {"from": "green", "to": "yellow"} and event.note == "涉及多户"
    assert AuditEntry.objects.filter(action="dispute.regrade").count() == 1


def test_regrade_is_not_a_plain_move(staff):
    d = dispute(staff)
    with pytest.raises(ValidationFailed):
        services.dispute_transition(actor=staff.alice, dispute=d, action="regrade",
                                    note="x")


def test_stale_version_is_a_conflict(staff):
    d = dispute(staff)
    with pytest.raises(Conflict) as caught:
        services.dispute_transition(actor=staff.alice, dispute=d, action="accept",
                                    expected_version=d.version - 1 or 99)
    assert caught.value.code == "stale" and d.state == State.REGISTERED


def test_a_lost_race_is_a_conflict_and_writes_nothing(staff):
    d = dispute(staff)
    seen = type(d).objects.get(pk=d.pk)  # what the second actor loaded
    services.dispute_transition(actor=staff.alice, dispute=d, action="accept")
    with pytest.raises((Conflict, ValidationFailed)):
        services.dispute_transition(actor=staff.mia, dispute=seen, action="withdraw",
                                    note="撤回")
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and not Event.objects.filter(action="withdraw").exists()


def test_moves_are_audited_without_party_data(staff):
    d = in_state(staff, State.CLOSED, mia=staff.mia)
    actions = set(AuditEntry.objects.filter(object_id=str(d.pk))
                  .values_list("action", flat=True))
    assert {"dispute.accept", "dispute.mediate", "dispute.agreement", "dispute.agree",
            "dispute.follow_up", "dispute.close"} <= actions
    for entry in AuditEntry.objects.all():
        assert "王大伟" not in str(entry.changes) and "13900000000" not in str(entry.changes)
