"""The indicator page (化解率 by grade, type, grid and month) and the map of open yellow and
red disputes, for dispute staff (grid workers, dispatchers, mediators, leaders), over the
disputes of their areas. A person without such a role gets 404: the pages of a role one
does not hold do not exist for them."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.disputes import indicators
from linli.disputes.permissions import STAFF
from linli.orgs.models import Area
from linli.orgs.shapes import area_shapes


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("Registered from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Registered until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        since, until = indicators.default_period(timezone.localdate())
        since, until = data.get("since") or since, data.get("until") or until
        if since > until:
            raise forms.ValidationError(_("The start of the period is after its end."))
        if (until - since).days >= indicators.MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        data["since"], data["until"] = since, until
        return data


def may_view(user) -> bool:
    return scope.has_role(user, STAFF)


def _require_staff(user) -> None:
    if not may_view(user):
        raise Http404


def _own_areas(user) -> list[Area] | None:
    """The areas the person works in, where the map centres; None for a superuser."""
    if user.is_superuser:
        return None
    return [a.area for a in scope.assignments(user) if a.role in STAFF and a.area is not None]


@login_required
@require_GET
def indicators_page(request):
    _require_staff(request.user)
    since, until = indicators.default_period(timezone.localdate())
    form = PeriodForm(request.GET or None, initial={"since": since, "until": until})
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    figures = indicators.dispute_indicators(actor=request.user, since=since, until=until)
    return render(request, "disputes/indicators.html", {
        "form": form, "figures": figures, "sections": [
            (_("By grade"), "grade", figures.by_grade),
            (_("By type"), "kind", figures.by_kind),
            (_("By grid"), "grid", figures.by_grid),
            (_("By month of registration"), "month", figures.by_month)],
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def map_page(request):
    _require_staff(request.user)
    total = indicators.open_graded(actor=request.user).count()
    return render(request, "disputes/map.html", {
        "areas": area_shapes(actor=request.user, roots=_own_areas(request.user)),
        "points_url": reverse("disputes:map_geojson"), "total": total,
        "limit": indicators.MAP_LIMIT, "list_url": indicators.open_graded_url()})


@login_required
@require_GET
def map_geojson(request):
    _require_staff(request.user)
    disputes = list(indicators.open_graded(actor=request.user)[:indicators.MAP_LIMIT])
    return JsonResponse(indicators.map_points(disputes), content_type="application/geo+json")
