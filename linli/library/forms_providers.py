"""Forms of the providers pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.bounds import MAX_ID
from linli.library.models import Gives, Mode, ServiceKind


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.CharField(label=_("Kind"), max_length=12)
    area = forms.IntegerField(label=_("Serves"), min_value=1, max_value=MAX_ID, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False)
    service_kinds = forms.MultipleChoiceField(label=_("Kinds of service"), required=False,
                                              choices=ServiceKind.choices)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    modes = forms.MultipleChoiceField(label=_("Cooperation modes"), required=False,
                                      choices=Mode.choices)
    phone = forms.CharField(label=_("Service phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    unit = forms.IntegerField(label=_("Unit"), min_value=1, max_value=MAX_ID, required=False)


class SkillsForm(forms.Form):
    title = forms.CharField(label=_("Title after the surname"), max_length=6)
    skills = forms.CharField(label=_("Skills"), max_length=200)
    service_kinds = forms.MultipleChoiceField(label=_("Kinds of service"), required=False,
                                              choices=ServiceKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    consent = forms.BooleanField(label=_("Consent"), required=False)
    resident = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class ContributionForm(forms.Form):
    mode = forms.ChoiceField(label=_("Cooperation mode"), choices=Mode.choices)
    gives = forms.ChoiceField(label=_("Gives"), choices=Gives.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("Description"), max_length=200)
    given_on = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d"])


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RelistForm(forms.Form):
    consent = forms.BooleanField(required=False)


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
