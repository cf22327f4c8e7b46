"""Shapes of the people API (docs/openapi.json). Sensitive values leave only masked: the
`str()` of a SensitiveValue is its mask, and tags come through `sensitive.tag_display`. The
one clear value, a reveal's, is its own schema."""

from datetime import date, datetime

from ninja import Field, Schema

from linli.core.bounds import Id, Int16
from linli.people import sensitive
from linli.people.fields import age


class ResidentOut(Schema):
    id: int
    household_id: int
    dwelling_id: int
    place: str
    name: str
    id_number: str = Field(description="Masked, e.g. 4201**********1234.")
    phone: str = Field(description="Masked, e.g. 136****8888.")
    age: int | None
    gender: str
    relation: str
    tenure: str
    moved_in: date | None
    moved_out: date | None
    anonymised: bool

    @staticmethod
    def resolve_dwelling_id(obj) -> int:
        return obj.household.dwelling_id

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.household.dwelling.full_name()

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.id_number.masked

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone.masked

    @staticmethod
    def resolve_age(obj) -> int | None:
        return age(obj.birth_date)

    @staticmethod
    def resolve_anonymised(obj) -> bool:
        return obj.anonymised_at is not None


class ResidentIn(Schema):
    household_id: Id | None = Field(None, description="Join this household ...")
    dwelling_id: Id | None = Field(None, description="... or the household living at this "
                                    "dwelling (a new one if nobody does). Give one of them.")
    name: str
    id_number: str = ""
    phone: str = ""
    birth_date: date | None = Field(None, description="Taken from the ID number if empty.")
    gender: str = ""
    relation: str
    tenure: str
    moved_in: date | None = None


class ResidentPatch(Schema):
    """Only the fields sent change; an empty `id_number` or `phone` removes it."""

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    relation: str | None = None
    tenure: str | None = None
    moved_in: date | None = None


class SearchIn(Schema):
    q: str = Field(max_length=64, description="An ID number, a phone, or part of a name.")
    include_moved_out: bool = False


class MoveOutIn(Schema):
    moved_out: date | None = None


class RevealIn(Schema):
    field: str = Field("", description="id_number, phone, tags, plan or findings.")
    purpose: str = Field("", description="Why you need to see it: 2 to 200 characters, in words. "
                         "Recorded in the access log with your name.")


class RevealOut(Schema):
    field: str
    value: str


class SelfVisitOut(Schema):
    visited_on: date
    kind: str
    findings: str


class SelfConsentOut(Schema):
    category: str
    basis: str
    reference: str
    recorded_at: datetime
    withdrawn_at: datetime | None


class SelfOut(Schema):
    """The caller's own record, in clear (audited as self-access): all the page "What Linli
    holds about me" shows."""

    id: int
    name: str
    place: str
    id_number: str
    phone: str
    birth_date: date | None
    gender: str
    relation: str
    tenure: str
    moved_in: date | None
    moved_out: date | None
    tags: list[str]
    emergency_contact: str
    needs: str
    next_visit_due: date | None
    visits: list[SelfVisitOut]
    consents: list[SelfConsentOut] = Field(description="Legal bases and consents recorded "
                                           "for your sensitive data, withdrawn ones too.")


class ConsentIn(Schema):
    basis: str = Field(description="consent, legal_duty or public_interest.")
    reference: str = ""
    category: str = "care"


class ConsentOut(Schema):
    id: int
    resident_id: int
    category: str
    basis: str
    reference: str
    recorded_at: datetime
    withdrawn_at: datetime | None


class TagIn(Schema):
    tag: str = Field(description="A care tag code, e.g. lonely_elderly.")
    note: str = Field("", description="Kept encrypted.")


class TagOut(Schema):
    id: int
    resident_id: int
    label: str = Field(description="The tag's name, or *** for a sensitive tag.")

    @staticmethod
    def resolve_label(obj) -> str:
        return sensitive.tag_display([obj])[0]


class CarePlanIn(Schema):
    grid_worker_id: Id
    visit_every_days: Int16 | None = Field(None, description="Default: the tags' shortest.")
    next_visit_due: date | None = None
    emergency_contact: str | None = Field(None, description="Kept encrypted; omit to keep.")
    needs: str | None = Field(None, description="Kept encrypted; omit to keep.")


class CarePlanOut(Schema):
    id: int
    resident_id: int
    resident_name: str
    grid_worker_id: int
    grid_worker: str
    visit_every_days: int
    next_visit_due: date
    overdue: bool
    tags: list[str] = Field(description="Tag names; sensitive ones as ***.")

    @staticmethod
    def resolve_resident_name(obj) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_grid_worker(obj) -> str:
        return str(obj.grid_worker)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        from django.utils import timezone

        return obj.next_visit_due < timezone.localdate()

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return sensitive.tag_display(obj.resident.tags.all())


class VisitIn(Schema):
    visited_on: date
    kind: str = Field(description="home or phone.")
    findings: str = Field("", description="Kept encrypted.")
    follow_up_needed: bool = False
    raise_case: bool = Field(False, description="Report a case (grid patrol) in the same step.")
    case_category: str = Field("", description="Leaf category code of that case.")
    case_description: str = Field("", description="Seen by the handling unit.")


class VisitOut(Schema):
    id: int
    resident_id: int
    visited_on: date
    kind: str
    visitor: str
    follow_up_needed: bool
    case_id: int | None
    due_on: date | None
    findings: str = Field(description="*** if recorded: reveal `findings` to read them.")
    photo_ids: list[int]

    @staticmethod
    def resolve_visitor(obj) -> str:
        return str(obj.visitor)

    @staticmethod
    def resolve_findings(obj) -> str:
        return sensitive.MASK if obj.findings_cipher else ""

    @staticmethod
    def resolve_photo_ids(obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class AccessLogOut(Schema):
    id: int
    at: datetime
    actor: str
    resident_id: int | None
    field: str
    purpose: str
    outcome: str
    ip: str | None

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class CompletionOut(Schema):
    grid_id: int
    grid: str
    due: int
    in_time: int
    rate: float | None

    @staticmethod
    def resolve_grid_id(obj) -> int:
        return obj.grid.pk

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name
