"""Shapes of the members API (docs/openapi.json). Party data (names, memberships, hours)
is only ever served to party-work staff of its place and to the member themselves: the
selectors decide who gets a row at all."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.party import permissions
from linli.party.models import DualRegistration, Organisation
from linli.party.workflow import REGISTRATIONS


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    level: int
    parent_id: int | None
    area_id: int
    area_name: str
    unit_id: int | None
    is_active: bool
    member_count: int | None = Field(description="Current members (party staff only).")

    @staticmethod
    def resolve_area_name(obj: Organisation) -> str:
        return obj.area.name

    @staticmethod
    def resolve_member_count(obj: Organisation, context) -> int | None:
        if not permissions.keeps(context["request"].user, obj.area_path):
            return None
        return obj.memberships.filter(until__isnull=True).count()


class PartyMemberOut(Schema):
    id: int
    name: str
    kind: str
    employer: str
    community_id: int
    joined_party_on: date | None
    left_on: date | None
    organisation_ids: list[int]

    @staticmethod
    def resolve_organisation_ids(obj) -> list[int]:
        return list(obj.memberships.filter(until__isnull=True)
                    .values_list("organisation_id", flat=True))


class RegistrationIn(Schema):
    employer: str = Field(max_length=100, description="Where the member works.")
    employer_org: str = Field("", max_length=100,
                              description="The party organisation at work.")
    post_ids: list[Id] = Field(default_factory=list, max_length=20,
                               description="Posts of the home community open to in-service "
                               "members.")
    note: str = Field("", max_length=500)


class RegistrationActionIn(Schema):
    note: str = Field("", max_length=2000, description="decline, end: the reason (required).")
    expected_version: Int32 | None = None


class RegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str
    community_id: int
    employer_org: str
    reported_on: date
    state: str
    version: int
    post_ids: list[int]
    actions: list[str] = Field(description="The moves the caller may take now.")

    @staticmethod
    def resolve_member_name(obj: DualRegistration) -> str:
        return obj.member.name

    @staticmethod
    def resolve_post_ids(obj: DualRegistration) -> list[int]:
        return list(obj.posts_chosen.values_list("pk", flat=True))

    @staticmethod
    def resolve_actions(obj: DualRegistration, context) -> list[str]:
        return REGISTRATIONS.actions_for(context["request"].user, obj)


class PostOut(Schema):
    id: int
    community_id: int
    name: str
    duties: str
    open_to_dual: bool
    places: int | None
    held: int
    task_id: int | None
    activity_id: int | None


class HoursOut(Schema):
    member_id: int
    member_name: str
    recorded: Decimal
    volunteered: Decimal
    total: Decimal
    expected: Decimal
    behind: bool


class ServiceSummaryOut(Schema):
    year: int
    target: int
    expected: Decimal
    total: Decimal
    behind: int
    members: list[HoursOut]
