"""The ledger's filters (问题台账): one form read by the page, its export and the API, so the
three always mean the same thing by the same parameters: campaign_id, area_id, topic, and
the months `from` and `to` (YYYY-MM; default: this year)."""

import re
from datetime import date
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from linli.accounts import scope
from linli.core.errors import NotFound
from linli.inspections import selectors
from linli.inspections.ledger import MAX_MONTHS, LedgerQuery, month_last, months_between
from linli.inspections.models import Topic
from linli.inspections.permissions import INSPECTORS
from linli.orgs.models import Area, AreaKind

FILTERS = ("campaign_id", "area_id", "topic", "from", "to")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_CHOICES = 300  # campaigns or areas in a select; older campaigns are reached by link
AREA_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID)


def areas_choosable(actor) -> list[Area]:
    """The streets, communities and grids at or under the actor's inspector areas."""
    q = scope.scope_q(actor, roles=INSPECTORS, area_field="")
    return list(Area.objects.filter(q, kind__in=AREA_KINDS).order_by("path")[:MAX_CHOICES])


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
        campaigns = [(c.pk, c.name) for c in selectors.campaigns_visible(actor)[:MAX_CHOICES]]
        areas = [(a.pk, a.name) for a in areas_choosable(actor)]
        self.seen = {"campaign_id": {pk for pk, _n in campaigns},
                     "area_id": {pk for pk, _n in areas}}
        everything: list[tuple[object, object]] = [("", _("All"))]
        for name, choices in (("campaign_id", campaigns), ("area_id", areas),
                              ("topic", list(Topic.choices))):
            cast(forms.ChoiceField, self.fields[name]).choices = [*everything, *choices]

    def _visible(self, field: str, value: int) -> None:
        """An id outside the choices is another community's, or none: it looks missing."""
        if value not in self.seen[field]:
            raise NotFound(_("No such campaign or area in your areas."))

    def full_clean(self):
        # A campaign or an area of someone else's is missing (404), not a typing mistake.
        if self.is_bound:
            for name in ("campaign_id", "area_id"):
                raw = self.data.get(name)
                if raw and str(raw).isdigit():
                    self._visible(name, int(raw))
        super().full_clean()

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
