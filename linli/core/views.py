from datetime import datetime, time, timedelta

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from linli.core import selectors
from linli.core.access import access
from linli.core.auditwords import action_words, changes_words, object_type_words
from linli.core.middleware import LANGUAGE_COOKIE
from linli.core.redirects import local_url


def home_templates() -> list[str]:
    """The tiles installed apps put on the home page (`home_templates` on their AppConfig,
    as (order, template name)), lowest order first."""
    declared = [(order, i, name) for i, config in enumerate(apps.get_app_configs())
                for order, name in getattr(config, "home_templates", ())]
    return [name for _order, _i, name in sorted(declared)]


@login_required
def home(request):
    return render(request, "core/home.html", {"assignments": access().assignments(request.user),
                                              "home_templates": home_templates()})


@require_POST
def set_language(request):
    language = request.POST.get("language", "zh-hans")
    target = local_url(request, request.POST.get("next"), "/")
    response = HttpResponseRedirect(target)
    if language in ("zh-hans", "en"):
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _day_start(raw: str | None, days: int = 0) -> datetime | None:
    """The start of a yyyy-mm-dd day (plus `days`) in local time; None if not a date."""
    try:
        day = parse_date(raw or "")
    except ValueError:
        return None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=days), time.min))


def changes_text(changes: dict) -> str:
    """An entry's changes as `field: value` pairs a person can read, not a Python dict."""
    return changes_words("", changes)


@login_required
def audit(request):
    if not access().is_admin(request.user):
        raise Http404
    params = request.GET
    since, until = _day_start(params.get("since")), _day_start(params.get("until"), days=1)
    entries = selectors.audit_list(
        actor=request.user, action=params.get("action", ""), actor_label=params.get("actor", ""),
        object_type=params.get("object_type", ""), since=since, search=params.get("q", ""),
        until=until,
    ).select_related(None)
    page = Paginator(entries, 50).get_page(params.get("page"))
    rows = [(entry, action_words(entry.action), object_type_words(entry.object_type),
             changes_words(entry.object_type, entry.changes)) for entry in page]
    return render(request, "core/audit.html", {"page": page, "rows": rows, "params": params})
