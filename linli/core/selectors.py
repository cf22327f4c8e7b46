from datetime import datetime

from django.db.models import Q, QuerySet

from linli.core.access import access
from linli.core.models import AuditEntry


def audit_list(*, actor, action: str = "", actor_label: str = "", object_type: str = "",
               since: datetime | None = None, until: datetime | None = None,
               search: str = "") -> QuerySet[AuditEntry]:
    """The audit log for administrators (the caller checks `can_view_audit`). A system
    administrator sees everything; an area administrator the entries about their areas."""
    qs = AuditEntry.objects.all()
    if not actor.is_superuser:
        qs = qs.filter(access().admin_scope_q(actor, path_field="area_path"), area_path__gt="")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_label:
        qs = qs.filter(actor_label=actor_label)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    if search:
        qs = qs.filter(Q(object_label__icontains=search) | Q(actor_label__icontains=search))
    return qs.order_by("-at", "-id")
