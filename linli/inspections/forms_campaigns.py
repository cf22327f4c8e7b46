"""Forms of the campaign pages. They only parse input; the rules (who, which areas, which
period, which checklist) live in services.campaigns, whose messages the pages show."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.inspections.models import TargetKind, Template, Topic, Weekday
from linli.orgs.models import Area

# Which such weekday of the month: 第一个 … 最后一个.
ORDINALS = [(1, pgettext_lazy("week of month", "first")),
            (2, pgettext_lazy("week of month", "second")),
            (3, pgettext_lazy("week of month", "third")),
            (4, pgettext_lazy("week of month", "fourth")),
            (5, pgettext_lazy("week of month", "last"))]
MAX_NAME = 100


def template_choices(templates: Sequence[Template]) -> list[Any]:
    """The checklists grouped by topic: choosing one chooses the campaign's topic."""
    labels = dict(Topic.choices)
    groups: dict[str, list[tuple[int, str]]] = {}
    for template in templates:
        groups.setdefault(template.topic, []).append((template.pk, template.name))
    return [("", _("Choose a checklist"))] + [
        (str(labels.get(topic, topic)), options) for topic, options in groups.items()]


def area_label(area: Area) -> str:
    return f"{'· ' if area.kind != 'community' else ''}{area.name}"


class DateInput(forms.DateInput):
    """The phone's date picker, which reads and writes ISO dates only."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    template = forms.TypedChoiceField(label=_("Checklist"), coerce=int)
    areas = forms.TypedMultipleChoiceField(label=_("Areas"), coerce=int,
                                           widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)
    target_kinds = forms.MultipleChoiceField(
        label=_("Kinds of target"), required=False, choices=TargetKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the kinds the checklist is meant for."))
    repeat = forms.BooleanField(label=_("Repeat: make this campaign automatically every "
                                        "month (or every few months)"), required=False)
    ordinal = forms.TypedChoiceField(label=_("On the"), coerce=int, choices=ORDINALS,
                                     initial=1)
    weekday = forms.TypedChoiceField(label=pgettext_lazy("schedule", "Weekday"), coerce=int,
                                     choices=Weekday.choices, initial=Weekday.MONDAY)
    every_months = forms.IntegerField(label=_("Every how many months"), min_value=1,
                                      max_value=12, initial=1)
    duration_days = forms.IntegerField(label=_("Each campaign lasts (days)"), min_value=1,
                                       max_value=90, initial=7)

    def __init__(self, *args, templates: Sequence[Template], areas: Sequence[Area], **kw):
        super().__init__(*args, **kw)
        self.fields["template"].choices = template_choices(templates)  # type: ignore[attr-defined]
        self.fields["areas"].choices = [(a.pk, area_label(a)) for a in areas]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("repeat"):
            for name in ("starts_on", "ends_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give the date."))
        return data

    def kinds(self) -> list[str] | None:
        return self.cleaned_data["target_kinds"] or None


class CampaignEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput,
                              help_text=_("Later, or earlier but not before today."))

    def changed(self, initial_ends_on: date) -> date | None:
        ends_on = self.cleaned_data["ends_on"]
        return ends_on if ends_on != initial_ends_on else None
