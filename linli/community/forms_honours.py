"""Forms of the honours pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.community.models import MAX_TEXT, BoardKind, Period, SubjectKind
from linli.core.bounds import MAX_ID


class BoardForm(forms.Form):
    area = forms.IntegerField(label=_("Place"), min_value=1, max_value=MAX_ID, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BoardKind.choices, required=False)
    title = forms.CharField(label=_("Title"), max_length=80)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class NominateForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("Who or what"), choices=SubjectKind.choices)
    subject_name = forms.CharField(label=_("Shown as"), max_length=80, required=False)
    building = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    unit = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT)


class EntryActionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=MAX_TEXT)
    on_behalf = forms.CharField(label=_("On behalf of"), max_length=80, required=False)


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
