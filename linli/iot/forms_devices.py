"""Forms of the device pages. They only parse input; every rule lives in the services (a
bad identifier, place or coordinate is refused there, with the same words as the API's)."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.iot.models import Kind
from linli.iot.selectors_devices import DeviceFilters, status_choices
from linli.orgs.models import Area, Unit

EVERYTHING = ("", _("All"))
# The list's and the map's query parameters; anything else is not a filter.
FILTERS = ("q", "community", "kind", "status")


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    community = forms.TypedChoiceField(label=_("Community"), required=False, coerce=int,
                                       empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[EVERYTHING, *Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, communities: Sequence[Area] = (), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "community").choices = [EVERYTHING,
                                               *((c.pk, c.name) for c in communities)]
        _choices(self, "status").choices = [("", _("In service")), *status_choices(),
                                            ("all", _("All"))]

    def filters(self) -> DeviceFilters:
        """The filters that passed their checks: a bad value in one leaves the others."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        status = data.get("status") or ""
        statuses = tuple(v for v, _label in status_choices()) if status == "all" else (
            (status,) if status else ())
        kind = data.get("kind") or ""
        return DeviceFilters(community_id=data.get("community"),
                             kinds=(kind,) if kind else (), statuses=statuses,
                             search=data.get("q") or "")

    @property
    def active_count(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in FILTERS if self.data.get(name))


class DeviceForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifier"), max_length=64,
        help_text=_("As the device's topics name it; also its MQTT username. It cannot be "
                    "changed later."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    place = forms.CharField(
        label=_("Place"), max_length=300,
        help_text=_("The area names from the community down, separated by /, e.g. "
                    "花楼社区/花楼第一网格/花楼小区/1栋; or an area code. A help button: down "
                    "to the resident's dwelling."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    owner_unit = forms.TypedChoiceField(label=_("Owner unit"), coerce=int, required=False,
                                        empty_value=None)
    resident_number = forms.CharField(
        label=_("Resident's ID number (help buttons)"), max_length=32, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The registry resident living in the dwelling. Only looked up, never "
                    "shown again."))
    heartbeat_seconds = forms.CharField(label=_("Heartbeat timeout (seconds)"), max_length=8,
                                        initial="300",
                                        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    # Text, checked by the service, so a typo is refused with the same words as the API's.
    lat = forms.CharField(label=_("Latitude"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lng = forms.CharField(label=_("Longitude"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, units: Sequence[Unit] = (), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "owner_unit").choices = [("", _("None")),
                                                *((u.pk, u.name) for u in units)]
        if editing:
            del self.fields["identifier"]
            self.fields["resident_number"].help_text = _(
                "Leave empty to keep the resident the button belongs to.")


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
