"""Shapes of the activities API (docs/openapi.json). Parsing and presentation only: the
rules live in services and selectors. A resident sees only their household's sign-ups;
the door code is shown only to the organisers."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema

from linli.community import permissions
from linli.community.models import Activity, ActivityPhoto, SignUp
from linli.community.selectors_activities import phase
from linli.community.workflow import ACTIVITIES
from linli.core.bounds import Id, Int32

# --- in ----------------------------------------------------------------------------------


class ActivityIn(Schema):
    area_id: Id = Field(description="A street, community, grid, estate or building the "
                        "caller manages.")
    title: str = Field(max_length=80)
    kind: str = Field(max_length=16, description="festival, lecture, clinic, drill, "
                      "training, volunteer_day, culture, care or other.")
    description: str = Field("", max_length=4000)
    organiser: str = Field("staff", max_length=12, description="staff, partner or group.")
    organiser_name: str = Field("", max_length=80)
    venue: str = Field(max_length=120)
    starts_at: datetime
    ends_at: datetime
    signup_opens_at: datetime
    signup_closes_at: datetime
    capacity: Int32 = Field(description="1 to 2000 places.")
    care_tag_id: Id | None = Field(None, description="Only for residents with this care tag.")


class ActivityUpdateIn(ActivityIn):
    expected_version: Int32 | None = Field(None, description="The version the client read; "
                                           "a newer activity answers 409 `stale`.")


class ActivityActionIn(Schema):
    note: str = Field("", max_length=2000, description="cancel: the reason (required), "
                      "told to every sign-up.")
    report: str = Field("", max_length=4000, description="report: the text (required).")
    expected_version: Int32 | None = None


class ActivitySignUpIn(Schema):
    resident_id: Id = Field(description="A registry resident: the caller, a member of their "
                            "household, or (staff serving the place) anyone of the audience.")


class ActivityCheckInIn(Schema):
    code: str = Field(max_length=8, description="The code shown at the door.")
    signup_ids: list[Id] | None = Field(None, max_length=50, description="Only these of the "
                                        "household's sign-ups; all of them by default.")


# --- out ---------------------------------------------------------------------------------

class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    version: int
    area_id: int
    area_name: str
    care_tag_id: int | None
    organiser: str
    organiser_name: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    signup_opens_at: datetime
    signup_closes_at: datetime
    capacity: int
    taken: int
    phase: str  # where a published activity stands now, in words (open, full, under way …)

    @staticmethod
    def resolve_area_name(obj: Activity) -> str:
        return obj.area.name

    @staticmethod
    def resolve_phase(obj: Activity) -> str:
        return phase(obj)


class ActivitySignUpOut(Schema):
    id: int
    activity_id: int
    resident_id: int
    name: str
    state: str
    signed_up_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    checked_in_via: str


class ActivityPhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str

    @staticmethod
    def resolve_url(obj: ActivityPhoto) -> str:
        return reverse("community:activities_photo", args=[obj.activity_id, obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj: ActivityPhoto) -> str:
        return reverse("community:activities_thumb", args=[obj.activity_id, obj.pk])


class ActivityDetailOut(ActivityOut):
    description: str
    report: str
    published_at: datetime | None
    ended_at: datetime | None
    check_in_code: str | None = Field(description="Only for staff serving the place.")
    actions: list[str] = Field(description="The moves the caller may take now.")
    photos: list[ActivityPhotoOut]
    signups: list[ActivitySignUpOut] = Field(description="The caller's household's live "
                                             "sign-ups.")

    @staticmethod
    def resolve_check_in_code(obj: Activity, context) -> str | None:
        user = context["request"].user
        return obj.check_in_code if permissions.serves(user, obj.area) else None

    @staticmethod
    def resolve_actions(obj: Activity, context) -> list[str]:
        return ACTIVITIES.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_photos(obj: Activity) -> list:
        return list(obj.photos.order_by("pk"))

    @staticmethod
    def resolve_signups(obj: Activity, context) -> list[SignUp]:
        from linli.community.selectors_activities import household_signups

        return household_signups(context["request"].user, obj)


class ActivityAttendanceOut(Schema):
    confirmed: int
    waiting: int
    attended: int
    rate: int | None = Field(description="attended / confirmed in percent.")
    signups: list[ActivitySignUpOut]
