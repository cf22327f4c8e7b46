"""Builders for dispute tests: every dispute is made through the real services."""

from typing import cast

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.disputes import services
from linli.disputes.models import Dispute, Kind, PartyRole, Source
from linli.disputes.services import PartyInput


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
    fields = {"actor": actor or world.gina, "area": area or world.building_a,
              "kind": Kind.NEIGHBOUR, "summary": "楼上漏水，楼下要求赔偿，双方争执",
              "people_involved": 2, "source": Source.DAILY_REPORT,
              "parties": parties if parties is not None else outsiders()} | overrides
    return services.dispute_register(**fields)
