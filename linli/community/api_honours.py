"""The honours API (mounted under /api/community): boards, a board's entries by period,
nominating (JSON, then photos as multipart), the review queue, the moderators' moves, the
right of reply. Entry photos are served by the page URL
/community/entries/{entry_id}/photos/{index}/ (`photos[].url`), as topics' files are.

A board or entry named in the path is loaded through the scoped selectors, so one out of
sight is a 404 before any service runs; the service then decides (403 / 400).
"""

from datetime import date
from typing import Annotated

from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.community import selectors_honours
from linli.community.models import Board, HonourEntry
from linli.community.schemas_honours import (
    HonourActionIn,
    HonourBoardIn,
    HonourBoardOut,
    HonourBoardPatchIn,
    HonourEntryIn,
    HonourEntryOut,
    HonourReplyIn,
    HonourReplyOut,
)
from linli.community.selectors import board_get
from linli.community.selectors_honours import entry_get
from linli.community.services import honours as services
from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.orgs.models import Area, Unit

router = Router(tags=["community"])


def _board(request, board_id: int) -> Board:
    return board_get(actor=request.user, board_id=board_id)


def _entry(request, entry_id: int) -> HonourEntry:
    return entry_get(actor=request.user, entry_id=entry_id)


@router.get("/boards", response=list[HonourBoardOut])
@paginate(Pages, page_size=50)
def honour_board_list(request):
    """Boards the caller sees (residents: active boards at or above their dwelling)."""
    return selectors_honours.boards_list(request.user)


@router.post("/boards", response={201: HonourBoardOut})
def honour_board_create(request, payload: HonourBoardIn):
    """A board of a street, community or estate the caller manages (403 otherwise)."""
    board = services.board_create(
        actor=request.user, area=Area.objects.filter(pk=payload.area_id).first(),
        kind=payload.kind, title=payload.title, period=payload.period)
    return Status(201, board)


@router.get("/boards/{board_id}", response=HonourBoardOut)
def honour_board_detail(request, board_id: Id):
    return _board(request, board_id)


@router.patch("/boards/{board_id}", response=HonourBoardOut)
def honour_board_update(request, board_id: Id, payload: HonourBoardPatchIn):
    """Title, period, active (staff managing the board's place)."""
    board = _board(request, board_id)
    return services.board_update(actor=request.user, board=board, title=payload.title,
                                 period=payload.period, is_active=payload.is_active)


@router.get("/boards/{board_id}/entries", response=list[HonourEntryOut])
@paginate(Pages, page_size=50)
def honour_entry_list(request, board_id: Id, period: date | None = None):
    """The approved entries of a period (any day of it; the current period by default)."""
    board = _board(request, board_id)
    return selectors_honours.board_entries(request.user, board, period)


def _found(model, pk: int | None):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(f"{model._meta.model_name} {pk}?", code="not_found")
    return found


@router.post("/boards/{board_id}/entries", response={201: HonourEntryOut})
def honour_entry_nominate(request, board_id: Id, payload: HonourEntryIn):
    """Nominate (residents of the place and its staff); it waits for approval. A black
    board refuses a person or household (400 `private_person`) and a phone or ID number
    in the text (400 `private_data`). Add photos with POST /entries/{entry_id}/photos."""
    from linli.people.models import Household, Resident

    board = _board(request, board_id)
    entry = services.entry_nominate(
        actor=request.user, board=board, subject_kind=payload.subject_kind,
        subject_name=payload.subject_name, reason=payload.reason,
        resident=_found(Resident, payload.resident_id),
        household=_found(Household, payload.household_id),
        building=_found(Area, payload.building_id), unit=_found(Unit, payload.unit_id),
        period=payload.period)
    return Status(201, entry)


@router.get("/entries/review", response=list[HonourEntryOut])
@paginate(Pages, page_size=50)
def honour_review_queue(request):
    """Nominations waiting for the caller's decision, oldest first."""
    return selectors_honours.review_queue(request.user)


@router.get("/entries/{entry_id}", response=HonourEntryOut)
def honour_entry_detail(request, entry_id: Id):
    return _entry(request, entry_id)


@router.post("/entries/{entry_id}/photos", response={201: HonourEntryOut})
def honour_entry_photos(request, entry_id: Id,
                        photos: Annotated[list[UploadedFile], File()]):
    """Photos (JPEG/PNG/WebP, location data removed; at most 6 an entry) while it waits:
    by the nominator or staff."""
    entry = _entry(request, entry_id)
    services.entry_photos_add(actor=request.user, entry=entry, photos=photos)
    return Status(201, _entry(request, entry_id))


@router.post("/entries/{entry_id}/actions/{action}", response=HonourEntryOut)
def honour_entry_act(request, entry_id: Id, action: str, payload: HonourActionIn):
    """approve, decline (`note`: the reason the nominator reads), withdraw (`note`):
    staff managing the board. `expected_version` older than the entry's: 409 `stale`."""
    entry = _entry(request, entry_id)
    services.entry_transition(actor=request.user, entry=entry, action=action,
                              note=payload.note, expected_version=payload.expected_version)
    return _entry(request, entry_id)


@router.get("/entries/{entry_id}/replies", response=list[HonourReplyOut])
def honour_reply_list(request, entry_id: Id):
    """The replies, oldest first."""
    return selectors_honours.replies_shown(request.user, _entry(request, entry_id))


@router.post("/entries/{entry_id}/replies", response={201: HonourReplyOut})
def honour_reply_add(request, entry_id: Id, payload: HonourReplyIn):
    """The right of reply: the one named (the unit's members, the person or their
    household); staff serving the place record a paper reply (`on_behalf` required)."""
    entry = _entry(request, entry_id)
    reply = services.reply_add(actor=request.user, entry=entry, text=payload.text,
                               on_behalf=payload.on_behalf)
    return Status(201, next(r for r in selectors_honours.replies_shown(request.user, entry)
                            if r["id"] == reply.pk))
