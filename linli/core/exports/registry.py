"""Where apps declare what they export. Core imports no app: each app that exports lists
its exporters in its own `exporters` module (found like `audit_words`), calling `register`.

An exporter turns (actor, parameters) into a `Prepared` export, or raises an
ApplicationError (PermissionDenied, ValidationFailed ...) with a message the person reads:
that is where it checks scope. `Prepared.count` and `Prepared.rows` read only what the
actor sees at the moment they are called; the job calls `prepare` again when it runs.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule


class Kind:
    """How a column's cells are written (writer.py)."""

    TEXT = "text"          # stored as text: an ID or phone number keeps every digit
    NUMBER = "number"
    DATETIME = "datetime"  # a real Excel date-time, local time (TIME_ZONE)
    DATE = "date"


@dataclass(frozen=True)
class Column:
    title: Any  # a lazy translation: written in the job's language
    kind: str = Kind.TEXT
    width: int = 12  # in characters; a CJK character counts about two


@dataclass
class Prepared:
    columns: Sequence[Column]
    count: Callable[[], int]
    rows: Callable[[], Iterator[Sequence[Any]]]
    filename: str  # without the date stamp and extension, e.g. "案件-派遣队列"
    area_path: str = ""  # where the audit entries sit, so that area's admins see them
    summary: dict[str, Any] = field(default_factory=dict)  # for the audit entry


Prepare = Callable[[Any, dict[str, str]], Prepared]
_exporters: dict[str, Prepare] = {}


def register(kind: str, prepare: Prepare) -> None:
    _exporters[kind] = prepare


@cache
def _discover() -> None:
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "exporters"):
            import_module(f"{config.name}.exporters")


def exporter(kind: str) -> Prepare | None:
    _discover()
    return _exporters.get(kind)
