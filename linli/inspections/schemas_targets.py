"""The targets API's bodies and answers.

A target's contact leaves only masked (`王*国`, `138****8000`): the one clear answer is a
reveal's (`ContactOut`), audited by `services.target_contact_reveal`. Text limits repeat the
columns' so a client learns them from the document; the services check them again.
"""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id
from linli.inspections.models import Target, TargetKind

KINDS = ", ".join(TargetKind.values)


class TargetIn(Schema):
    area_id: Id = Field(description="Where the premises is: a community or an area under it.")
    name: str = Field(max_length=100, description="Unique at its place.")
    kind: str = Field(description=f"One of: {KINDS}.")
    address: str = Field("", max_length=200)
    operator: str = Field("", max_length=100, description="The owner or operator.")
    contact_name: str = Field("", max_length=64, description="Stored sealed, shown masked.")
    contact_phone: str = Field("", max_length=32, description="Stored sealed, shown masked; "
                               "needs a contact name.")
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)


class TargetPatch(Schema):
    """Only the fields sent change. `is_active=false` retires the target (never deleted:
    orders refer to it); `true` brings it back."""

    area_id: Id | None = None
    name: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, description=f"One of: {KINDS}.")
    address: str | None = Field(None, max_length=200)
    operator: str | None = Field(None, max_length=100)
    contact_name: str | None = Field(None, max_length=64)
    contact_phone: str | None = Field(None, max_length=32)
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    is_active: bool | None = None


class TargetOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    area_id: int
    area_name: str
    community_id: int
    grid_id: int | None
    address: str
    operator: str
    contact_name: str = Field(description="Masked, e.g. 王*国.")
    contact_phone: str = Field(description="Masked, e.g. 138****8000.")
    lat: Decimal | None
    lng: Decimal | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Target) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_area_name(obj: Target) -> str:
        return obj.area.name

    @staticmethod
    def resolve_contact_name(obj: Target) -> str:
        return obj.contact_name.masked

    @staticmethod
    def resolve_contact_phone(obj: Target) -> str:
        return obj.contact_phone.masked


class ContactRevealIn(Schema):
    reason: str = Field("", max_length=200, description="Why you need the contact in full: "
                        "recorded in the audit log with your name.")


class ContactOut(Schema):
    """The contact in clear: the answer of an audited reveal, never stored."""

    name: str
    phone: str


class TargetImportOut(Schema):
    filename: str
    rows: int
    created: int = Field(description="Targets added (or, with check_only, that would be).")
    check_only: bool
