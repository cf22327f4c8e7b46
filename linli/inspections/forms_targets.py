"""Forms of the target pages. They only parse input; every rule lives in the services
(a bad coordinate or phone is refused there, with the same words as the API's)."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.inspections.models import TargetKind
from linli.inspections.selectors import TargetFilters
from linli.orgs.models import Area

EVERYTHING = ("", _("All"))
# The list's query parameters; anything else is not a filter.
FILTERS = ("q", "kind", "grid", "active")
ACTIVE_CHOICES = [("1", pgettext_lazy("inspection target", "In use")),
                  ("0", pgettext_lazy("inspection target", "Retired")),
                  ("all", _("All"))]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def place_label(area: Area) -> str:
    """An area indented by its depth under the community, for a place picker."""
    return f"{'· ' * max(area.depth - 2, 0)}{area.name}"


class TargetFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[EVERYTHING, *TargetKind.choices])
    grid = forms.TypedChoiceField(label=_("Grid"), required=False, coerce=int,
                                  empty_value=None)
    active = forms.ChoiceField(label=pgettext_lazy("inspection target", "In use"),
                               required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, grids: Sequence[Area] = (), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "grid").choices = [EVERYTHING, *((g.pk, g.name) for g in grids)]

    def filters(self) -> TargetFilters:
        """The filters that passed their checks: a bad value in one leaves the others."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        active = {"1": True, "0": False, "all": None}.get(data.get("active") or "1")
        return TargetFilters(grid_id=data.get("grid"), kind=data.get("kind", ""),
                             active=active, search=data.get("q", ""))

    @property
    def active_count(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in ("q", "kind", "grid") if self.data.get(name)) + int(
            self.data.get("active", "1") not in ("", "1"))


class TargetForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Place"), coerce=int,
                                  help_text=_("The community, grid, estate or building the "
                                              "premises is in."))
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=TargetKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    operator = forms.CharField(label=_("Owner or operator"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    # Text, checked by the service, so a typo is refused with the same words as the API's.
    lat = forms.CharField(label=_("Latitude"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lng = forms.CharField(label=_("Longitude"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, places: Sequence[Area] = (), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [(a.pk, place_label(a)) for a in places]
        if editing:
            # The contact is shown masked, never filled in: empty keeps the stored one.
            for name in ("contact_name", "contact_phone"):
                self.fields[name].help_text = _("Leave empty to keep the stored contact.")
            self.fields["remove_contact"] = forms.BooleanField(
                label=_("Remove the stored contact"), required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")],
                                    coerce=lambda v: v == "1")


