"""Forms of the case pages. They only parse input; every rule lives in the services."""

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.cases.models import OPEN_STATES, Priority, Rating, State, Triage
from linli.cases.selectors import CaseFilters, leaf_categories
from linli.core.held import too_many
from linli.orgs.models import Area, AreaKind

# Labels of the action buttons, by action name.
ACTION_LABELS = {
    "accept": _("Accept"),
    "reject": _("Reject"),
    "advise": _("Close with advice (private matter)"),
    "dispatch": _("Dispatch"),
    "acknowledge": _("Acknowledge"),
    "return": _("Return to the dispatcher"),
    "resolve": _("Report as resolved"),
    "verify": _("Verify on site"),
    "fail": _("Not fixed: send back for rework"),
    "close": _("Close"),
    "rate": _("Rate"),
    "reopen": _("Reopen"),
    "hold": _("Put on hold"),
    "unhold": _("Take off hold"),
    "merge": _("Merge into another case"),
    "urge": _("Urge the unit"),
    "notice": _("Issue a supervision notice"),
    "answer_notice": _("Answer the supervision notice"),
    "reassign": _("Reassign to another unit"),
    "escalate": _("Escalate to the street"),
}

# Labels of the timeline entries, by the event's action.
EVENT_LABELS = {
    "report": _("Reported"),
    "accept": _("Accepted"),
    "reject": _("Rejected"),
    "advise": _("Closed with advice"),
    "dispatch": _("Dispatched"),
    "acknowledge": _("Acknowledged by the unit"),
    "return": _("Returned to the dispatcher"),
    "resolve": _("Resolved"),
    "verify": _("Verified on site"),
    "fail": _("Sent back for rework"),
    "close": _("Closed"),
    "rate": _("Rated"),
    "reopen": _("Reopened"),
    "hold": _("Put on hold"),
    "unhold": _("Taken off hold"),
    "merge": _("Merged"),
    "extension_request": _("More time requested"),
    "extension_approve": _("More time approved"),
    "extension_deny": _("More time denied"),
    "supervise": _("Overdue notice"),
    "urge": _("Urged"),
    "notice": _("Supervision notice issued"),
    "answer_notice": _("Supervision notice answered"),
    "notice_overdue": _("Supervision notice not answered in time"),
    "reassign": _("Reassigned"),
    "escalate": _("Escalated to the street"),
    "remark": _("Update from the reporter"),
    "route": _("Sent to the device's owner unit"),
    "device_alarm": _("The device alarmed again"),
}

# Actions whose form asks for a note, and whether the note is required (services check it).
NOTE_LABELS = {
    "reject": _("Reason for rejecting"),
    "advise": _("Advice to the resident"),
    "return": _("Why it is returned"),
    "resolve": _("What was done"),
    "fail": _("What is still wrong"),
    "reopen": _("Why it is not solved"),
    "hold": _("Why it is put on hold"),
    "notice": _("What the unit must do"),
    "answer_notice": _("Your answer"),
    "reassign": _("Why it is reassigned"),
    "escalate": _("Why the street should take it up"),
}
PHOTO_ACTIONS = {"resolve", "verify", "fail"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; their content is checked by the service."""

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class ReportForm(forms.Form):
    category = forms.CharField(label=_("Category"), max_length=16,
                               error_messages={"required": _("Choose a category.")})
    title = forms.CharField(label=_("Title (optional)"), max_length=100, required=False)
    description = forms.CharField(label=_("What is the problem?"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": _("Describe the problem.")})
    area = forms.IntegerField(label=_("Place"),
                              error_messages={"required": _("Choose the place.")})
    address = forms.CharField(label=_("Address details (optional)"), max_length=200,
                              required=False)
    lat = forms.DecimalField(max_digits=9, decimal_places=6, required=False,
                             min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.DecimalField(max_digits=9, decimal_places=6, required=False,
                             min_value=-180, max_value=180, widget=forms.HiddenInput)
    # Ticked: only the people handling it see the case (a neighbour's flat, a family
    # matter). Unticked, or left out by an older form, the case is public as before.
    not_public = forms.BooleanField(
        label=_("Do not show this report among the community's public cases"),
        required=False)
    photos = MultipleFileField(
        label=_("Photos"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    # One key per form load: a double submit returns the first case instead of a second.
    idem = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, held: Sequence[str] = (), **kwargs):
        # `held`: the photos this form holds (core/held.py), those chosen now among them.
        super().__init__(*args, **kwargs)
        self.held = list(held)
        if not self.is_bound:
            self.initial.setdefault("idem", uuid.uuid4().hex)

    def clean(self):
        data = super().clean()
        refused = too_many(len(self.held))  # held and newly chosen together
        if refused is not None:
            self.add_error("photos", refused.message)
        return data


class HotlineForm(ReportForm):
    """A call to the hotline, typed in by a dispatcher: the report and who called. Only
    the caller's name is kept, never their phone number (privacy)."""

    reporter_name = forms.CharField(label=_("Caller's name"), max_length=64,
                                    error_messages={"required": _("Enter the caller's name.")})


class ActionForm(forms.Form):
    """Inputs of any transition; which ones an action needs is the service's business."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # No max_length on the texts: the service's own message says how long they may be.
    note = forms.CharField(required=False)
    triage = forms.ChoiceField(choices=[("", ""), *Triage.choices], required=False)
    priority = forms.ChoiceField(choices=[("", ""), *Priority.choices], required=False)
    unit = forms.IntegerField(required=False)
    rating = forms.ChoiceField(choices=[("", ""), *Rating.choices], required=False)
    comment = forms.CharField(required=False)
    master = forms.IntegerField(required=False)
    # A datetime-local input ("2026-12-08T17:00"), in the site's time zone.
    respond_by = forms.DateTimeField(required=False)


class ExtensionRequestForm(forms.Form):
    amount = forms.DecimalField(label=_("Extra time"), max_digits=6, decimal_places=2,
                                min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", _("Approve")), ("0", _("Deny"))],
                                     coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    next = forms.CharField(required=False)


def _natural(text: str) -> list[tuple[int, int, str]]:
    """"2栋" before "10栋": numbers inside names compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part]


