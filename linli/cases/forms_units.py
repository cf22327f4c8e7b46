"""Forms of the handling-unit pages. Area and category choices come from the view (the
actor's own areas, the active categories), so an id from elsewhere is an invalid choice
and never reaches a service."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cases.selectors import leaf_categories
from linli.orgs.models import Area, UnitKind

ACTIVE_CHOICES = [("active", _("Active")), ("inactive", _("Deactivated")), ("all", _("All"))]
AREA_INVALID = {"invalid_choice": _("Choose one of your own areas from the list."),
                "required": _("Choose an area.")}


def area_label(area: Area) -> str:
    """Indented by depth under the street, so the picker reads as the area tree."""
    return f"{'· ' * max(area.depth - 1, 0)}{area.name}（{area.get_kind_display()}）"


def _area_choices(areas) -> list[tuple[Any, str]]:
    return [(a.pk, area_label(a)) for a in areas]


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *UnitKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or "active"
        return {"search": (data.get("q") or "").strip(), "kind": data.get("kind") or "",
                "active": {"active": True, "inactive": False}.get(status)}


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           error_messages={"required": _("Give the unit a name.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    phone = forms.CharField(label=_("Duty phone"), max_length=32, required=False,
                            help_text=_("Mobile, landline with area code, or a service "
                                        "number."))
    supervisor_area = forms.TypedChoiceField(
        label=_("Supervising area"), required=False, coerce=int, empty_value=None,
        error_messages=AREA_INVALID,
        help_text=_("Its leaders receive the overdue notices (督办) with the unit."))
    service_areas = forms.TypedMultipleChoiceField(
        label=_("Areas served"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={**AREA_INVALID, "required": _("Choose at least one area the unit "
                                                       "serves.")})
    is_active = forms.BooleanField(label=_("Active: receives dispatched cases"),
                                   required=False)

    def __init__(self, *args, supervisors=(), served=(), creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["supervisor_area"]).choices = [
            ("", _("None")), *_area_choices(supervisors)]
        if creating:
            del self.fields["is_active"]
            cast(forms.ChoiceField, self.fields["service_areas"]).choices = \
                _area_choices(served)
        else:  # service areas have their own section on the unit page
            del self.fields["service_areas"]


class AreaPickForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, error_messages=AREA_INVALID)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("Choose…")), *_area_choices(areas)]


class RouteForm(AreaPickForm):
    category = forms.ChoiceField(label=_("Category"),
                                 error_messages={"required": _("Choose a category."),
                                                 "invalid_choice": _("Choose a category "
                                                                     "from the list.")})
    replace = forms.BooleanField(label=_("Take it over if another unit has it"),
                                 required=False)
    field_order = ["category", "area", "replace"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Choose…")), *category_choices()]


def category_choices() -> list[tuple[str, Any]]:
    """Grouped like the report form: each group, first as a whole, then its categories."""
    out: list[tuple[str, Any]] = []
    for group, leaves in leaf_categories():
        options = [(leaf.code, leaf.name) for leaf in leaves]
        if group is None:
            out.append((str(_("Other")), options))
            continue
        whole = (group.code, _("%(group)s: all of it") % {"group": group.name})
        out.append((group.name, [whole, *options]))
    return out


class MemberForm(AreaPickForm):
    login = forms.CharField(label=_("Username or phone number"), max_length=64,
                            error_messages={"required": _("Give the username or phone "
                                                          "number of the account.")})
    field_order = ["login", "area"]
