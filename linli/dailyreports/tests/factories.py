"""Builders for daily-report tests: every item is added through the real services."""

from django.utils import timezone

from linli.dailyreports import services
from linli.dailyreports.services import ConflictIn, ProblemIn
from linli.disputes.models import Kind
from linli.disputes.services import PartyInput


def problem(w, **overrides) -> ProblemIn:
    fields = {"category": w.cat, "area": w.building_a, "description": "1栋楼道水管漏水"}
    return ProblemIn(**(fields | overrides))


def conflict(w, **overrides) -> ConflictIn:
    fields = {"kind": Kind.NEIGHBOUR, "area": w.building_a,
              "summary": "楼上漏水，楼下要求赔偿，双方争执", "people_involved": 2,
              "parties": [PartyInput(name="王大伟", phone="13900000001"),
                          PartyInput(role="respondent", name="李小红")]}
    return ConflictIn(**(fields | overrides))


def report(w, actor=None, grid=None, day=None, **fields):
    return services.daily_report_save(
        actor=actor or w.gina, grid=grid or w.grid_a1, day=day or timezone.localdate(),
        patrol_done=fields.pop("patrol_done", True), **fields).report
