"""Administrators edit the list of volunteer skills. Skills belong to no area, so every
administrator sees the whole list; changes are audited by AuditedModelAdmin."""

from django.contrib import admin

from linli.core.admin_base import AuditedModelAdmin
from linli.volunteering.models import Skill


@admin.register(Skill)
class SkillAdmin(AuditedModelAdmin):
    list_display = ["code", "name_zh", "name_en", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["code", "name_zh", "name_en"]

    def scope_queryset(self, request, qs):
        return qs