def sibling_key(area: Area) -> tuple:
    """Siblings in the order people expect: by code where areas have one, then by name.
    (Ordering by the id path would put "1栋" after "2栋" whenever it was created later.)"""
    return (area.code or "~", _natural(area.name), area.pk)


def tree_order(areas: Iterable[Area]) -> list[Area]:
    """`areas` as a tree (each area after its ancestors among them), siblings by
    `sibling_key`."""
    listed = list(areas)
    by_id = {area.pk: area for area in listed}

    def key(area: Area) -> list[tuple]:
        return [sibling_key(by_id[pk]) for pk in area.ancestor_ids if pk in by_id]

    return sorted(listed, key=key)


OVERDUE_CHOICES = [("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))]
ESCALATED_CHOICES = [("", _("Any")), ("yes", _("Escalated")), ("no", _("Not escalated"))]
OPEN = "open"


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int,
                                  empty_value=None)
    unit = forms.TypedChoiceField(label=_("Handling unit"), required=False, coerce=int,
                                  empty_value=None)
    overdue = forms.ChoiceField(label=_("Deadline"), choices=OVERDUE_CHOICES, required=False)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    escalated = forms.ChoiceField(label=_("Escalated to the street"),
                                  choices=ESCALATED_CHOICES, required=False)
    q = forms.CharField(label=_("Text"), required=False, max_length=100)

    def __init__(self, *args, areas=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        choices: dict[str, list[tuple[Any, Any]]] = {
            "state": [(OPEN, _("All open")), everything, *State.choices],
            "category": [everything, *(
                (leaf.code, f"{group.name if group else ''} · {leaf.name}")
                for group, leaves in leaf_categories() for leaf in leaves)],
            "area": [everything, *((a.pk, f"{'· ' * max(a.depth - 2, 0)}{a.name}")
                                   for a in areas)],
            "unit": [everything, *((u.pk, u.name) for u in units)],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def valid_data(self) -> dict[str, Any]:
        """The filters that passed their checks: a bad value in one (its error is shown
        beside it) leaves the others working instead of silently dropping them all."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> "CaseFilters":
        data = self.valid_data()
        state = data.get("state", OPEN)
        overdue = {"yes": True, "no": False}.get(data.get("overdue", ""))
        return CaseFilters(
            state=list(OPEN_STATES) if state == OPEN else ([state] if state else None),
            category=data.get("category", ""), area_id=data.get("area"),
            unit_id=data.get("unit"), overdue=overdue, since=data.get("since"),
            until=data.get("until"), q=(data.get("q") or "").strip(),
            escalated={"yes": True, "no": False}.get(data.get("escalated", "")))

    def active_count(self) -> int:
        data = self.valid_data()
        return sum(1 for key, value in data.items()
                   if value not in (None, "") and not (key == "state" and value == OPEN))



# The queue's filters by name: what its 导出 Excel button carries to the export.
QUEUE_FILTERS = ("state", "category", "area", "unit", "overdue", "since", "until", "escalated",
                 "q")


def queue_filter_form(actor, data) -> QueueFilterForm:
    """The queue's filters, offering the actor's communities and grids and the units that
    serve them; no filters at all means the open cases, as on the page."""
    from linli.cases.selectors import queue_units
    from linli.orgs.selectors import area_list

    areas = tree_order(area_list(actor=actor).filter(
        kind__in=[AreaKind.COMMUNITY, AreaKind.GRID])[:500])
    return QueueFilterForm(data or {"state": OPEN}, areas=areas,
                           units=queue_units(actor=actor))
class PublicationForm(forms.Form):
    is_published = forms.BooleanField(required=False, label=_("Publish the public cases"))
    anonymous_allowed = forms.BooleanField(required=False,
                                           label=_("Visitors may see them without logging in"))
