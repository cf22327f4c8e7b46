"""The meetings pages' forms: parsing only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.party.models import MAX_TEXT

MAX_ID = 2**31 - 1
WHEN = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


class MeetingForm(forms.Form):
    joint = forms.IntegerField(label=_("Joint committee"), min_value=1, max_value=MAX_ID)
    title = forms.CharField(label=_("Title"), max_length=100)
    scheduled_at = forms.DateTimeField(label=_("Time"), input_formats=WHEN)
    venue = forms.CharField(label=pgettext_lazy("meeting", "Venue"), max_length=100)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)
    source = forms.RegexField(required=False, regex=r"^(|case|topic|dispute):?\d{0,10}$")

    def source_ref(self) -> tuple[str, int | None]:
        """("case", 12) from "case:12"; ("", None) for free text."""
        kind, _sep, pk = (self.cleaned_data.get("source") or "").partition(":")
        return kind, int(pk) if pk.isdigit() else None


class AttendanceForm(forms.Form):
    organisation = forms.IntegerField(min_value=1, max_value=MAX_ID)
    present = forms.BooleanField(required=False)
    attendee = forms.CharField(label=_("Attended by"), required=False, max_length=64)


class MeetingActForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=5000)
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("Resolution"), max_length=MAX_TEXT)
    unit = forms.IntegerField(label=_("Owner unit"), required=False, min_value=1, max_value=MAX_ID)
    working_days = forms.IntegerField(label=_("Working days"), required=False, min_value=1,
                                      max_value=250)
    item = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ResolutionActForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
