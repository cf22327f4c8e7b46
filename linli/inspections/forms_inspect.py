"""The on-site inspection form: one small form for the inspection (the owner's name, the
responsible party, a note, the phone's position, the form's one-time token) and one per
check item (its result and, when it failed, what was found and how it is to be fixed).

The forms only parse what was typed and keep it for a refused send; every rule (every
item answered, a failure described, a major hazard's five fixes, a deadline after today)
is the service's, whose message the page shows.
"""

import uuid
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.inspections.models import MAX_NOTE, CampaignItem, Result, Severity, Target
from linli.inspections.services import AnswerInput, InspectionInput
from linli.inspections.services.inspect import MAX_NAME, MAX_PLAN

# The three answers, as big buttons, in the order an inspector reads them.
RESULTS = [(Result.PASS, pgettext_lazy("inspection result", "Pass")),
           (Result.FAIL, pgettext_lazy("inspection result", "Fail")),
           (Result.NOT_APPLICABLE, pgettext_lazy("inspection result", "N/A"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos under one name. They are held (core/held.py) by the view, which
    checks their content; the field only carries the refusal to show."""

    def clean(self, data, initial=None):
        return list(data) if isinstance(data, (list, tuple)) else [data] if data else []


class InspectionForm(forms.Form):
    acknowledged_name = forms.CharField(
        label=_("Owner's acknowledgement: their name, typed by them"), max_length=MAX_NAME,
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    responsible_party = forms.CharField(label=_("Responsible for the rectification"),
                                        max_length=100, required=False)
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False, min_value=-90,
                             max_value=90, widget=forms.HiddenInput)
    lng = forms.DecimalField(max_digits=9, decimal_places=6, required=False,
                             min_value=-180, max_value=180, widget=forms.HiddenInput)
    # One token per form load, the idempotency key: the same form sent again (a timeout,
    # a double tap, back and send) replays the first inspection instead of a second.
    idem = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, target: Target, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idem", uuid.uuid4().hex)
            self.initial.setdefault("responsible_party", target.operator)


class ItemForm(forms.Form):
    """One check item's answer; the failure's fields are shown when it failed (or always,
    without JavaScript)."""

    result = forms.ChoiceField(choices=RESULTS, required=False, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was found"), max_length=MAX_NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline (optional; else by severity)"),
                               required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    measures = forms.CharField(label=_("Measures"), max_length=MAX_PLAN, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    responsibility = forms.CharField(label=_("Responsibility"), max_length=200,
                                     required=False)
    funds = forms.CharField(label=_("Funds"), max_length=200, required=False)
    contingency = forms.CharField(label=_("Contingency plan"), max_length=MAX_PLAN,
                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(
        label=_("Photos"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def __init__(self, *args, item: CampaignItem, target: Target, **kwargs):
        kwargs["prefix"] = f"item-{item.pk}"
        super().__init__(*args, **kwargs)
        self.item = item
        self.is_major = item.severity == Severity.MAJOR
        if not self.is_bound and self.is_major:
            self.initial.update(measures=item.requirement, responsibility=target.operator)

    @property
    def photo_name(self) -> str:
        return self.add_prefix("photos")

    @property
    def chosen(self) -> str:
        """The result picked (shown checked again on a refused send)."""
        return str(self["result"].value() or "")


@dataclass
class ItemRow:
    """What the page draws for an item: its form and the photos held for it."""

    form: ItemForm
    held: list[str] = field(default_factory=list)

    @property
    def held_name(self) -> str:
        return self.form.add_prefix("held_photo")

    @property
    def remove_name(self) -> str:
        return self.form.add_prefix("remove_photo")

    @property
    def list_id(self) -> str:
        return f"held-{self.form.item.pk}"


def answers_of(rows: list[ItemRow]) -> list[AnswerInput]:
    """The answers of the items given one; an item left unanswered is missing, and the
    service names it."""
    out = []
    for row in rows:
        data = row.form.cleaned_data
        if not data.get("result"):
            continue
        failed = data["result"] == Result.FAIL
        plan = row.form.is_major and failed
        out.append(AnswerInput(
            item_id=row.form.item.pk, result=data["result"],
            note=data["note"] if failed else "",
            deadline=data["deadline"] if failed else None,
            measures=data["measures"] if plan else "",
            responsibility=data["responsibility"] if plan else "",
            funds=data["funds"] if plan else "", contingency=data["contingency"] if plan else ""))
    return out


def inspection_input(form: InspectionForm, answers: list[AnswerInput]) -> InspectionInput:
    data = form.cleaned_data
    return InspectionInput(answers=answers, acknowledged_name=data["acknowledged_name"],
                           responsible_party=data["responsible_party"], note=data["note"],
                           lat=data["lat"], lng=data["lng"])
