"""The event writer of the workflow kit for an app whose history of several kinds of row
shares one table (a `core.models.SubjectEvent`): which subject each model is, the writer
the kit calls, and a row's history."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from linli.core.models import SubjectEvent


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass(frozen=True)
class History:
    event_model: type[SubjectEvent]
    subjects: Mapping[type[models.Model], str]  # model → the `subject` its rows are filed as

    def record(self, obj, *, actor, action: str, from_state: str, to_state: str,
               at: datetime, note: str = "", data: dict | None = None,
               is_public: bool = True) -> SubjectEvent:
        return self.event_model.objects.create(
            subject=self.subjects[type(obj)], subject_id=obj.pk, at=at, actor=_who(actor),
            action=action, from_state=from_state, to_state=to_state, note=note[:2000],
            data=data or {}, is_public=is_public)

    def of(self, obj) -> models.QuerySet:
        return self.event_model.objects.filter(subject=self.subjects[type(obj)],
                                               subject_id=obj.pk)

    def timeline(self, obj, words: Mapping[str, Any], *, show_actor: bool) -> list[dict]:
        """A row's history for its page: each move in words (the app's audit words, keyed
        "<subject>.<action>"), when, the note, and who (for staff)."""
        prefix = self.subjects[type(obj)]
        rows = self.of(obj).select_related("actor").order_by("at", "pk")
        return [{"at": e.at, "action": e.action,
                 "label": words.get(f"{prefix}.{e.action}", e.action), "note": e.note,
                 "actor": (e.actor.display_name or e.actor.username)
                 if show_actor and e.actor is not None else ""} for e in rows]
