"""Forms of the alarm pages. They only parse input; every rule lives in the workflow kit
(a clear without a note, a stale page) and the selectors.

The list's filter form uses the query parameters `AlarmFilters` names, so the home tile
links to `/iot/alarms/?emergency=1` and gets exactly that list.
"""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.iot.models import Kind
from linli.iot.selectors_alarms import ALL, CLEARED, OPEN, AlarmFilters
from linli.orgs.models import Area

YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]
EVERYTHING = ("", _("All"))
STATE_CHOICES = [(OPEN, pgettext_lazy("alarms", "Open")),
                 (CLEARED, pgettext_lazy("alarms", "Cleared")),
                 (ALL, pgettext_lazy("alarms", "All"))]
PERIOD_CHOICES = [("", pgettext_lazy("alarm", "Any time")),
                  ("24h", pgettext_lazy("alarm", "Last 24 hours")),
                  ("7d", pgettext_lazy("alarm", "Last 7 days")),
                  ("30d", pgettext_lazy("alarm", "Last 30 days"))]
# The list's query parameters; anything else is not a filter.
FILTERS = ("state", "kind", "type", "emergency", "community", "period", "overdue")


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class AlarmFilterForm(forms.Form):
    state = forms.ChoiceField(label=pgettext_lazy("alarm", "State"), required=False,
                              choices=STATE_CHOICES)
    emergency = forms.ChoiceField(label=_("Help button (emergency)"), required=False,
                                  choices=YES_NO)
    overdue = forms.ChoiceField(label=_("Not acknowledged in time"), required=False,
                                choices=YES_NO)
    kind = forms.ChoiceField(label=pgettext_lazy("alarm", "Device kind"), required=False,
                             choices=[EVERYTHING, *Kind.choices])
    # The rule's type; the home tile's "devices offline" links to type=offline.
    type = forms.SlugField(required=False, max_length=24, widget=forms.HiddenInput)
    community = forms.TypedChoiceField(label=_("Community"), required=False, coerce=int,
                                       empty_value=None)
    period = forms.ChoiceField(label=pgettext_lazy("alarm", "Raised"), required=False,
                               choices=PERIOD_CHOICES)

    def __init__(self, *args, communities: Sequence[Area] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["community"])
        field.choices = [EVERYTHING, *((c.pk, c.name) for c in communities)]

    def valid_data(self) -> dict[str, Any]:
        """The filters that passed their checks: a bad value in one (its error shown beside
        it) leaves the others working instead of dropping them all."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> AlarmFilters:
        data = self.valid_data()
        return AlarmFilters(
            state=data.get("state") or OPEN, kind=data.get("kind", ""),
            alarm_type=data.get("type", ""), emergency=_yes_no(data.get("emergency")),
            community_id=data.get("community"), period=data.get("period", ""),
            overdue=_yes_no(data.get("overdue")))

    def active_count(self) -> int:
        data = self.valid_data()
        return sum(1 for name, value in data.items()
                   if value not in (None, "") and not (name == "state" and value == OPEN))


class AlarmActionForm(forms.Form):
    """Inputs of a move; which ones it needs (a note to clear) is the kit's business."""

    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                 widget=forms.HiddenInput)
    # No max_length: the kit's own message says how long a note may be.
    note = forms.CharField(required=False)
