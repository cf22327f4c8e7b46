"""API shapes of points, the store and the earning rules."""

from datetime import datetime

from ninja import Schema
from pydantic import Field, StrictBool

from linli.core.bounds import Id, StrictInt32
from linli.points.models import Account, Redemption, StoreItem
from linli.points.statement import Line


class AccountOut(Schema):
    id: int
    community_id: int
    community_name: str
    owner_id: int | None
    owner_name: str
    balance: int

    @staticmethod
    def resolve_community_name(obj: Account) -> str:
        return obj.community.name

    @staticmethod
    def resolve_owner_name(obj: Account) -> str:
        return str(obj.owner) if obj.owner_id else ""


class LineOut(Schema):
    id: int
    created_at: datetime
    kind: str
    amount: int = Field(description="Signed: + into the account, - out of it.")
    balance: int = Field(description="The balance just after this entry.")
    memo: str
    source: str
    reverses_id: int | None
    reversed: bool

    @staticmethod
    def resolve_id(obj: Line) -> int:
        return obj.entry.pk

    @staticmethod
    def resolve_created_at(obj: Line) -> datetime:
        return obj.entry.created_at

    @staticmethod
    def resolve_kind(obj: Line) -> str:
        return obj.entry.kind

    @staticmethod
    def resolve_amount(obj: Line) -> int:
        return obj.delta

    @staticmethod
    def resolve_memo(obj: Line) -> str:
        return obj.entry.memo

    @staticmethod
    def resolve_source(obj: Line) -> str:
        return obj.entry.source

    @staticmethod
    def resolve_reverses_id(obj: Line) -> int | None:
        return obj.entry.reverses_id


class StatementOut(Schema):
    account: AccountOut
    page: int
    pages: int
    count: int
    entries: list[LineOut]


class ReverseIn(Schema):
    memo: str = Field(max_length=200)


class ItemOut(Schema):
    id: int
    community_id: int
    name: str
    description: str
    kind: str
    price_points: int
    stock: int
    per_person_limit: int | None
    is_active: bool
    image_url: str | None

    @staticmethod
    def resolve_image_url(obj: StoreItem) -> str | None:
        return f"/points/store/items/{obj.pk}/image/" if obj.image else None


class ItemIn(Schema):
    community_id: Id
    name: str = Field(max_length=100)
    description: str = Field("", max_length=1000)
    kind: str = "goods"
    price_points: StrictInt32
    stock: StrictInt32 = 0
    per_person_limit: StrictInt32 | None = None
    is_active: StrictBool = True


class ItemPatch(Schema):
    name: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=1000)
    kind: str | None = None
    price_points: StrictInt32 | None = None
    per_person_limit: StrictInt32 | None = None
    is_active: StrictBool | None = None


class RestockIn(Schema):
    quantity: StrictInt32 = Field(description="Added to the stock; negative takes some off.")
    note: str = Field("", max_length=200)


class RedeemIn(Schema):
    quantity: StrictInt32 = 1


class CancelIn(Schema):
    note: str = Field("", max_length=200)


class RedemptionOut(Schema):
    id: int
    item_id: int
    item_name: str
    community_id: int
    resident_id: int
    resident_name: str
    quantity: int
    points: int
    state: str
    note: str
    created_at: datetime
    handled_at: datetime | None

    @staticmethod
    def resolve_item_name(obj: Redemption) -> str:
        return obj.item.name

    @staticmethod
    def resolve_resident_name(obj: Redemption) -> str:
        return str(obj.resident)


class RuleOut(Schema):
    id: int
    community_id: int
    action: str
    points_per_unit: int
    cap: int | None
    cap_period: str
    is_active: bool


class RuleIn(Schema):
    community_id: Id
    action: str
    points_per_unit: StrictInt32
    cap: StrictInt32 | None = None
    cap_period: str = "month"
    is_active: StrictBool = True


class RulePatch(Schema):
    points_per_unit: StrictInt32 | None = None
    cap: StrictInt32 | None = None
    cap_period: str | None = None
    is_active: StrictBool | None = None
