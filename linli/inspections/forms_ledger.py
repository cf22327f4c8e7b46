"""The ledger's filters (问题台账): one form read by the page, its export and the API, so the
three always mean the same thing by the same parameters: campaign_id, area_id, topic, and
the months `from` and `to` (YYYY-MM; default: this year)."""

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from linli.accounts import scope
from linli.core.bounds import MAX_ID
from linli.core.errors import NotFound
from linli.inspections import selectors
from linli.inspections.ledger import MAX_MONTHS, LedgerQuery, month_last, months_between
from linli.inspections.models import Campaign, Topic
from linli.inspections.permissions import INSPECTORS
from linli.orgs.models import Area, AreaKind

FILTERS = ("campaign_id", "area_id", "topic", "from", "to")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_CHOICES = 300  # campaigns or areas in a select; older campaigns are reached by link
AREA_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID)


def areas_q(actor) -> QuerySet[Area]:
    """The streets, communities and grids at or under the actor's inspector areas."""
    q = scope.scope_q(actor, roles=INSPECTORS, area_field="")
    return Area.objects.filter(q, kind__in=AREA_KINDS).order_by("path")


def areas_choosable(actor) -> list[Area]:
    return list(areas_q(actor)[:MAX_CHOICES])


def campaigns_choosable(actor) -> list[Campaign]:
    return list(selectors.campaigns_visible(actor)[:MAX_CHOICES])


def _month(value: str) -> tuple[int, int] | None:
    found = MONTH.match(value or "")
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        return None
    return int(found.group(1)), int(found.group(2))


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}",
                                    "placeholder": "2026-01"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = _month(value)
        if month is None:
            raise forms.ValidationError(_("Give a month as year-month, e.g. 2026-01."))
        return month


class LedgerForm(forms.Form):
    campaign_id = forms.TypedChoiceField(label=gettext_lazy("Campaign"), required=False,
                                         coerce=int, empty_value=None)
    area_id = forms.TypedChoiceField(label=pgettext_lazy("inspections ledger", "Area"),
                                     required=False, coerce=int, empty_value=None)
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)

    def __init__(self, data=None, *, actor):
        super().__init__(data)
        self.actor = actor
        self.fields["from"] = MonthField(label=gettext_lazy("From month"), required=False)
        self.fields["to"] = MonthField(label=gettext_lazy("To month"), required=False)
        self.choices: dict[str, list[Any]] = {
            "campaign_id": campaigns_choosable(actor), "area_id": areas_choosable(actor)}
        if data is not None:
            self._chosen(data)
        everything: list[tuple[object, object]] = [("", _("All"))]
        for name, rows in self.choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = [
                *everything, *((row.pk, row.name) for row in rows)]
        cast(forms.ChoiceField, self.fields["topic"]).choices = [*everything, *Topic.choices]

    def _chosen(self, data) -> None:
        """A campaign or area asked for by id: someone else's, or none, looks missing (404),
        not like a typing mistake; one of the actor's beyond the select's first rows joins
        the choices."""
        for name, visible in (("campaign_id", selectors.campaigns_visible(self.actor)),
                              ("area_id", areas_q(self.actor))):
            raw = str(data.get(name) or "")
            if not raw.isdigit() or int(raw) in {row.pk for row in self.choices[name]}:
                continue
            row = visible.filter(pk=int(raw)).first() if int(raw) <= MAX_ID else None
            if row is None:
                raise NotFound(_("No such campaign or area in your areas."))
            self.choices[name].append(row)

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        today = timezone.localdate()
        # A month left out: the year of the other one (this year when neither is given).
        given_first, given_last = data.get("from"), data.get("to")
        year = (given_first or given_last or (today.year, 1))[0]
        first = given_first or (year, 1)
        last = given_last or (first[0], 12)
        if first > last:
            raise forms.ValidationError(_("The first month is after the last."))
        if len(months_between(date(first[0], first[1], 1), date(last[0], last[1], 1))) > MAX_MONTHS:
            raise forms.ValidationError(_("Choose at most %(n)d months.") % {"n": MAX_MONTHS})
        data["first"], data["last"] = first, last
        return data

    def query(self) -> LedgerQuery:
        """The valid form's query; this year when nothing is asked."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        first = data.get("first") or (timezone.localdate().year, 1)
        last = data.get("last") or (first[0], 12)
        return LedgerQuery(first=date(first[0], first[1], 1), last=month_last(last),
                           campaign_id=data.get("campaign_id"), area_id=data.get("area_id"),
                           topic=data.get("topic") or "")

    def parameters(self) -> dict[str, str]:
        """The query as the form's own parameters (the export button, the pages' links)."""
        q = self.query()
        out = {"campaign_id": q.campaign_id, "area_id": q.area_id, "topic": q.topic,
               "from": f"{q.first:%Y-%m}", "to": f"{q.last:%Y-%m}"}
        return {k: str(v) for k, v in out.items() if v not in (None, "")}
