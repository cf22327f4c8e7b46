"""The contacts pages' forms: parsing only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.party.models import MAX_TEXT, VisitWay

MAX_ID = 2**31 - 1
WHEN = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
RAISE_CHOICES = [("", _("Nothing")), ("case", _("a case")), ("dispute", _("a dispute")),
                 ("wish", _("a wish (微心愿)")), ("care_note", _("a note for a care plan"))]


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


class AssignForm(forms.Form):
    organisation = forms.IntegerField(label=_("Organisation"), min_value=1, max_value=MAX_ID)
    member = forms.IntegerField(label=_("Member"), min_value=1, max_value=MAX_ID)
    household = forms.IntegerField(label=_("Household"), min_value=1, max_value=MAX_ID)
    visit_every_days = forms.IntegerField(label=_("Visit every (days)"), required=False,
                                          min_value=1, max_value=366)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Why it ends"), max_length=200)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"))
    way = forms.ChoiceField(label=_("How"), choices=VisitWay.choices)
    raised = forms.CharField(label=_("What was raised"), required=False, max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 3}))
    also = forms.ChoiceField(label=_("Raise in the same step"), required=False,
                             choices=RAISE_CHOICES)
    text = forms.CharField(label=_("Describe it"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.IntegerField(label=_("Category of the case"), required=False,
                                  min_value=1, max_value=MAX_ID)
    dispute_kind = forms.CharField(label=_("Type of dispute"), required=False, max_length=12)
    people_involved = forms.IntegerField(label=_("People involved"), required=False,
                                         min_value=1, max_value=100000)
    wish_category = forms.CharField(label=_("Kind of wish"), required=False, max_length=16)
    starts_at = forms.DateTimeField(label=_("From"), required=False, input_formats=WHEN)
    ends_at = forms.DateTimeField(label=_("Until"), required=False, input_formats=WHEN)
