"""Administrators of an area keep its honour boards and each community's 最美楼栋 score
sheet here too (staff do the same on the community pages). Every change is audited
(AuditedModelAdmin); nothing is deleted: a board or a criterion is switched off."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import Role
from linli.accounts.scope import scope_q
from linli.community.models import Board, Criterion
from linli.core.admin_base import AuditedModelAdmin


def _admin_scope(request, qs, path_field: str):
    return qs.filter(scope_q(request.user, roles=[Role.ADMIN], path_field=path_field))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["community", "name", "max_score", "source", "position", "is_active"]

    def clean(self):
        data = super().clean() or {}
        community = data.get("community")
        if community is not None and community.kind != "community":
            self.add_error("community", _("A score sheet belongs to a community."))
        most = data.get("max_score")
        if most is not None and not 1 <= most <= 100:
            self.add_error("max_score", _("The most points of a criterion are 1 to 100."))
        return data


@admin.register(Criterion)
class CriterionAdmin(AuditedModelAdmin):
    form = CriterionForm
    list_display = ["name", "community", "max_score", "source", "position", "is_active"]
    list_filter = ["source", "is_active"]
    search_fields = ["name"]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "community__path")

    def audit_area_path(self, obj) -> str:
        return obj.community.path


@admin.register(Board)
class BoardAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "area", "period", "is_active"]
    list_filter = ["kind", "period", "is_active"]
    search_fields = ["title"]
    fields = ["area", "kind", "title", "period", "is_active"]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "area_path")

    def save_model(self, request, obj, form, change) -> None:
        obj.area_path = obj.area.path
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
