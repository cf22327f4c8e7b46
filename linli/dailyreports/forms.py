"""The daily report's forms: the patrol, and one form per kind of item. Parsing only: the
services decide what is allowed. Each form carries a hidden token made when it is shown
(`idem`), the submission's idempotency key: a second tap or a retried post replays."""

import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cases.models import Category
from linli.dailyreports.models import MAX_NOTES
from linli.dailyreports.services import MAX_NOTE
from linli.disputes.models import Kind
from linli.people.models import VisitKind

YES_NO = [("1", _("yes")), ("0", _("no"))]
PARTY_ROWS = 3


class _Submitted(forms.Form):
    idem = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idem", uuid.uuid4().hex)


class _Placed(_Submitted):
    """A form with a place chosen among the grid's own areas."""

    area = forms.TypedChoiceField(label=_("Place"), coerce=int)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            (a.pk, label) for a, label in places]


class PatrolForm(_Submitted):
    grid = forms.TypedChoiceField(label=_("Grid"), coerce=int)
    patrol_done = forms.TypedChoiceField(label=_("Patrol done"), choices=YES_NO,
                                         coerce=lambda v: v == "1", widget=forms.RadioSelect)
    route_notes = forms.CharField(label=_("Route notes"), required=False, max_length=MAX_NOTES,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["grid"]).choices = [(g.pk, g.name) for g in grids]


class ProblemForm(_Placed):
    # Posted as the category's code by the category picker (cases/_category_picker.html).
    category = forms.ModelChoiceField(
        label=_("Category"), to_field_name="code",
        queryset=Category.objects.filter(is_active=True).exclude(triage=""),
        error_messages={"invalid_choice": _("That category is no longer offered; choose "
                                            "another.")})
    description = forms.CharField(label=_("What is the problem?"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    address = forms.CharField(label=_("Address (optional)"), required=False, max_length=200)
    field_order = ["area", "address", "description"]


class ConflictForm(_Placed):
    kind = forms.ChoiceField(label=_("Type of dispute"), choices=Kind.choices)
    summary = forms.CharField(label=_("What is it about?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    people_involved = forms.IntegerField(label=_("People involved"), min_value=1,
                                         max_value=100_000, initial=2)
    violence_threat = forms.BooleanField(label=_("Threat of violence"), required=False)
    petition_risk = forms.BooleanField(label=_("Risk of a group petition"), required=False)
    address = forms.CharField(label=_("Address (optional)"), required=False, max_length=200)
    field_order = ["kind", "area", "address", "summary", "people_involved"]

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— an outsider: name below —")), *residents]
        for n in range(1, PARTY_ROWS + 1):
            self.fields[f"party{n}_resident"] = forms.TypedChoiceField(
                label=_("Party %(n)d: a resident of the registry") % {"n": n},
                choices=choices, coerce=int, empty_value=None, required=False)
            self.fields[f"party{n}_name"] = forms.CharField(
                label=_("Party %(n)d: name") % {"n": n}, required=False, max_length=64)
            self.fields[f"party{n}_phone"] = forms.CharField(
                label=_("Party %(n)d: phone (optional)") % {"n": n}, required=False,
                max_length=20)

    def party_rows(self) -> list[tuple[forms.BoundField, ...]]:
        return [(self[f"party{n}_resident"], self[f"party{n}_name"], self[f"party{n}_phone"])
                for n in range(1, PARTY_ROWS + 1)]

    def parties(self) -> list[tuple[int | None, str, str]]:
        """(resident id, name, phone) of each row filled: a resident picked from the
        registry, or an outsider by name."""
        data = self.cleaned_data
        rows = [(data[f"party{n}_resident"], data[f"party{n}_name"].strip(),
                 data[f"party{n}_phone"].strip()) for n in range(1, PARTY_ROWS + 1)]
        return [(resident, "" if resident else name, "" if resident else phone)
                for resident, name, phone in rows if resident or name]


class VisitForm(_Submitted):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    findings = forms.CharField(label=_("Findings (kept encrypted)"), required=False,
                               max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["resident"]).choices = list(residents)


class NothingForm(_Submitted):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=MAX_NOTE)
