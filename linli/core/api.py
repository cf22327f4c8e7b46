from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from linli.core import selectors
from linli.core.access import access
from linli.core.bounds import Pages
from linli.core.errors import PermissionDenied

router = Router(tags=["core"])


class AuditOut(Schema):
    id: int
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict
    ip: str | None
    channel: str


@router.get("/health", auth=None)
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


@router.get("/audit", response=list[AuditOut])
@paginate(Pages, page_size=100)
def audit_list(request, action: str = "", actor: str = "", object_type: str = "",
               since: datetime | None = None, until: datetime | None = None, q: str = ""):
    if not access().is_admin(request.user):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    return selectors.audit_list(actor=request.user, action=action, actor_label=actor,
                                object_type=object_type, since=since, until=until, search=q)
