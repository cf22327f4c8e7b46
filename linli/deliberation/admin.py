"""Administrators of an area edit its deliberative bodies (with their members inline) and
each community's deliberation rules. Organisers do the same on the bodies pages; every
change here is audited (AuditedModelAdmin, and the inline members below). Members are never
deleted: a member leaves on a day, and the history stays.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import Role
from linli.accounts.scope import scope_q
from linli.core.admin_base import AuditedModelAdmin, SiteAdminInline
from linli.core.audit import audit_record
from linli.core.errors import ValidationFailed
from linli.deliberation.models import Body, Member, Rules
from linli.deliberation.rules import Share
from linli.deliberation.services.meetings import BODY_PLACES

SHARE_FIELDS = ("quorum",)
RULE_SHARES = ("meeting_quorum", "owners_participation", "owners_major", "owners_ordinary")


def _share(form: forms.ModelForm, name: str) -> str:
    try:
        return str(Share.parse(form.cleaned_data.get(name) or ""))
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message) from None


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["area", "name", "kind", "term_start", "term_end", "quorum", "is_active"]

    def clean_quorum(self) -> str:
        return _share(self, "quorum")

    def clean(self):
        data = super().clean() or {}
        start, end, area = data.get("term_start"), data.get("term_end"), data.get("area")
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        if area is not None and area.kind not in BODY_PLACES:
            self.add_error("area", _("A body belongs to a community, an estate or a building."))
        return data


class MemberInline(SiteAdminInline):
    model = Member
    fields = ["name", "resident", "user", "post", "joined_on", "left_on"]
    raw_id_fields = ["resident", "user"]
    extra = 1
    can_delete = False  # a member leaves (left on), never deleted


def _admin_scope(request, qs, path_field: str):
    return qs.filter(scope_q(request.user, roles=[Role.ADMIN], path_field=path_field))


@admin.register(Body)
class BodyAdmin(AuditedModelAdmin):
    form = BodyForm
    list_display = ["name", "kind", "area", "term_start", "term_end", "quorum", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [MemberInline]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "area_path")

    def save_model(self, request, obj, form, change) -> None:
        obj.area_path = obj.area.path
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        done: list[tuple[str, Member, list[str]]] = [
            ("deliberation.member_added", m, []) for m in formset.new_objects]
        done += [("deliberation.member_updated", m, list(fields))
                 for m, fields in formset.changed_objects]
        for action, member, fields in done:
            audit_record(actor=request.user, action=action, obj=member,
                         changes={"body": member.body_id, "fields": fields, "via": "admin"},
                         area_path=member.body.area_path)


class RulesForm(forms.ModelForm):
    class Meta:
        model = Rules
        fields = ["community", "supporters_needed", "publicity_days", *RULE_SHARES]

    def clean(self):
        data = super().clean() or {}
        for name in RULE_SHARES:
            if name in data:
                try:
                    data[name] = str(Share.parse(data[name]))
                except ValidationFailed as exc:
                    self.add_error(name, exc.message)
        community = data.get("community")
        if community is not None and community.kind != "community":
            self.add_error("community", _("Rules are set per community."))
        return data


@admin.register(Rules)
class RulesAdmin(AuditedModelAdmin):
    form = RulesForm
    list_display = ["community", "supporters_needed", "publicity_days", "meeting_quorum",
                    "owners_participation", "owners_major", "owners_ordinary"]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "community__path")

    def audit_area_path(self, obj) -> str:
        return obj.community.path
