"""Forms of the ratings pages. They only parse input; every rule lives in
services/ratings.py."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.community.models import Source
from linli.core.bounds import MAX_ID


class RatingForm(forms.Form):
    community = forms.IntegerField(label=_("Community"), min_value=1, max_value=MAX_ID)
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$",
                             error_messages={"invalid": _("Give a month as YYYY-MM.")})

    def clean_month(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=40)
    max_score = forms.IntegerField(label=_("Most points"), min_value=1, max_value=100)
    source = forms.ChoiceField(label=_("Scored from"), choices=Source.choices)
    position = forms.IntegerField(label=pgettext_lazy("criterion", "Position"),
                                  min_value=0, max_value=1000,
                                  required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class BuildingScoresForm(forms.Form):
    """One building's manual scores: a `score-<criterion id>` field per manual criterion."""

    building = forms.IntegerField(label=_("Building"), min_value=1, max_value=MAX_ID)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score-{c.pk}"] = forms.DecimalField(
                label=c.name, min_value=0, max_value=c.max_score, max_digits=5,
                decimal_places=2)

    def scores(self) -> list:
        return [(c, self.cleaned_data[f"score-{c.pk}"]) for c in self.criteria]


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
