"""Administrators edit the checklists (templates with their items and severities) and the
rectification deadline per severity; recurring campaigns are listed read-only (their
coordinators change them on the schedules page, through the service).

Checklists and deadlines belong to no area, so every administrator sees them all; every
change is audited by AuditedModelAdmin (inline item changes too, below). A campaign keeps
its own copy of the items it was made with, so editing a checklist never changes what a
running or past campaign asked; deadlines apply to orders issued from then on.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linli.core.admin_base import AuditedModelAdmin, SiteAdminInline
from linli.core.audit import audit_record
from linli.inspections.models import (
    Schedule,
    SeverityLimit,
    Target,
    TargetKind,
    Template,
    TemplateItem,
)


class TemplateForm(forms.ModelForm):
    """The kinds of target a checklist is for, ticked rather than typed as JSON."""

    target_kinds = forms.MultipleChoiceField(
        label=Target._meta.get_field("kind").verbose_name, required=False,
        choices=TargetKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."))

    class Meta:
        model = Template
        fields = ["name", "topic", "target_kinds", "is_active"]


class TemplateItemInline(SiteAdminInline):
    model = TemplateItem
    fields = ["position", "text", "severity", "requirement", "is_active"]
    extra = 1
    can_delete = False  # retire an item (untick "active"): answers refer to its copies


@admin.register(Template)
class TemplateAdmin(AuditedModelAdmin):
    form = TemplateForm
    list_display = ["name", "topic", "is_active", "updated_at"]
    list_filter = ["topic", "is_active"]
    inlines = [TemplateItemInline]
    fieldsets = [(None, {
        "fields": ["name", "topic", "target_kinds", "is_active"],
        "description": _("Campaigns keep their own copy of the items they were made with: "
                         "changes here apply to campaigns made from now on. Retire an item "
                         "by unticking “active” rather than rewording it into another."),
    })]

    def scope_queryset(self, request, qs):
        return qs

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        done: list[tuple[str, TemplateItem, list[str]]] = [
            ("templateitem.created", item, []) for item in formset.new_objects]
        done += [("templateitem.updated", item, list(fields))
                 for item, fields in formset.changed_objects]
        for action, item, fields in done:
            audit_record(actor=request.user, action=action, obj=item, changes={
                "template": item.template.name, "fields": fields, "via": "admin"})


@admin.register(SeverityLimit)
class SeverityLimitAdmin(AuditedModelAdmin):
    list_display = ["severity", "amount", "unit"]

    def scope_queryset(self, request, qs):
        return qs


@admin.register(Schedule)
class ScheduleAdmin(AuditedModelAdmin):
    list_display = ["name", "template", "area", "ordinal", "weekday", "every_months",
                    "duration_days", "next_on", "is_active"]
    list_filter = ["is_active"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def scope_queryset(self, request, qs):
        from linli.accounts.models import Role
        from linli.accounts.scope import scope_q

        return qs.filter(scope_q(request.user, roles=[Role.ADMIN], path_field="area_path"))
