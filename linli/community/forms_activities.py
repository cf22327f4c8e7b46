"""Forms of the activities pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.community.models import ActivityKind, Organiser
from linli.core.bounds import MAX_ID

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _when(label, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, required=required)


class ActivityForm(forms.Form):
    area = forms.IntegerField(label=pgettext_lazy("audience", "Place"),
                              min_value=1, max_value=MAX_ID, required=False)
    title = forms.CharField(label=_("Title"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea)
    organiser = forms.ChoiceField(label=_("Organised by"), choices=Organiser.choices)
    organiser_name = forms.CharField(label=_("Organiser's name"), max_length=80,
                                     required=False)
    venue = forms.CharField(label=_("Venue"), max_length=120)
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    # Empty: sign-up opens now and closes when the activity starts (views_activities).
    signup_opens_at = _when(_("Sign-up opens"), required=False)
    signup_closes_at = _when(_("Sign-up closes"), required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=2000)
    care_tag = forms.IntegerField(label=_("Only for the care group"), min_value=1,
                                  max_value=MAX_ID, required=False)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class ActionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    report = forms.CharField(label=_("Report"), max_length=4000, required=False)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class SignUpForm(forms.Form):
    resident = forms.IntegerField(label=pgettext_lazy("sign-up", "Who"),
                                  min_value=1, max_value=MAX_ID)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Door code"), max_length=8)


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
