from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied
from linli.orgs import imports, selectors, services
from linli.orgs.models import Area
from linli.orgs.permissions import can_import_areas

router = Router(tags=["orgs"])


class AreaOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    parent_id: int | None
    depth: int
    lat: Decimal | None
    lng: Decimal | None


class AreaIn(Schema):
    kind: str
    name: str
    parent_id: Id | None = None
    code: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None


class ImportReportOut(Schema):
    filename: str
    rows: int
    created: dict[str, int]
    reused: dict[str, int]
    created_total: int
    reused_total: int
    check_only: bool = Field(False, description="A dry run: `created` is what an import "
                                                "would create; nothing was written.")


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    phone: str
    service_area_ids: list[int]

    @staticmethod
    def resolve_service_area_ids(obj) -> list[int]:
        return [a.pk for a in obj.service_areas.all()]


@router.get("/areas", response=list[AreaOut])
@paginate(Pages, page_size=100)
def area_list(request, kind: str | None = None, parent_id: Id | None = None, q: str = ""):
    return selectors.area_list(actor=request.user, kind=kind, parent_id=parent_id, search=q)


@router.get("/areas/{area_id}", response=AreaOut)
def area_detail(request, area_id: Id):
    return selectors.area_get(actor=request.user, area_id=area_id)


@router.post("/areas", response={201: AreaOut})
def area_create(request, payload: AreaIn):
    parent = None
    if payload.parent_id is not None:
        parent = selectors.area_get(actor=request.user, area_id=payload.parent_id)
    area = services.area_create(actor=request.user, kind=payload.kind, name=payload.name,
                                parent=parent, code=payload.code, lat=payload.lat,
                                lng=payload.lng)
    return Status(201, get_object_or_404(Area, pk=area.pk))


@router.post("/import", response=ImportReportOut)
def area_import(request, file: File[UploadedFile], check_only: bool = False):
    """Import an area tree from an .xlsx or .csv file (see the sample on /orgs/import/).
    A file with any bad row imports nothing and answers 400 `invalid_rows` (403
    `forbidden_rows` when the only problems are areas outside yours), with `details`
    listing `{row, column, message}`. With `check_only=true`, a dry run: the same answers,
    and nothing is written."""
    if not can_import_areas(request.user):
        raise PermissionDenied(_("Only administrators may import areas."))
    return imports.area_tree_import(actor=request.user, filename=file.name or "",
                                    content=imports.upload_content(file),
                                    check_only=check_only)


@router.get("/units", response=list[UnitOut])
@paginate(Pages, page_size=100)
def unit_list(request):
    return selectors.unit_list(actor=request.user).prefetch_related("service_areas")
