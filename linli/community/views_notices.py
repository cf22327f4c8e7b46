"""The notices pages (公告). `urlpatterns` is gathered by urls.py; `notices` and `notice`
are the names other parts link to.

- `notices`: residents see the notices out now (pinned first, unread marked); staff every
  notice of their reach with its state (draft, scheduled, shown, expired, withdrawn) and
  read rate, and a link to write one.
- `notice_new` / `notice_edit`: the form with attachments; saving a draft or publishing
  it at once. A published notice's form changes only its pin and its expiry.
- `notice`: the notice and its attachments. A resident of its audience opening it records
  the household's read receipt. Staff serving the place see the read rate and, for an
  urgent notice, the households that have not read it by building; its author withdraws
  it with a reason or publishes a draft.
- `notice_attachment`: a file, only to who sees the notice.

A refused form shows the page again with the reason and the status the API would answer,
the person's text kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts import scope
from linli.community import selectors_notices as notices
from linli.community import services
from linli.community.forms_notices import (
    NoticeActionForm,
    NoticeEditPublishedForm,
    NoticeForm,
    first_invalid,
)
from linli.community.models import Notice, NoticeKind, NoticeState
from linli.community.permissions import STAFF
from linli.community.selectors import notice_get
from linli.community.services.notices import AREA_KINDS, MAX_FILES
from linli.community.workflow import NOTICES
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.media import private_file
from linli.orgs.models import Area
from linli.people.models import CareTag

PAGE_SIZE = 20
PAGE_ACTIONS = ("publish", "withdraw")
DONE = {"publish": _("The notice is published."), "withdraw": _("The notice is withdrawn.")}


def place_choices(user):
    """The places the user may publish to: streets down to buildings they manage."""
    paths = scope.area_paths(user, STAFF)
    if not paths:
        return Area.objects.none()
    under = Q()
    for p in paths:
        under |= Q(path__startswith=p)
    return Area.objects.filter(under, kind__in=AREA_KINDS).order_by("depth", "path")[:300]


# --- the list ----------------------------------------------------------------------------

@login_required
@require_GET
def notice_list(request):
    user = request.user
    staff = notices.is_staff(user)
    rows = notices.notice_list(user) if staff else notices.resident_notices(user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"notice": n, "shown": notices.shown_state(n),
              "shown_label": notices.SHOWN_LABELS[notices.shown_state(n)],
              "rate": (notices.read_rate(n) if staff and n.state != NoticeState.DRAFT
                       else None)} for n in page]
    return render(request, "community/notices/list.html", {
        "page": page, "items": items, "is_staff": staff,
        "can_write": staff and place_choices(user).exists()})


# --- writing -----------------------------------------------------------------------------

def _form_context(user, notice: Notice | None, error, posted) -> dict[str, Any]:
    return {"notice": notice, "places": list(place_choices(user)),
            "kinds": NoticeKind.choices, "tags": CareTag.objects.order_by("pk"),
            "error": error, "posted": posted, "max_files": MAX_FILES,
            "published": notice is not None and notice.state == NoticeState.PUBLISHED}


def _save_new(request, data: dict) -> Notice:
    return services.notice_create(
        actor=request.user, area=Area.objects.filter(pk=data["area"]).first(),
        kind=data["kind"], title=data["title"], body=data["body"],
        care_tag=_tag(data["care_tag"]), pinned=data["pinned"],
        publish_at=data["publish_at"], expires_at=data["expires_at"],
        photos=request.FILES.getlist("photos"),
        attachments=request.FILES.getlist("attachments"))


def _tag(pk: int | None) -> CareTag | None:
    if not pk:
        return None
    tag = CareTag.objects.filter(pk=pk).first()
    if tag is None:
        raise ValidationFailed(str(_("Unknown care tag.")), code="bad_care_tag")
    return tag


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    error = None
    if request.method == "POST":
        form = NoticeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(first_invalid(form), code="invalid")
            with transaction.atomic():
                notice = _save_new(request, form.cleaned_data)
                if request.POST.get("then") == "publish":
                    services.notice_transition(actor=request.user, notice=notice,
                                               action="publish")
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, str(DONE["publish"] if notice.state != NoticeState.DRAFT
                                          else _("The draft is saved.")))
            return redirect("community:notice", notice.pk)
    return render(request, "community/notices/form.html",
                  _form_context(request.user, None, error, request.POST if error else {}),
                  status=error.status if error else 200)


def _edit_changes(request, notice: Notice) -> dict[str, Any]:
    if notice.state == NoticeState.PUBLISHED:
        form: Any = NoticeEditPublishedForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        return dict(form.cleaned_data)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(first_invalid(form), code="invalid")
    data = dict(form.cleaned_data)
    data["area"] = Area.objects.filter(pk=data["area"]).first()
    data["care_tag"] = _tag(data["care_tag"])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, notice_id: int):
    notice = notice_get(actor=request.user, notice_id=notice_id)
    if not notices.may_manage(request.user, notice) or notice.state == NoticeState.WITHDRAWN:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                services.notice_update(actor=request.user, notice=notice,
                                       changes=_edit_changes(request, notice))
                files = (request.FILES.getlist("photos"), request.FILES.getlist("attachments"))
                if any(files):
                    services.notice_files_add(actor=request.user, notice=notice,
                                              photos=files[0], attachments=files[1])
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, str(_("The notice is saved.")))
            return redirect("community:notice", notice.pk)
    posted = request.POST if error else _initial(notice)
    return render(request, "community/notices/form.html",
                  _form_context(request.user, notice, error, posted),
                  status=error.status if error else 200)


def _initial(notice: Notice) -> dict[str, Any]:
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""

    return {"area": str(notice.area_id), "kind": notice.kind, "title": notice.title,
            "body": notice.body, "care_tag": str(notice.care_tag_id or ""),
            "pinned": "on" if notice.pinned else "", "publish_at": local(notice.publish_at),
            "expires_at": local(notice.expires_at)}


# --- one notice --------------------------------------------------------------------------

def _detail_context(user, notice: Notice) -> dict[str, Any]:
    actions = [a for a in NOTICES.actions_for(user, notice) if a in PAGE_ACTIONS]
    staff = notices.may_see_reads(user, notice)
    shown = notices.shown_state(notice)
    return {"notice": notice, "files": notices.files_of(notice), "actions": actions,
            "shown": shown, "shown_label": notices.SHOWN_LABELS[shown],
            "is_staff": staff, "rate": notices.read_rate(notice) if staff else None,
            "unread": (notices.unread_households(notice)
                       if notices.may_see_unread(user, notice) else None),
            "can_edit": (notices.may_manage(user, notice)
                         and notice.state != NoticeState.WITHDRAWN)}


def render_detail(request, notice: Notice, error: ApplicationError | None = None,
                  form_id: str = ""):
    context = _detail_context(request.user, notice)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "community/notices/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def notice_detail(request, notice_id: int):
    notice = notice_get(actor=request.user, notice_id=notice_id)
    services.notice_read(actor=request.user, notice=notice)
    return render_detail(request, notice)


@login_required
@require_POST
def notice_act(request, notice_id: int, action: str):
    notice = notice_get(actor=request.user, notice_id=notice_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = NoticeActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.notice_transition(actor=request.user, notice=notice, action=action,
                                   note=form.cleaned_data["note"],
                                   expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        notice.refresh_from_db()
        return render_detail(request, notice, error=exc, form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    return redirect("community:notice", notice.pk)


@login_required
@require_GET
def notice_attachment(request, notice_id: int, attachment_id: int):
    notice = notice_get(actor=request.user, notice_id=notice_id)
    f = notices.file_get(notice=notice, attachment_id=attachment_id)
    response = private_file(f.file, f.content_type)
    if f.content_type == "application/pdf":
        response["Content-Disposition"] = "inline"
    return response


urlpatterns: list = [
    path("notices/", notice_list, name="notices"),
    path("notices/new/", notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notice_detail, name="notice"),
    path("notices/<int:notice_id>/edit/", notice_edit, name="notice_edit"),
    path("notices/<int:notice_id>/act/<str:action>/", notice_act, name="notice_act"),
    path("notices/<int:notice_id>/attachments/<int:attachment_id>/", notice_attachment,
         name="notice_attachment"),
]
