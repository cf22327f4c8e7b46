"""Administrators edit the alarm rules (rules as data: thresholds, debounce, repeat
suppression, the case each opens); devices are listed read-only (their dispatchers and
administrators change them on the device pages, through the services, which check the
place and audit).

Rules belong to no area, so every administrator sees them all; every change is audited by
AuditedModelAdmin. Each process keeps the rules for `rules.RULES_SECONDS`, so an edit
applies to messages within that long; this process forgets them at once.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import Role
from linli.accounts.scope import scope_q
from linli.cases.models import Priority
from linli.cases.selectors import leaf_category
from linli.core.admin_base import AuditedModelAdmin
from linli.iot import rules
from linli.iot.models import AlarmRule, Device, Source


class AlarmRuleForm(forms.ModelForm):
    """A rule that could never fire, or would open a case nobody can file, is refused here
    with the reason, before it reaches the subscriber."""

    class Meta:
        model = AlarmRule
        fields = ["kind", "alarm_type", "name_zh", "source", "metric", "operator",
                  "threshold", "debounce_count", "debounce_seconds", "suppress_minutes",
                  "clears_itself", "opens_case", "category_code", "priority",
                  "respond_minutes", "is_emergency", "is_active"]

    def clean(self):
        data = super().clean() or {}
        if data.get("source") == Source.READING and not (
                data.get("metric") and data.get("operator")
                and data.get("threshold") is not None):
            raise forms.ValidationError(_("A rule on readings needs the reading, the "
                                          "operator and the threshold."))
        if data.get("debounce_count") == 0:
            self.add_error("debounce_count", _("At least one reading."))
        if data.get("opens_case"):
            code = data.get("category_code") or ""
            if leaf_category(code) is None:
                self.add_error("category_code", _("No active case category has this code."))
            if data.get("priority") not in Priority.values:
                self.add_error("priority", _("Write one of: %(words)s.") % {
                    "words": ", ".join(Priority.values)})
        return data


@admin.register(AlarmRule)
class AlarmRuleAdmin(AuditedModelAdmin):
    form = AlarmRuleForm
    list_display = ["name_zh", "kind", "alarm_type", "source", "metric", "operator",
                    "threshold", "debounce_count", "suppress_minutes", "category_code",
                    "priority", "respond_minutes", "is_active"]
    list_filter = ["kind", "source", "is_active", "is_emergency"]
    search_fields = ["name_zh", "alarm_type"]
    fieldsets = [
        (None, {"fields": ["kind", "alarm_type", "name_zh", "source", "is_active"],
                "description": _("Kind empty: the rule applies to every kind (offline, low "
                                 "battery). A change applies to new messages within half a "
                                 "minute; open alarms keep the rule they were raised by.")}),
        (_("Threshold and debounce"), {"fields": [
            "metric", "operator", "threshold", "debounce_count", "debounce_seconds",
            "suppress_minutes", "clears_itself"]}),
        (_("Case"), {"fields": ["opens_case", "category_code", "priority",
                                "respond_minutes", "is_emergency"]}),
    ]

    def scope_queryset(self, request, qs):
        return qs

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        rules.forget()


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    """Read-only: the registry is kept on the device pages (services check and audit)."""

    list_display = ["identifier", "name", "kind", "community", "status", "owner_unit",
                    "last_seen_at", "battery", "messages_count", "rejected_count"]
    list_filter = ["kind", "status"]
    search_fields = ["identifier", "name", "address"]
    exclude = ["secret_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def scope_queryset(self, request, qs):
        return qs.filter(scope_q(request.user, roles=[Role.ADMIN], path_field="area_path"))
