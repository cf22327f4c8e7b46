"""The supervision page (督办统计): per unit, how often its cases were urged, given a
notice, answered late, reassigned away or escalated, in a period. For dispatchers and
leaders (and superusers), over the cases of their areas."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.cases.selectors_supervision import may_supervise, supervision_counts
from linli.cases.views import require

DEFAULT_DAYS = 30
MAX_DAYS = 366


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        today = timezone.localdate()
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        if since > until:
            raise forms.ValidationError(_("The start of the period is after its end."))
        if (until - since).days >= MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most one year."))
        data["since"], data["until"] = since, until
        return data


@login_required
def supervision_page(request):
    user = request.user
    require(may_supervise(user))
    until = timezone.localdate()
    since = until - timedelta(days=DEFAULT_DAYS - 1)  # the last 30 days unless asked
    form = PeriodForm(request.GET or None, initial={"since": since, "until": until})
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    rows = supervision_counts(actor=user, since=since, until=until)
    return render(request, "cases/supervision.html", {
        "form": form, "rows": rows, "since": since, "until": until,
    }, status=400 if form.errors else 200)
