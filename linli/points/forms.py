"""Forms of the points and store pages. They only parse input; every rule lives in the
services (limits, stock, balances, who may do what)."""

import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.points.models import CapPeriod, EarningAction, ItemKind


def new_key() -> str:
    return uuid.uuid4().hex


class RedeemForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    # One key per rendered form: a double click or a resubmitted page redeems once.
    idem = forms.CharField(widget=forms.HiddenInput, max_length=100, initial=new_key)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ReverseForm(forms.Form):
    memo = forms.CharField(label=_("Why it is reversed"), max_length=200)


class RestockForm(forms.Form):
    quantity = forms.IntegerField(label=_("Add to stock (negative takes off)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ItemForm(forms.Form):
    community = forms.TypedChoiceField(label=_("Community"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    price_points = forms.IntegerField(label=_("Price in points"))
    stock = forms.IntegerField(label=_("Stock"), initial=0)
    per_person_limit = forms.IntegerField(label=_("Limit per person per month"),
                                          required=False)
    is_active = forms.BooleanField(label=_("On offer"), required=False, initial=True)
    image = forms.FileField(label=_("Picture"), required=False)

    def __init__(self, *args, communities=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["community"]).choices = [
            (c.pk, c.name) for c in communities]
        if editing:  # the community is fixed and stock moves only by restocking
            del self.fields["community"]
            del self.fields["stock"]


class RuleForm(forms.Form):
    community = forms.TypedChoiceField(label=_("Community"), coerce=int)
    action = forms.ChoiceField(label=_("Action"), choices=EarningAction.choices)
    points_per_unit = forms.IntegerField(label=_("Points per unit"))
    cap = forms.IntegerField(label=_("Cap per person"), required=False)
    cap_period = forms.ChoiceField(label=_("Cap period"), choices=CapPeriod.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, communities=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["community"]).choices = [
            (c.pk, c.name) for c in communities]
        if editing:
            del self.fields["community"]
            del self.fields["action"]
