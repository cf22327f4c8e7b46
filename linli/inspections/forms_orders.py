"""Forms of the order pages. They only parse input; every rule lives in the services.

The list's filter form reads every field of `selectors.OrderFilters` under the same name,
so the ledger's links (`/inspections/orders/?campaign_id=3&overdue=1`) give exactly its rows.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.bounds import MAX_ID
from linli.inspections.models import Severity, State, Topic
from linli.inspections.selectors import OrderFilters

YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]
EVERYTHING = ("", _("All"))
FILTERS = ("state", "severity", "topic", "campaign_id", "area_id", "grid_id", "target_id",
           "gridless", "open", "overdue", "rectified", "due_from", "due_to", "due_reached",
           "issued_from", "issued_to", "search")
MAX_SEARCH = 100


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _id(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID,
                              widget=forms.HiddenInput)


def _day(label) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))


class OrderFilterForm(forms.Form):
    search = forms.CharField(label=_("Words"), required=False, max_length=MAX_SEARCH)
    state = forms.MultipleChoiceField(label=_("State"), required=False, choices=State.choices,
                                      widget=forms.CheckboxSelectMultiple)
    severity = forms.MultipleChoiceField(label=_("Severity"), required=False,
                                         choices=Severity.choices,
                                         widget=forms.CheckboxSelectMultiple)
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              choices=[EVERYTHING, *Topic.choices])
    open = forms.ChoiceField(label=pgettext_lazy("rectification order", "Open"),
                             required=False, choices=YES_NO)
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=YES_NO)
    rectified = forms.ChoiceField(label=pgettext_lazy("rectification order", "Rectified"),
                                  required=False, choices=YES_NO)
    gridless = forms.ChoiceField(label=_("Placed above any grid"), required=False,
                                 choices=YES_NO)
    due_reached = forms.ChoiceField(label=_("Deadline reached or rectified"), required=False,
                                    choices=YES_NO)
    due_from = _day(_("Deadline from"))
    due_to = _day(_("Deadline until"))
    issued_from = _day(_("Issued from"))
    issued_to = _day(_("Issued until"))
    campaign_id = _id(_("Campaign"))
    area_id = _id(_("Area"))
    grid_id = _id(_("Grid"))
    target_id = _id(_("Target"))

    def filters(self) -> OrderFilters:
        """The filters of a valid form (the view answers 400 to an invalid one)."""
        data: dict[str, Any] = self.cleaned_data if self.is_bound else {}
        return OrderFilters(
            state=data.get("state") or None, severity=data.get("severity") or None,
            topic=data.get("topic", ""), campaign_id=data.get("campaign_id"),
            area_id=data.get("area_id"), grid_id=data.get("grid_id"),
            target_id=data.get("target_id"), gridless=_yes_no(data.get("gridless")),
            open=_yes_no(data.get("open")),
            overdue=_yes_no(data.get("overdue")), rectified=_yes_no(data.get("rectified")),
            due_from=data.get("due_from"), due_to=data.get("due_to"),
            due_reached=_yes_no(data.get("due_reached")),
            issued_from=data.get("issued_from"), issued_to=data.get("issued_to"),
            search=(data.get("search") or "").strip())

    def first_error(self) -> str:
        name, errors = next(iter(self.errors.items()))
        label = self.fields[name].label if name in self.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])


class OrderActionForm(forms.Form):
    """Every move's inputs; each move reads the ones it takes (photos come as files)."""

    note = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    due_on = forms.DateField(label=_("New deadline"), required=False)
    competent_unit = forms.IntegerField(label=_("Competent unit"), required=False,
                                        min_value=1, max_value=MAX_ID)
    category = forms.IntegerField(label=_("Category"), required=False, min_value=1,
                                  max_value=MAX_ID)
    lat = forms.DecimalField(required=False, min_value=-90, max_value=90, max_digits=12,
                             decimal_places=8)
    lng = forms.DecimalField(required=False, min_value=-180, max_value=180, max_digits=12,
                             decimal_places=8)
