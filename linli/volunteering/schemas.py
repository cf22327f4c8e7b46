"""Shapes of the volunteering API. Parsing and presentation only: what is allowed lives in
services, selectors and permissions."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id, Int16, Int32
from linli.volunteering.workflow import CLAIMS, TASKS


class WishIn(Schema):
    area_id: Id
    category: str = Field(max_length=16)
    description: str
    starts_at: datetime
    ends_at: datetime
    address: str = Field("", max_length=200)


class WishOut(Schema):
    id: int
    state: str
    category: str
    description: str
    community_id: int
    area_id: int
    area_name: str
    address: str
    starts_at: datetime
    ends_at: datetime
    requester: str
    created_at: datetime
    decline_reason: str
    task_id: int | None

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_requester(obj) -> str:
        return str(obj.requester)

    @staticmethod
    def resolve_task_id(obj) -> int | None:
        task = getattr(obj, "task", None)
        return task.pk if task is not None else None


class PublishIn(Schema):
    title: str = Field("", max_length=100)
    volunteers_needed: Int16 = 1
    points_offered: Int32 = 0
    description: str = ""


class NoteIn(Schema):
    note: str = ""


class TaskIn(Schema):
    area_id: Id
    title: str = Field(max_length=100)
    kind: str = Field(max_length=16)
    starts_at: datetime
    ends_at: datetime
    volunteers_needed: Int16
    points_offered: Int32 = Field(0, description="0: points per hour by the community's rule.")
    description: str = ""
    address: str = Field("", max_length=200)
    publish: bool = True


class TaskOut(Schema):
    id: int
    state: str
    kind: str
    title: str
    description: str
    community_id: int
    area_id: int
    area_name: str
    address: str
    starts_at: datetime
    ends_at: datetime
    volunteers_needed: int
    claimed_count: int
    places_left: int
    points_offered: int
    source_wish_id: int | None
    allowed_actions: list[str] = Field(description="Staff actions the caller may take now.")

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        actor = context["request"].user
        return TASKS.actions_for(actor, obj)


class ClaimOut(Schema):
    id: int
    state: str
    task_id: int
    task_title: str
    volunteer_id: int
    volunteer: str
    claimed_at: datetime
    check_in_at: datetime | None
    check_out_at: datetime | None
    reported_hours: Decimal | None
    confirmed_hours: Decimal | None
    confirmed_at: datetime | None
    rating: int | None
    rating_comment: str
    points: int
    allowed_actions: list[str] = Field(description="Actions the caller may take now.")

    @staticmethod
    def resolve_task_title(obj) -> str:
        return obj.task.title

    @staticmethod
    def resolve_volunteer(obj) -> str:
        return str(obj.volunteer)

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        actor = context["request"].user
        return CLAIMS.actions_for(actor, obj)


class HoursIn(Schema):
    hours: Decimal


class ConfirmIn(Schema):
    hours: Decimal | None = Field(None, description="Defaults to the hours reported.")
    rating: Int16 | None = Field(None, description="1 to 5; optional here, or rate later.")
    comment: str = ""


class RateIn(Schema):
    rating: Int16
    comment: str = ""


class SkillOut(Schema):
    code: str
    name: str


class ProfileIn(Schema):
    skills: list[str] = Field(default_factory=list, description="Skill codes.")
    availability: str = ""
    grid_id: Id | None = None


class ProfileOut(Schema):
    user_id: int
    name: str
    skills: list[SkillOut]
    availability: str
    grid_id: int | None
    grid_name: str
    total_hours: Decimal
    rating_count: int
    average_rating: Decimal | None

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skills.all()) if obj.pk else []

    @staticmethod
    def resolve_grid_name(obj) -> str:
        return obj.grid.name if obj.grid_id else ""


class VolunteerOut(Schema):
    """One volunteer found by the staff search (serialized from the user)."""

    user_id: int
    name: str
    skills: list[SkillOut]
    grid_name: str
    total_hours: Decimal
    average_rating: Decimal | None

    @staticmethod
    def resolve_user_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_skills(obj) -> list:
        profile = getattr(obj, "volunteer_profile", None)
        return list(profile.skills.all()) if profile else []

    @staticmethod
    def resolve_grid_name(obj) -> str:
        profile = getattr(obj, "volunteer_profile", None)
        return profile.grid.name if profile and profile.grid_id else ""

    @staticmethod
    def resolve_total_hours(obj) -> Decimal:
        profile = getattr(obj, "volunteer_profile", None)
        return profile.total_hours if profile else Decimal(0)

    @staticmethod
    def resolve_average_rating(obj) -> Decimal | None:
        profile = getattr(obj, "volunteer_profile", None)
        return profile.average_rating if profile else None


class HonourOut(Schema):
    rank: int
    volunteer_id: int
    name: str
    hours: Decimal
    tasks: int
