"""The accounts API: tokens, the caller's own account, users and role assignments."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.accounts import login, scope, selectors, services
from linli.accounts.models import ApiToken, RoleAssignment, User
from linli.core.bounds import Id, Int32, Pages
from linli.core.errors import NotFound
from linli.core.openapi import Error
from linli.orgs.models import Unit
from linli.orgs.selectors import area_get, unit_list

router = Router(tags=["accounts"])


class TokenIn(Schema):
    # Bounded so that nobody makes the server hash a megabyte of "password".
    username: str = Field(max_length=64)
    password: str = Field(max_length=128)
    otp: str = Field("", max_length=16)
    name: str = Field("app", max_length=64)
    days: Int32 | None = None


class TokenCreated(Schema):
    token: str
    id: int
    name: str
    expires_at: datetime


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class AssignmentOut(Schema):
    id: int
    user_id: int
    role: str
    area_id: int
    area_name: str
    unit_id: int | None

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.area.name


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    roles: list[AssignmentOut]

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_roles(obj) -> list:
        return scope.assignments(obj)


class UserIn(Schema):
    username: str = Field(max_length=64)
    password: str = Field(max_length=128)
    display_name: str = Field("", max_length=64)
    phone: str = Field("", max_length=20)
    # Optional first role assignment, made in the same step.
    role: str = ""
    area_id: Id | None = None
    unit_id: Id | None = None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    is_active: bool

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked


class AssignmentIn(Schema):
    user_id: Id
    role: str
    area_id: Id
    unit_id: Id | None = None


@router.post("/tokens", auth=None, response={201: TokenCreated, 401: Error})
def token_create(request, payload: TokenIn):
    """Exchange a login (and a TOTP code for staff roles) for an API token, shown once."""
    outcome = login.login_check(payload.username, payload.password)
    if outcome.needs_second_factor:
        login.second_factor_check(outcome.user, payload.otp, allow_enrolment=False)
    token, secret = services.api_token_create(actor=outcome.user, name=payload.name,
                                              days=payload.days)
    return Status(201, {"token": secret, "id": token.pk, "name": token.name,
                        "expires_at": token.expires_at})


@router.get("/tokens", response=list[TokenOut])
def token_list(request):
    return selectors.token_list(actor=request.user)


@router.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request, token_id: Id):
    token = selectors.token_list(actor=request.user).filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("Not found."))
    services.api_token_revoke(actor=request.user, token=token)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    return request.user


@router.get("/users", response=list[UserOut])
@paginate(Pages, page_size=50)
def user_list(request):
    return selectors.user_list(actor=request.user)


def _unit_get(request, unit_id: Id | None) -> Unit | None:
    if not unit_id:
        return None
    unit = unit_list(actor=request.user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("Not found."))
    return unit


@router.post("/users", response={201: UserOut})
def user_create(request, payload: UserIn):
    area = area_get(actor=request.user, area_id=payload.area_id) if payload.area_id else None
    return Status(201, services.user_create(
        actor=request.user, username=payload.username, password=payload.password,
        display_name=payload.display_name, phone=payload.phone, role=payload.role,
        area=area, unit=_unit_get(request, payload.unit_id),
    ))


@router.get("/assignments", response=list[AssignmentOut])
@paginate(Pages, page_size=100)
def assignment_list(request, user_id: Id | None = None):
    return selectors.assignment_list(actor=request.user).filter(
        **({"user_id": user_id} if user_id else {}))


@router.post("/assignments", response={201: AssignmentOut})
def assignment_create(request, payload: AssignmentIn):
    user = selectors.user_list(actor=request.user).filter(pk=payload.user_id).first()
    if user is None:
        raise NotFound(_("Not found."))
    area = area_get(actor=request.user, area_id=payload.area_id)
    return Status(201, services.role_assign(actor=request.user, user=user, role=payload.role,
                                            area=area,
                                            unit=_unit_get(request, payload.unit_id)))


@router.delete("/assignments/{assignment_id}", response={204: None})
def assignment_delete(request, assignment_id: Id):
    assignment = selectors.assignment_list(actor=request.user).filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound(_("Not found."))
    services.role_revoke(actor=request.user, assignment=assignment)
    return Status(204, None)


__all__ = ["ApiToken", "RoleAssignment", "User", "router"]
