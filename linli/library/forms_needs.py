"""The needs pages' forms: parsing only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.library.models import MAX_TEXT, Outcome, ServiceKind, Urgency


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


class NeedForm(forms.Form):
    text = forms.CharField(label=_("What is needed"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))
    resident = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    area = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    kind = forms.ChoiceField(label=_("Kind of service"), required=False,
                             choices=[("", "—"), *ServiceKind.choices])


class ActForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
    urgency = forms.ChoiceField(required=False, choices=[("", "—"), *Urgency.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "—"), *ServiceKind.choices])
    provider = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class HandOverForm(forms.Form):
    to = forms.ChoiceField(choices=Outcome.choices)
    note = forms.CharField(required=False, max_length=500)
    category = forms.IntegerField(label=_("Category of the case"), required=False,
                                  min_value=1, max_value=2**31 - 1)
    title = forms.CharField(label=_("Title"), required=False, max_length=80)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label=_("Ends"), required=False,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    volunteers_needed = forms.IntegerField(label=_("Volunteers needed"), required=False,
                                           min_value=1, max_value=100)
    points_offered = forms.IntegerField(label=_("Points offered"), required=False,
                                        min_value=0, max_value=10000)
    topic_category = forms.CharField(required=False, max_length=16)
    slot = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    room = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
