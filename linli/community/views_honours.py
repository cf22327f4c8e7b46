"""The honours pages (红黑榜, 善行义举榜). `boards`, `board` and `entry` are the names other
parts link to.

- `boards`: the boards the person sees; staff: create a board, the review queue.
- `board`: a period's approved entries (a period picker), with photos and replies; the
  nominate button; the person's own pending nominations.
- `entry`: reason, photos, replies, the reply form for the named (staff: for a paper
  reply), staff's approve / decline / withdraw.
- `honours_nominate`, `honours_board_new`, `honours_board_edit`, `honours_review`.
A refused form shows the page again with the reason and what was typed.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.community import permissions, selectors_honours
from linli.community.forms_honours import (
    BoardForm,
    EntryActionForm,
    NominateForm,
    ReplyForm,
    first_invalid,
)
from linli.community.models import (
    BLACK_SUBJECTS,
    Board,
    BoardKind,
    HonourEntry,
    Period,
    SubjectKind,
)
from linli.community.selectors import board_get
from linli.community.selectors_honours import entry_get
from linli.community.services import honours as services
from linli.community.workflow import ENTRIES
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.media import private_file
from linli.orgs.models import Area, Unit

ACTION_LABELS = {"approve": _("Approve"), "decline": pgettext_lazy("honour", "Decline"),
                 "withdraw": _("Withdraw")}
DONE = {"approve": _("The entry is on the board."), "decline": _("The entry was declined."),
        "withdraw": _("The entry was withdrawn.")}


@login_required
@require_GET
def board_list(request):
    user = request.user
    return render(request, "community/honours/boards.html", {
        "boards": selectors_honours.boards_list(user),
        "places": _board_places(user),
        "queue": selectors_honours.review_queue(user).count(),
        "named": selectors_honours.about_my_units(user)[:50],
    })


def _board_places(user):
    return [a for a in Area.objects.filter(kind__in=services.BOARD_PLACES).order_by("path")
            if permissions.manages(user, a)][:50]


def _period(request) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        return None


@login_required
@require_GET
def board_detail(request, board_id: int):
    user = request.user
    board = board_get(actor=user, board_id=board_id)
    period = _period(request) or selectors_honours.current_period(board)
    entries = list(selectors_honours.board_entries(user, board, period))
    return render(request, "community/honours/board.html", {
        "board": board, "entries": entries, "period": services.period_start(board.period,
                                                                             period),
        "periods": selectors_honours.board_periods(user, board),
        "is_black": board.kind == BoardKind.BLACK, "is_red": board.kind == BoardKind.RED,
        "can_nominate": services.may_nominate(user, board),
        "can_edit": permissions.manages(user, board.area),
        "mine": selectors_honours.my_nominations(user, board),
    })


def _subject_choices(board: Board) -> list:
    if board.kind == BoardKind.BLACK:
        return [c for c in SubjectKind.choices if c[0] in BLACK_SUBJECTS]
    return list(SubjectKind.choices)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, board_id: int):
    user = request.user
    board = board_get(actor=user, board_id=board_id)
    error = None
    if request.method == "POST":
        form = NominateForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(first_invalid(form), code="invalid")
            data = form.cleaned_data
            entry = services.entry_nominate(
                actor=user, board=board, subject_kind=data["subject_kind"],
                subject_name=data["subject_name"], reason=data["reason"],
                building=(Area.objects.filter(pk=data["building"]).first()
                          if data["building"] else None),
                unit=Unit.objects.filter(pk=data["unit"]).first() if data["unit"] else None,
                photos=request.FILES.getlist("photos"))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, str(_("Thank you: staff will review your nomination.")))
            return redirect("community:entry", entry.pk)
    buildings = Area.objects.filter(kind="building", path__startswith=board.area_path)
    units = Unit.objects.filter(is_active=True).order_by("name")
    return render(request, "community/honours/nominate.html", {
        "board": board, "error": error, "posted": request.POST if error else {},
        "subjects": _subject_choices(board), "buildings": buildings[:200],
        "units": [u for u in units[:200] if services._unit_serves(u, board)],
        "max_photos": services.MAX_PHOTOS,
    }, status=error.status if error else 200)


def _entry_context(user, entry: HonourEntry) -> dict:
    staff = permissions.serves(user, entry.board.area)
    return {
        "entry": entry, "board": entry.board,
        "photos": list(enumerate(entry.photos.order_by("pk"))),
        "replies": selectors_honours.replies_shown(user, entry),
        "nominator": selectors_honours.nominator_name(user, entry),
        "actions": [(a, ACTION_LABELS[a]) for a in ENTRIES.actions_for(user, entry)],
        "can_reply": services.may_reply(user, entry),
        "paper_reply": staff and not services.is_named(user, entry),
        "is_black": entry.board.kind == BoardKind.BLACK,
        # A unit named on a board reads its entry but not the board of a place it serves.
        "board_visible": permissions.may_see(user, entry.board.area),
    }


def render_entry(request, entry: HonourEntry, error: ApplicationError | None = None,
                 form_id: str = ""):
    context = _entry_context(request.user, entry)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "community/honours/entry.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def entry_detail(request, entry_id: int):
    return render_entry(request, entry_get(actor=request.user, entry_id=entry_id))


@login_required
@require_POST
def entry_act(request, entry_id: int, action: str):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    form = EntryActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.entry_transition(actor=request.user, entry=entry, action=action,
                                  note=form.cleaned_data["note"],
                                  expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return render_entry(request, entry, exc, f"act-{action}")
    messages.success(request, str(DONE.get(action, "")))
    return redirect("community:entry", entry.pk)


@login_required
@require_POST
def entry_reply(request, entry_id: int):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.reply_add(actor=request.user, entry=entry, text=form.cleaned_data["text"],
                           on_behalf=form.cleaned_data["on_behalf"])
    except ApplicationError as exc:
        return render_entry(request, entry, exc, "reply")
    messages.success(request, str(_("Your reply is shown with the entry.")))
    return redirect("community:entry", entry.pk)


def _photo(request, entry_id: int, index: int):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    photos = list(entry.photos.order_by("pk"))
    if index >= len(photos):
        raise Http404
    return photos[index]


@login_required
@require_GET
def entry_photo(request, entry_id: int, index: int):
    photo = _photo(request, entry_id, index)
    return private_file(photo.file, _content_type(photo.file.name or ""))


@login_required
@require_GET
def entry_thumb(request, entry_id: int, index: int):
    photo = _photo(request, entry_id, index)
    file = photo.thumbnail or photo.file
    return private_file(file, _content_type(file.name or ""))


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(ext, "image/jpeg")


@login_required
@require_GET
def review(request):
    return render(request, "community/honours/review.html", {
        "entries": selectors_honours.review_queue(request.user)[:100]})


def _board_form(request, board: Board | None):
    user = request.user
    error = None
    if request.method == "POST":
        form = BoardForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(first_invalid(form), code="invalid")
            data = form.cleaned_data
            if board is None:
                board = services.board_create(
                    actor=user, area=Area.objects.filter(pk=data["area"]).first()
                    if data["area"] else None, kind=data["kind"], title=data["title"],
                    period=data["period"], is_active=True)
            else:
                services.board_update(actor=user, board=board, title=data["title"],
                                      period=data["period"], is_active=data["is_active"])
        except ApplicationError as exc:
            error = exc
        else:
            assert board is not None
            return redirect("community:board", board.pk)
    return render(request, "community/honours/board_form.html", {
        "board": board, "error": error, "posted": request.POST if error else {},
        "places": _board_places(user), "kinds": BoardKind.choices, "periods": Period.choices,
    }, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def board_new(request):
    return _board_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request, board_id: int):
    board = board_get(actor=request.user, board_id=board_id)
    if request.method == "GET" and not permissions.manages(request.user, board.area):
        raise Http404
    return _board_form(request, board)


urlpatterns = [
    path("boards/", board_list, name="boards"),
    path("boards/new/", board_new, name="honours_board_new"),
    path("boards/review/", review, name="honours_review"),
    path("boards/<int:board_id>/", board_detail, name="board"),
    path("boards/<int:board_id>/edit/", board_edit, name="honours_board_edit"),
    path("boards/<int:board_id>/nominate/", nominate, name="honours_nominate"),
    path("entries/<int:entry_id>/", entry_detail, name="entry"),
    path("entries/<int:entry_id>/act/<str:action>/", entry_act, name="honours_entry_act"),
    path("entries/<int:entry_id>/reply/", entry_reply, name="honours_reply"),
    path("entries/<int:entry_id>/photos/<int:index>/", entry_photo, name="honours_photo"),
    path("entries/<int:entry_id>/photos/<int:index>/thumb/", entry_thumb,
         name="honours_thumb"),
]
