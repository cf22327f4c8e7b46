"""The agreements and property pages' forms: parsing only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.party.models import SCORE_ITEMS, Frequency

MAX_ID = 2**31 - 1


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


class AgreementForm(forms.Form):
    community = forms.IntegerField(label=_("Community"), min_value=1, max_value=MAX_ID)
    unit = forms.IntegerField(label=pgettext_lazy("co-building", "Unit"), min_value=1,
                              max_value=MAX_ID)
    title = forms.CharField(label=_("Title"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"))
    starts_on = forms.DateField(label=_("From"))
    ends_on = forms.DateField(label=_("Until"))
    what = forms.CharField(label=_("What is committed"), max_length=200)
    for_whom = forms.CharField(label=_("For whom"), max_length=100, required=False)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    times = forms.IntegerField(label=_("Times each period"), min_value=1, max_value=31)


class CommitmentForm(forms.Form):
    what = forms.CharField(label=_("What is committed"), max_length=200)
    for_whom = forms.CharField(label=_("For whom"), max_length=100, required=False)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    times = forms.IntegerField(label=_("Times each period"), min_value=1, max_value=31)


class DeliveryForm(forms.Form):
    commitment = forms.IntegerField(label=_("Commitment"), min_value=1, max_value=MAX_ID)
    delivered_on = forms.DateField(label=_("Date"))
    given = forms.CharField(label=_("What was given"), max_length=200)
    people_served = forms.IntegerField(label=_("People served"), min_value=0,
                                       max_value=100000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class RatingForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in SCORE_ITEMS:
            self.fields[item] = forms.TypedChoiceField(
                choices=[(i, i) for i in range(1, 6)], coerce=int)
