"""Administrators edit the grading rules (三色预警) and the mediation deadline per type.
Both belong to no area, so every administrator sees the whole list; changes are audited
by AuditedModelAdmin. A change applies to disputes registered (rules) or accepted
(deadlines) from then on; nothing already graded or running is recomputed."""

from django.contrib import admin

from linli.core.admin_base import AuditedModelAdmin
from linli.disputes.models import GradeRule, KindLimit


@admin.register(GradeRule)
class GradeRuleAdmin(AuditedModelAdmin):
    list_display = ["condition", "threshold", "outcome", "is_active"]
    list_editable = ["is_active"]

    def scope_queryset(self, request, qs):
        return qs


@admin.register(KindLimit)
class KindLimitAdmin(AuditedModelAdmin):
    list_display = ["kind", "amount", "unit"]

    def scope_queryset(self, request, qs):
        return qs
