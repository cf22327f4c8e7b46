"""The smart-triage admin page (智能分拨), for administrators only.

- `admin`: the model in use (or why the rules suggest meanwhile), the training runs and the
  latest run's confusions, accuracy on live use per month, the keyword rules per category.
- `train`: the 立即训练 button; `status`: the training fragment HTMX polls while a run goes.
- `rule_edit`: one category's keywords; a refused edit shows the page again with the reason
  at that category's form and what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, Conflict
from linli.triage import selectors_admin, services


def _manager(request) -> None:
    # Anonymous visitors are sent to log in first (login_required, as every page);
    # logged-in people who do not manage triage get 403.
    if not services.can_manage(request.user):
        raise DjangoPermissionDenied(_("Only an administrator manages triage."))


def _training_context() -> dict:
    confused_run, confusions = selectors_admin.latest_confusions()
    return {
        "in_use": selectors_admin.model_in_use(),
        "running": selectors_admin.run_training(),
        "runs": selectors_admin.runs(),
        "confused_run": confused_run,
        "confusions": confusions,
    }


def _page(request, *, rule_error: ApplicationError | None = None, rule_id: int | None = None,
          typed: str = ""):
    return render(request, "triage/admin.html", {
        **_training_context(),
        "months": selectors_admin.live_accuracy(),
        "groups": selectors_admin.rule_groups(),
        "rule_error": rule_error, "rule_id": rule_id, "typed": typed,
    }, status=rule_error.status if rule_error else 200)


@never_cache
@login_required
@require_GET
def admin(request):
    _manager(request)
    return _page(request)


@never_cache
@login_required
@require_GET
def status(request):
    """The training section alone: HTMX swaps it in every 2 s until no run is going."""
    _manager(request)
    return render(request, "triage/_training.html", _training_context())


@login_required
@require_POST
def train(request):
    _manager(request)
    try:
        run = services.train_request(actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Training v%(version)d started; this page shows when it "
                                    "is done.") % {"version": run.version})
    return redirect("triage:admin")


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, category_id: int):
    _manager(request)
    category = selectors_admin.leaf_get(category_id)
    if category is None:
        raise Http404
    anchor = f"{reverse('triage:admin')}#rule-{category.pk}"
    if request.method == "GET":
        return redirect(anchor)
    typed = request.POST.get("keywords", "")
    try:
        services.rule_save(actor=request.user, category=category, keywords=typed)
    except ApplicationError as exc:
        return _page(request, rule_error=exc, rule_id=category.pk, typed=typed)
    messages.success(request, _("Keywords of %(category)s saved.") % {
        "category": category.name})
    return redirect(anchor)
