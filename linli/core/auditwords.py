"""The audit log in words: actions, object types and changes as a person reads them.

An entry stores codes ("case.dispatch", "cases.case", {"state": ["accepted", "dispatched"]})
so that filters and exports stay exact; the pages show them in the reader's language. Each
app names its subjects and verbs in its own `audit_words` module (`SUBJECTS`, `VERBS`, and
`ACTIONS` for a whole code that reads better as one phrase, e.g. 登录成功), found like the
admin's `admin` modules: core imports no app. Object types and changed fields are read from
the models themselves (their verbose names and choices).
"""

import json
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

# Verbs every app's admin pages and services share.
VERBS = {
    "created": pgettext_lazy("audit", "created"),
    "updated": pgettext_lazy("audit", "changed"),
    "deleted": pgettext_lazy("audit", "deleted"),
    "loaded": pgettext_lazy("audit", "loaded"),
}
SUBJECTS = {"demo": pgettext_lazy("audit", "demo data")}
# The export jobs (core/exports): whatever list they were of.
ACTIONS = {
    "export.requested": pgettext_lazy("audit", "export requested"),
    "export.downloaded": pgettext_lazy("audit", "export downloaded"),
    "export.refused": pgettext_lazy("audit", "export refused"),
}


@cache
def _words() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    subjects: dict[str, Any] = dict(SUBJECTS)
    verbs: dict[str, Any] = dict(VERBS)
    actions: dict[str, Any] = dict(ACTIONS)
    for config in apps.get_app_configs():
        if config.module is None or not module_has_submodule(config.module, "audit_words"):
            continue
        module = import_module(f"{config.name}.audit_words")
        subjects.update(getattr(module, "SUBJECTS", {}))
        verbs.update(getattr(module, "VERBS", {}))
        actions.update(getattr(module, "ACTIONS", {}))
    return subjects, verbs, actions


def action_words(code: str) -> str:
    """"case.dispatch" → 案件：派遣; a code nobody named stays as it is."""
    subjects, verbs, actions = _words()
    if code in actions:
        return str(actions[code])
    subject, _dot, verb = code.partition(".")
    if subject in subjects and verb in verbs:
        return _("%(subject)s: %(verb)s") % {"subject": subjects[subject], "verb": verbs[verb]}
    return code


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_words(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _value(field: models.Field | None, value: Any) -> str:
    if isinstance(value, list) and len(value) == 2 and not any(
            isinstance(v, list | dict) for v in value):
        return f"{_one(field, value[0])} → {_one(field, value[1])}"  # [old, new]
    return _one(field, value)


def _one(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def changes_words(object_type: str, changes: Any) -> str:
    """{"state": ["accepted", "dispatched"]} on a case → 状态: 已立案 → 已派遣."""
    if not isinstance(changes, dict):
        return _value(None, changes)
    model = _model(object_type)
    parts = []
    for name, value in changes.items():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        parts.append(f"{label}: {_value(field, value)}")
    return "; ".join(parts)
