"""The inspections API: targets (mounted under /api/inspections in linli/api.py).

A target named in the path is loaded through `selectors.target_get`, so one out of scope is
a 404 before any service runs; the service then decides whether the caller's role allows
the write (403). The import answers 400 `invalid_rows` (or `bad_header`, `not_xlsx`,
`too_large`, ...) with `details` listing `{row, column, message}`; nothing is written
unless every row is right.
"""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.inspections import imports, selectors, services
from linli.inspections.models import Target, TargetKind
from linli.inspections.schemas_targets import (
    ContactOut,
    ContactRevealIn,
    TargetImportOut,
    TargetIn,
    TargetOut,
    TargetPatch,
)
from linli.orgs.selectors import area_get

router = Router(tags=["inspections"])


def _target(request, target_id: int) -> Target:
    return selectors.target_get(actor=request.user, target_id=target_id)


@router.get("/targets", response=list[TargetOut])
@paginate(Pages, page_size=50)
def target_list(request, area: Id | None = None, grid: Id | None = None, kind: str = "",
                active: bool | None = None, q: str = ""):
    """The targets of the caller's areas, by place and name. `area` keeps that area and
    everything under it; `active=true` only the targets in use, `active=false` only the
    retired ones (without it, both); `q` searches the name, address and operator."""
    if kind and kind not in TargetKind.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), code="invalid",
                               details=[{"field": "kind", "message": _("Unknown value.")}])
    filters = selectors.TargetFilters(area_id=area, grid_id=grid, kind=kind, active=active,
                                      search=q[:100])
    return selectors.target_list(actor=request.user, filters=filters)


@router.post("/targets", response={201: TargetOut})
def target_create(request, payload: TargetIn):
    """Add a premises in one of the caller's areas (grid workers, dispatchers, leaders)."""
    area = area_get(actor=request.user, area_id=payload.area_id)
    data = payload.dict(exclude={"area_id"})
    target = services.target_create(actor=request.user, area=area, **data)
    return Status(201, _target(request, target.pk))


# Before the `{target_id}` routes: "import" would be read as an id otherwise.
@router.post("/targets/import", response=TargetImportOut)
def target_import(request, file: Annotated[UploadedFile, File()], check_only: bool = False):
    """Import targets from an .xlsx workbook (the template is on /inspections/targets/import/;
    at most 5,000 rows and 5 MB). With `check_only=true`, a dry run: the same answers, and
    nothing is written."""
    report = imports.targets_import(actor=request.user, upload=file, check_only=check_only)
    return report.as_dict()


@router.get("/targets/{target_id}", response=TargetOut)
def target_detail(request, target_id: Id):
    return _target(request, target_id)


@router.patch("/targets/{target_id}", response=TargetOut)
def target_update(request, target_id: Id, payload: TargetPatch):
    """Change the fields sent; `is_active` retires or brings back the target."""
    target = _target(request, target_id)
    fields = payload.dict(exclude_unset=True)
    area_id = fields.pop("area_id", None)
    if area_id is not None:
        fields["area"] = area_get(actor=request.user, area_id=area_id)
    for name in ("name", "kind", "is_active"):
        if name in fields and fields[name] is None:
            fields.pop(name)  # null means "not sent" for a field that cannot be empty
    services.target_update(actor=request.user, target=target, **fields)
    return _target(request, target_id)


@router.post("/targets/{target_id}/contact", response=ContactOut)
def target_contact(request, target_id: Id, payload: ContactRevealIn):
    """The contact in clear: dispatchers and leaders of the place only, for a reason
    (2 to 200 characters), recorded in the audit log."""
    name, phone = services.target_contact_reveal(actor=request.user,
                                                 target=_target(request, target_id),
                                                 reason=payload.reason)
    return ContactOut(name=name, phone=phone)
