"""Forms of the volunteering pages. They only parse input; every rule lives in the services
(a form that parses still gets the service's clear refusal for a bad window or hours)."""

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.volunteering.models import TaskKind, WishCategory

ACTION_LABELS = {
    "check_in": pgettext_lazy("volunteering", "Check in"),
    "check_out": pgettext_lazy("volunteering", "Check out"),
    "report": pgettext_lazy("volunteering", "Report hours"),
    "withdraw": pgettext_lazy("volunteering", "Withdraw"),
    "confirm": pgettext_lazy("volunteering", "Confirm"),
    "reject": pgettext_lazy("volunteering", "Reject"),
    "rate": pgettext_lazy("volunteering", "Rate"),
    "publish": pgettext_lazy("volunteering", "Publish"),
    "start": pgettext_lazy("volunteering", "Start"),
    "complete": pgettext_lazy("volunteering", "Complete"),
    "cancel": pgettext_lazy("volunteering", "Cancel"),
    "decline": pgettext_lazy("volunteering", "Decline"),
}
# A task's history reads in words, not in action codes.
EVENT_LABELS = {
    "create": pgettext_lazy("volunteering event", "Created"),
    "publish": pgettext_lazy("volunteering event", "Published"),
    "fill": pgettext_lazy("volunteering event", "All places taken"),
    "reopen": pgettext_lazy("volunteering event", "A place opened again"),
    "start": pgettext_lazy("volunteering event", "Started"),
    "complete": pgettext_lazy("volunteering event", "Completed"),
    "cancel": pgettext_lazy("volunteering event", "Cancelled"),
}
STARS = [(n, "★" * n) for n in range(5, 0, -1)]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME,
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class WishForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of help"), choices=WishCategory.choices)
    description = forms.CharField(label=_("What do you need?"), max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = _when(pgettext_lazy("time window", "From"))
    ends_at = _when(pgettext_lazy("time window", "Until"))
    area = forms.TypedChoiceField(label=_("Where"), coerce=int)
    address = forms.CharField(label=_("Address or meeting point"), max_length=200,
                              required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [(a.pk, a.full_name()) for a in places]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"),
                             choices=[c for c in TaskKind.choices if c[0] != TaskKind.WISH])
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.TypedChoiceField(label=_("Where"), coerce=int)
    address = forms.CharField(label=_("Address or meeting point"), max_length=200,
                              required=False)
    starts_at = _when(pgettext_lazy("time window", "From"))
    ends_at = _when(pgettext_lazy("time window", "Until"))
    volunteers_needed = forms.IntegerField(label=_("Volunteers needed"), initial=1)
    points_offered = forms.IntegerField(
        label=_("Points per volunteer (0: by the hour, as the community's rule says)"),
        initial=0)
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "area").choices = [(a.pk, a.full_name()) for a in places]


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Task title"), max_length=100, required=False)
    volunteers_needed = forms.IntegerField(label=_("Volunteers needed"), initial=1)
    points_offered = forms.IntegerField(
        label=_("Points per volunteer (0: by the hour)"), initial=0)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ClaimActionForm(forms.Form):
    """Inputs of every claim action; each action uses the ones it needs."""

    hours = forms.CharField(label=_("Hours"), max_length=8, required=False)
    rating = forms.TypedChoiceField(label=_("Rating"), choices=STARS, coerce=int,
                                    required=False, empty_value=None)
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ProfileForm(forms.Form):
    skills = forms.MultipleChoiceField(label=_("Skills"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    availability = forms.CharField(label=_("When are you available?"), max_length=200,
                                   required=False)
    grid = forms.TypedChoiceField(label=_("Grid"), coerce=int, required=False,
                                  empty_value=None)

    def __init__(self, *args, skills=(), grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "skills").choices = [(s.code, s.name) for s in skills]
        _choices(self, "grid").choices = [("", "—"), *((g.pk, g.name) for g in grids)]


class SearchForm(forms.Form):
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    grid = forms.TypedChoiceField(label=_("Grid"), coerce=int, required=False,
                                  empty_value=None)

    def __init__(self, *args, skills=(), grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "skill").choices = [("", _("Any skill")), *((s.code, s.name)
                                                                 for s in skills)]
        _choices(self, "grid").choices = [("", _("Any grid")), *((g.pk, g.name) for g in grids)]


def default_window() -> dict:
    """Tomorrow 9:00 to 11:00, as initial values of a window."""
    day = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return {"starts_at": day.replace(hour=9), "ends_at": day.replace(hour=11)}
