"""Writing to the audit log. Services call `audit_record` inside their transaction, so the
entry commits or rolls back with the change it describes."""

from typing import Any

from django.db import models

from linli.core.context import current_request
from linli.core.db import insert
from linli.core.models import AuditEntry


def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return actor.get_username()


def _area_path(obj) -> str:
    if obj is None:
        return ""
    if obj._meta.label_lower == "orgs.area":
        return obj.path
    area = getattr(obj, "area", None)
    return getattr(area, "path", "") or ""


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    changes: dict[str, Any] | None = None,
    area_path: str = "",
) -> AuditEntry:
    info = current_request()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)[:200]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return insert(AuditEntry(
        actor=actor if authenticated else None,
        actor_label=_label(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=object_label[:200],
        changes=changes or {},
        area_path=area_path or _area_path(obj),
        ip=info.ip,
        channel=info.channel,
    ))


def diff(instance: models.Model, fields: list[str], before: dict[str, Any]) -> dict[str, Any]:
    """`{field: [old, new]}` for the fields that changed, as JSON-safe strings."""
    out = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            out[name] = [None if old is None else str(old), None if new is None else str(new)]
    return out


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}
