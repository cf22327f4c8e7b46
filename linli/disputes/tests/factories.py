"""Builders for dispute tests: every dispute is made through the real services."""

from typing import Any, cast

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.disputes import services
from linli.disputes.models import Dispute, GradeRule, Kind, KindLimit, PartyRole, Source
from linli.disputes.services import PartyInput
from linli.disputes.shipped import ship_defaults


def mediator(world, username: str = "mia", area=None):
    """A mediator of community A (the world fixture has none)."""
    user = cast(User, UserFactory(username=username))
    assign(user, Role.MEDIATOR, area or world.community_a)
    return user


def outsiders(*names: str) -> list[PartyInput]:
    roles = [PartyRole.APPLICANT, PartyRole.RESPONDENT]
    return [PartyInput(role=roles[min(i, 1)], name=name, phone=f"1390000{i:04d}")
            for i, name in enumerate(names or ("王大伟", "李小红"))]


def dispute(world, *, actor=None, area=None, parties=None, **overrides) -> Dispute:
    # A transactional test empties every table, the seeded rules included.
    ship_defaults(GradeRule, KindLimit)
    fields = {"actor": actor or world.gina, "area": area or world.building_a,
              "kind": Kind.NEIGHBOUR, "summary": "楼上漏水，楼下要求赔偿，双方争执",
              "people_involved": 2, "source": Source.DAILY_REPORT,
              "parties": parties if parties is not None else outsiders()} | overrides
    return services.dispute_register(**fields)


# --- walking a dispute through the table, by the real services --------------------------

AGREEMENT = {"facts": "楼上卫生间漏水致楼下天花板受损", "responsibilities": "楼上住户负主要责任",
             "terms": "楼上住户赔偿维修费800元并修复防水", "performance_manner": "现金一次付清"}


def agreement(actor, d: Dispute, **overrides):
    from django.utils import timezone
    today = timezone.localdate(overrides.pop("now", None) or timezone.now())
    fields: dict[str, Any] = {**AGREEMENT, "performance_deadline": today,
                              "signed_on": today} | overrides
    return services.agreement_save(actor=actor, dispute=d, **fields)


def in_state(world, state: str, *, grade: str = "green", mia=None, now=None, **register):
    """A dispute registered by gina (green: 2 people; yellow: 5) walked to `state`: green
    owned by gina, yellow by the mediator `mia`; in mediation with a session and an
    agreement; ended states by agreement, withdrawal, failure or referral."""
    from django.utils import timezone

    from linli.disputes.models import ReferralTo, State
    now = now or timezone.now()
    mia = mia or User.objects.filter(username="mia").first() or mediator(world)
    people = 5 if grade == "yellow" else 2
    d = dispute(world, people_involved=people, now=now, **register)
    if state == State.REGISTERED:
        return d
    acceptor = mia if grade == "yellow" else world.alice
    services.dispute_transition(actor=acceptor, dispute=d, action="accept", now=now)
    if state == State.ACCEPTED:
        return d
    if state in (State.WITHDRAWN, State.REFERRED):
        if state == State.WITHDRAWN:
            services.dispute_transition(actor=world.alice, dispute=d, action="withdraw",
                                        note="双方自行和解", now=now)
        else:
            services.dispute_transition(actor=world.alice, dispute=d, action="refer",
                                        note="涉及产权", referral_to=ReferralTo.COURT,
                                        referral_name="江汉区人民法院", now=now)
        return d
    services.session_add(actor=world.alice, dispute=d, held_on=timezone.localdate(now),
                         mediator_id=mia.pk, attendees="双方当事人",
                         record="双方陈述，达成初步意见", now=now)
    agreement(world.alice, d, now=now)
    d.refresh_from_db()
    if state == State.MEDIATING:
        return d
    if state == State.FAILED:
        services.dispute_transition(actor=world.alice, dispute=d, action="fail",
                                    note="分歧过大", now=now)
        return d
    services.dispute_transition(actor=world.alice, dispute=d, action="agree", now=now)
    if state == State.CLOSED:
        services.dispute_transition(actor=world.alice, dispute=d, action="follow_up",
                                    note="已回访，协议已履行", now=now)
        services.dispute_transition(actor=world.alice, dispute=d, action="close", now=now)
    return d
