"""Forms of the dispute pages. They only parse input; every rule lives in the services.

The list's filter form uses the query parameters named by the contract (`DisputeFilters`):
the indicators link to `/disputes/?grade=red&open=1` and get exactly that list.
"""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.disputes.models import Grade, Kind, PartyRole, ReferralTo, Source, State
from linli.disputes.selectors import DisputeFilters
from linli.orgs.models import Area

# A dispute's states in the pages' words where the shared label reads as a case's (an
# accepted case is 已立案, an accepted dispute 已受理).
STATE_WORDS: dict[str, Any] = {State.ACCEPTED: pgettext_lazy("dispute state", "accepted")}


def state_words(state: str) -> str:
    if state in STATE_WORDS:
        return str(STATE_WORDS[State(state)])
    return str(State(state).label) if state in State.values else state


YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]
EVERYTHING = ("", _("All"))
# The list's query parameters (the contract's names); anything else is not a filter.
FILTERS = ("state", "grade", "kind", "area", "grid", "owner", "source", "open", "ended",
           "overdue", "resolved", "since", "until", "q")
MAX_SEARCH = 100


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=MAX_SEARCH)
    state = forms.MultipleChoiceField(label=_("State"), required=False,
                                      choices=[(value, STATE_WORDS.get(value, label))
                                               for value, label in State.choices],
                                      widget=forms.CheckboxSelectMultiple)
    grade = forms.MultipleChoiceField(label=_("Grade"), required=False,
                                      choices=Grade.choices,
                                      widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[EVERYTHING, *Kind.choices])
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int,
                                  empty_value=None)
    grid = forms.TypedChoiceField(label=_("Grid"), required=False, coerce=int,
                                  empty_value=None)
    owner = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[EVERYTHING, *Source.choices])
    open = forms.ChoiceField(label=_("Open"), required=False, choices=YES_NO)
    ended = forms.ChoiceField(label=_("Waiting for the follow-up"), required=False,
                              choices=YES_NO)
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=YES_NO)
    resolved = forms.ChoiceField(label=pgettext_lazy("dispute", "Resolved"), required=False,
                                 choices=YES_NO)
    since = forms.DateField(label=_("Registered from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Registered until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, areas: Sequence[Area] = (), grids: Sequence[Area] = (), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [EVERYTHING, *((a.pk, a.name) for a in areas)]
        _choices(self, "grid").choices = [EVERYTHING, *((g.pk, g.name) for g in grids)]

    def valid_data(self) -> dict[str, Any]:
        """The filters that passed their checks: a bad value in one (its error shown beside
        it) leaves the others working instead of dropping them all."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> DisputeFilters:
        data = self.valid_data()
        return DisputeFilters(
            state=data.get("state") or None, grade=data.get("grade") or None,
            kind=data.get("kind", ""), area_id=data.get("area"), grid_id=data.get("grid"),
            owner_id=data.get("owner"), source=data.get("source", ""),
            open=_yes_no(data.get("open")), ended=_yes_no(data.get("ended")),
            overdue=_yes_no(data.get("overdue")), resolved=_yes_no(data.get("resolved")),
            registered_since=data.get("since"), registered_until=data.get("until"),
            search=(data.get("q") or "").strip())

    def active_count(self) -> int:
        return sum(1 for value in self.valid_data().values() if value not in (None, "", []))


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *Kind.choices],
                             error_messages={"required": _("Choose the type of dispute.")})
    area = forms.TypedChoiceField(label=_("Place"), coerce=int,
                                  error_messages={"required": _("Choose the place.")})
    address = forms.CharField(label=_("Address details (optional)"), max_length=200,
                              required=False)
    summary = forms.CharField(label=_("What is the dispute about?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("Describe the dispute.")})
    people_involved = forms.IntegerField(
        label=_("People involved"), initial=2, min_value=1, max_value=100_000,
        error_messages={"required": _("Give the number of people involved.")})
    violence_threat = forms.BooleanField(label=_("Threat of violence"), required=False)
    petition_risk = forms.BooleanField(label=_("Risk of a group petition"), required=False)
    # "From a case" is not chosen here: making a dispute from a case (?case=) sets it.
    source = forms.ChoiceField(label=_("Source"), initial=Source.DAILY_REPORT,
                               choices=[c for c in Source.choices if c[0] != Source.CASE])
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # How many party rows the page shows ("add a party" posts back with one more).
    party_rows = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, places: Sequence[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [("", "—"), *places]


OUTSIDER = "outsider"
RESIDENT = "resident"


class PartyForm(forms.Form):
    """One row of parties: a registry resident picked by search, or an outsider."""

    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    who = forms.ChoiceField(label=pgettext_lazy("party", "Who"),
                            choices=[(OUTSIDER, _("Not in the registry")),
                                     (RESIDENT, _("Registry resident"))],
                            initial=OUTSIDER, widget=forms.RadioSelect)
    resident = forms.IntegerField(label=_("Resident"), required=False, min_value=1)
    search = forms.CharField(label=_("Find a resident by name"), required=False,
                             max_length=MAX_SEARCH)
    name = forms.CharField(label=_("Full name"), required=False, max_length=64)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=32)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("resident") and not (data.get("name") or "").strip() and not (
            data.get("phone") or data.get("id_number"))


class ActionForm(forms.Form):
    """Inputs of any move; which ones a move needs is the service's business."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # No max_length on the texts: the service's own message says how long they may be.
    note = forms.CharField(required=False)
    owner = forms.IntegerField(required=False, min_value=1)
    referral_to = forms.ChoiceField(required=False, choices=[("", ""), *ReferralTo.choices])
    referral_name = forms.CharField(required=False)


class RegradeForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    note = forms.CharField(label=_("Reason"), required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    mediator = forms.IntegerField(label=_("Mediator"), min_value=1)
    attendees = forms.CharField(label=_("Attendees"), required=False)
    record = forms.CharField(label=pgettext_lazy("mediation session", "Record"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(forms.Form):
    # Every field is optional here: the service names the one that is missing.
    facts = forms.CharField(label=_("Facts and disputed matters"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    responsibilities = forms.CharField(label=_("Responsibilities"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    terms = forms.CharField(label=_("Agreed terms"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    performance_manner = forms.CharField(label=_("Manner of performance"), required=False)
    performance_deadline = forms.DateField(label=_("Deadline of performance"),
                                           required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}))
    signed_on = forms.DateField(label=_("Signed on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    judicial_wanted = forms.BooleanField(label=_("The parties want judicial confirmation"),
                                         required=False)


class PerformanceForm(forms.Form):
    performed = forms.TypedChoiceField(label=_("Was the agreement performed?"),
                                       choices=[("1", _("Performed")),
                                                ("0", _("Not performed"))],
                                       coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False)


class JudicialForm(forms.Form):
    applied_on = forms.DateField(label=_("Applied for on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))


class RevealForm(forms.Form):
    party = forms.IntegerField(min_value=1)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200)
