"""Forms of the welfare watch pages. They only parse input; every rule (who, which door,
the quiet time, the consent) lives in services.access, with the API's words."""

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.iot.models import Device
from linli.iot.services.access import MAX_QUIET_HOURS, MIN_QUIET_HOURS

# What the resident (or their guardian) agrees to; shown on the form and kept in mind by
# whoever records the consent's reference.
CONSENT_TEXT = _(
    "The resident (or their guardian) agrees that when the chosen door shows no opening "
    "for the quiet time set here, the community's grid worker visits or calls them. Only "
    "the number of openings per hour is counted: no face, card number or other personal "
    "identifier is stored. The resident may withdraw this consent at any time, and the "
    "watch then stops at once.")


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class WatchForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int)
    device = forms.TypedChoiceField(label=_("Door"), coerce=int,
                                    help_text=_("A door access device at the resident's "
                                                "dwelling, entrance or building."))
    quiet_hours = forms.IntegerField(label=_("Quiet for (hours)"), initial=24,
                                     min_value=MIN_QUIET_HOURS, max_value=MAX_QUIET_HOURS)
    consent_reference = forms.CharField(
        label=_("Consent"), max_length=200,
        help_text=_("How and when the resident consented, e.g. 书面同意 2026-12-01."))
    consent_given = forms.BooleanField(label=_("The resident has given this consent."))

    def __init__(self, *args, residents: Sequence[tuple[int, str]] = (),
                 doors: Sequence[Device] = (), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "resident").choices = list(residents)
        _choices(self, "device").choices = [(d.pk, f"{d.name} ({d.identifier})")
                                           for d in doors]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the watch stops"), max_length=200,
                             help_text=_("For example: the resident withdrew their consent."))
