"""Shapes of the notices API (docs/openapi.json). Parsing and presentation only: the rules
live in services and selectors. Households that have not read are shown by address and the
head's masked name only."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema

from linli.community.models import MAX_TEXT, Notice, NoticeFile
from linli.community.selectors_notices import shown_state
from linli.core.bounds import Id, Int32

# --- in ----------------------------------------------------------------------------------


class NoticeIn(Schema):
    area_id: Id = Field(description="A street, community, grid, estate or building the "
                        "caller manages.")
    kind: str = Field(max_length=12, description="safety, policy, outage, event or urgent.")
    title: str = Field(max_length=80)
    body: str = Field(max_length=MAX_TEXT)
    care_tag: str = Field("", max_length=32, description="Only for residents carrying this "
                          "care tag (its code, e.g. lonely_elderly); empty: everyone.")
    pinned: bool = False
    publish_at: datetime | None = Field(None, description="Default now; a time ahead "
                                        "schedules the notice once published.")
    expires_at: datetime | None = None


class NoticePatchIn(Schema):
    """Only the fields sent change. A published notice changes only `pinned` and
    `expires_at`."""

    area_id: Id | None = None
    kind: str | None = Field(None, max_length=12)
    title: str | None = Field(None, max_length=80)
    body: str | None = Field(None, max_length=MAX_TEXT)
    care_tag: str | None = Field(None, max_length=32)
    pinned: bool | None = None
    publish_at: datetime | None = None
    expires_at: datetime | None = None
    expected_version: Int32 | None = None


class NoticeActionIn(Schema):
    note: str = Field("", max_length=2000, description="withdraw: the reason (required).")
    expected_version: Int32 | None = Field(None, description="The notice version the client "
                                           "read; a newer notice answers 409 `stale`.")


# --- out ---------------------------------------------------------------------------------

class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    area_id: int
    area_name: str
    care_tag: str | None
    pinned: bool
    state: str
    shown: str = Field(description="draft, scheduled, shown, expired or withdrawn.")
    version: int
    publish_at: datetime
    expires_at: datetime | None
    is_read: bool = Field(description="The caller's household has read it.")

    @staticmethod
    def resolve_area_name(obj: Notice) -> str:
        return obj.area.name

    @staticmethod
    def resolve_care_tag(obj: Notice) -> str | None:
        return obj.care_tag.code if obj.care_tag is not None else None

    @staticmethod
    def resolve_shown(obj: Notice) -> str:
        return shown_state(obj)

    @staticmethod
    def resolve_is_read(obj: Notice) -> bool:
        return bool(getattr(obj, "is_read", False))


class NoticeFileOut(Schema):
    id: int
    name: str
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj: NoticeFile) -> str:
        return reverse("api:community_notice_attachment", args=[obj.notice_id, obj.pk])


class NoticeDetailOut(NoticeOut):
    body: str
    files: list[NoticeFileOut]
    allowed_actions: list[str]
    withdrawn_at: datetime | None
    delivered_at: datetime | None

    @staticmethod
    def resolve_files(obj: Notice) -> list[NoticeFile]:
        return list(obj.files.order_by("pk"))


class NoticeUnreadOut(Schema):
    building: str
    address: str
    head: str = Field(description="The head of household's name, masked (张*兰).")


class NoticeReadsOut(Schema):
    read: int = Field(description="Households of the audience that read it.")
    audience: int = Field(description="Households with a current resident under the place "
                          "(with the care tag for a care group).")
    percent: int
    unread: list[NoticeUnreadOut] | None = Field(
        description="Urgent notices, for staff serving the place: who has not read.")


class NoticeReadOut(Schema):
    counted: bool = Field(description="False when the caller's reading is not a receipt "
                          "(staff, not of the audience).")
    at: datetime | None
