"""Honour boards (红黑榜, 善行义举榜): boards, nominations, the moderators' moves and the
right of reply.

- A board belongs to a street, community or estate; staff who manage that place create and
  change it.
- Residents living in the board's scope, and staff serving it, nominate entries for a
  period (the current one unless an earlier one is given). Staff choose a registry
  resident; a resident names a person in words. A black board names only units, a unit's
  service record or public behaviour, and refuses any text carrying a phone or ID number.
- Staff managing the board approve, decline or withdraw (workflow.ENTRIES); only approved
  entries are seen by residents.
- The one named answers (`reply_add`): the unit's members, the person or their household;
  staff serving the scope record a reply given on paper, naming who gave it. Replies are
  never edited.
"""

import re
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community import permissions
from linli.community.events import record
from linli.community.models import (
    BLACK_SUBJECTS,
    MAX_TEXT,
    Board,
    BoardKind,
    EntryPhoto,
    EntryState,
    HonourEntry,
    Period,
    Reply,
    SubjectKind,
)
from linli.community.transitions import ENTRIES as ENTRY_TABLE
from linli.community.workflow import ENTRIES
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.images import images_clean
from linli.orgs.models import Area, Unit

BOARD_PLACES = ("street", "community", "estate")
MAX_PHOTOS = 6
# A mobile number, a landline with its area code, an ID number (18 or 15 characters).
_PRIVATE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")


def period_start(period: str, day: date) -> date:
    """The first day of the month, quarter or year holding `day`."""
    if period == Period.YEAR:
        return day.replace(month=1, day=1)
    if period == Period.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def carries_private_data(text: str) -> bool:
    """A phone or ID number in the text (spaces between digits ignored)."""
    return bool(_PRIVATE.search(re.sub(r"(?<=\d)[ ](?=\d)", "", text or "")))


# --- boards ------------------------------------------------------------------------------

def _board_fields(kind: str, title: str, period: str) -> str:
    if kind not in BoardKind.values:
        raise ValidationFailed(_("Choose the kind of board."), code="bad_kind")
    if period not in Period.values:
        raise ValidationFailed(_("Choose monthly, quarterly or yearly."), code="bad_period")
    title = (title or "").strip()
    if not title or len(title) > 80:
        raise ValidationFailed(_("Give the board a title of at most 80 characters."),
                               code="bad_title")
    return title


@transaction.atomic
def board_create(*, actor, area: Area | None, kind: str, title: str,
                 period: str = Period.MONTH, is_active: bool = True) -> Board:
    """A board of a street, community or estate the actor manages."""
    if area is None or area.kind not in BOARD_PLACES:
        raise ValidationFailed(_("A board belongs to a street, a community or an estate."),
                               code="bad_place")
    if not permissions.manages(actor, area):
        raise PermissionDenied(_("Only staff of this place may create its boards."))
    title = _board_fields(kind, title, period)
    board = Board.objects.create(area=area, area_path=area.path, kind=kind, title=title,
                                 period=period, is_active=is_active, created_by=actor)
    audit_record(actor=actor, action="honour.board_create", obj=board,
                 changes={"kind": kind, "title": title, "period": period},
                 area_path=area.path)
    return board


@transaction.atomic
def board_update(*, actor, board: Board, title: str | None = None, period: str | None = None,
                 is_active: bool | None = None) -> Board:
    """Rename, change the period or (de)activate; the kind and place stay."""
    if not permissions.manages(actor, board.area):
        raise PermissionDenied(_("Only staff of this place may change its boards."))
    title = _board_fields(board.kind, board.title if title is None else title,
                          board.period if period is None else period)
    changes = {}
    for field, value in (("title", title), ("period", period), ("is_active", is_active)):
        if value is not None and getattr(board, field) != value:
            changes[field] = [getattr(board, field), value]
            setattr(board, field, value)
    if changes:
        board.save(update_fields=list(changes))
        audit_record(actor=actor, action="honour.board_update", obj=board, changes=changes,
                     area_path=board.area_path)
    return board


# --- nominations -------------------------------------------------------------------------

def _within(path: str, board: Board) -> bool:
    return bool(path) and path.startswith(board.area_path)


def _unit_serves(unit: Unit, board: Board) -> bool:
    """The unit serves a place in, under or above the board's scope."""
    return unit.is_active and any(
        p.startswith(board.area_path) or board.area_path.startswith(p)
        for p in unit.service_areas.values_list("path", flat=True))


def _subject(actor, board: Board, kind: str, name: str, staff: bool, *, resident=None,
             household=None, building=None, unit=None) -> dict:
    """The entry's subject columns, checked against the board's scope."""
    name = (name or "").strip()
    out: dict = {"subject_kind": kind}
    if kind == SubjectKind.PERSON:
        if resident is not None:
            if not staff:
                raise PermissionDenied(_("Only staff choose a person from the registry; "
                                         "name them in words instead."))
            if resident.moved_out is not None or not _within(resident.area_path, board):
                raise ValidationFailed(_("This person does not live within the board's "
                                         "place."), code="out_of_scope")
            out |= {"resident": resident, "household": resident.household}
            name = name or resident.name
    elif kind == SubjectKind.HOUSEHOLD:
        if household is not None:
            if not _within(household.area_path, board):
                raise ValidationFailed(_("This household does not live within the board's "
                                         "place."), code="out_of_scope")
            out["household"] = household
            name = name or household.dwelling.name
    elif kind == SubjectKind.BUILDING:
        if building is None or building.kind != "building" or not _within(building.path, board):
            raise ValidationFailed(_("Choose a building within the board's place."),
                                   code="out_of_scope")
        out["building"] = building
        name = name or building.name
    elif kind in (SubjectKind.UNIT, SubjectKind.SERVICE):
        if unit is None or not _unit_serves(unit, board):
            raise ValidationFailed(_("Choose a unit serving the board's place."),
                                   code="out_of_scope")
        out["unit"] = unit
        name = name or unit.name
    elif kind != SubjectKind.BEHAVIOUR:
        raise ValidationFailed(_("Choose who or what the entry is about."), code="bad_subject")
    if not name or len(name) > 80:
        raise ValidationFailed(_("Say who or what the entry is about (at most 80 "
                                 "characters)."), code="bad_subject")
    return out | {"subject_name": name}


def _check_black(board: Board, kind: str, texts: list[str]) -> None:
    if board.kind != BoardKind.BLACK:
        return
    if kind not in BLACK_SUBJECTS:
        raise ValidationFailed(_("A black list names only units or public behaviour, never a "
                                 "private person or household."), code="private_person")
    if any(carries_private_data(t) for t in texts):
        raise ValidationFailed(_("A black list names only units or public behaviour: remove "
                                 "the phone or ID number from the text."),
                               code="private_data")


def _period(board: Board, given: date | None, today: date) -> date:
    if given is not None and given > today:
        raise ValidationFailed(_("The period cannot lie in the future."), code="bad_period")
    return period_start(board.period, given or today)


def may_nominate(actor, board: Board) -> bool:
    return board.is_active and (permissions.lives_in(actor, board.area_path)
                                or permissions.serves(actor, board.area))


@transaction.atomic
def entry_nominate(*, actor, board: Board, subject_kind: str, reason: str,
                   subject_name: str = "", resident=None, household=None,
                   building: Area | None = None, unit: Unit | None = None,
                   period: date | None = None, photos=(), now=None) -> HonourEntry:
    """Nominate an entry; it waits for staff approval before residents see it."""
    now = now or timezone.now()
    staff = permissions.serves(actor, board.area)
    if not (staff or permissions.lives_in(actor, board.area_path)):
        raise PermissionDenied(_("Only residents and staff of this place may nominate."))
    if not board.is_active:
        raise ValidationFailed(_("This board takes no nominations now."), code="inactive")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        raise ValidationFailed(_("Give the reason (at most 4000 characters)."),
                               code="bad_reason")
    _check_black(board, subject_kind, [reason, subject_name])
    subject = _subject(actor, board, subject_kind, subject_name, staff, resident=resident,
                       household=household, building=building, unit=unit)
    _check_black(board, subject_kind, [subject["subject_name"]])
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("At most 6 photos."), code="too_many_photos")
    cleaned = images_clean(photos)
    entry = HonourEntry.objects.create(
        board=board, area_path=board.area_path,
        period_start=_period(board, period, timezone.localdate(now)), reason=reason,
        nominated_by=actor, nominated_at=now, **subject)
    _photos_save(entry, actor, cleaned)
    record(entry, actor=actor, action="nominate", from_state="", to_state=entry.state, at=now)
    audit_record(actor=actor, action="honour.nominate", obj=entry,
                 changes={"board": board.pk, "subject_kind": subject_kind},
                 area_path=board.area_path)
    return entry


def _photos_save(entry: HonourEntry, actor, cleaned) -> None:
    for n, image in enumerate(cleaned):
        big, thumb = image.files(f"entry-{entry.pk}-{n}")
        photo = EntryPhoto(entry=entry, added_by=actor)
        photo.file.save(big.name, big, save=False)
        photo.thumbnail.save(thumb.name, thumb, save=False)
        photo.save()


@transaction.atomic
def entry_photos_add(*, actor, entry: HonourEntry, photos) -> HonourEntry:
    """More photos while the entry waits: by its nominator or staff managing the board."""
    if not (entry.nominated_by_id == actor.pk or permissions.entry_moderator(actor, entry)):
        raise PermissionDenied(_("Only the nominator or staff may add photos."))
    if entry.state != EntryState.NOMINATED:
        raise ValidationFailed(_("Photos are added while the entry waits for review."),
                               code="not_nominated")
    photos = list(photos or ())
    if not photos:
        raise ValidationFailed(_("Choose a photo."), code="no_photos")
    if entry.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("At most 6 photos."), code="too_many_photos")
    _photos_save(entry, actor, images_clean(photos))
    return entry


@transaction.atomic
def entry_transition(*, actor, entry: HonourEntry, action: str, note: str = "",
                     expected_version: int | None = None, now=None):
    """approve, decline (a reason the nominator reads) or withdraw (a reason)."""
    if action not in ENTRY_TABLE:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    locked = HonourEntry.objects.select_for_update().select_related("board__area").get(
        pk=entry.pk)
    event = ENTRIES.transition(actor=actor, obj=locked, action=action, note=note,
                               expected_version=expected_version, now=now)
    entry.refresh_from_db()
    return event


# --- the right of reply --------------------------------------------------------------------

def is_named(actor, entry: HonourEntry) -> bool:
    """The actor is the one the entry names: a member of its unit, the person or a member
    of their household."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if entry.unit_id is not None and entry.unit_id in permissions.unit_ids(actor):
        return True
    from linli.people.selectors import own_record

    mine = own_record(actor)
    if mine is None:
        return False
    if entry.resident_id is not None and entry.resident_id == mine.pk:
        return True
    return entry.household_id is not None and entry.household_id == mine.household_id


def may_reply(actor, entry: HonourEntry) -> bool:
    return entry.state == EntryState.APPROVED and (
        is_named(actor, entry) or permissions.serves(actor, entry.board.area))


@transaction.atomic
def reply_add(*, actor, entry: HonourEntry, text: str, on_behalf: str = "", now=None) -> Reply:
    """The named answer; staff record a reply given on paper (`on_behalf`: who gave it)."""
    now = now or timezone.now()
    on_behalf = (on_behalf or "").strip()
    named = is_named(actor, entry)
    if not named:
        if not permissions.serves(actor, entry.board.area):
            raise PermissionDenied(_("Only the one named by the entry may reply."))
        if not on_behalf:
            raise ValidationFailed(_("Say on whose behalf you record this reply."),
                                   code="on_behalf_required")
    if entry.state != EntryState.APPROVED:
        raise ValidationFailed(_("Only an entry on the board can be answered."),
                               code="not_approved")
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed(_("Write the reply (at most 4000 characters)."),
                               code="bad_text")
    if len(on_behalf) > 80:
        raise ValidationFailed(_("The name is too long (at most 80 characters)."),
                               code="bad_on_behalf")
    reply = Reply.objects.create(entry=entry, text=text, by=actor, on_behalf=on_behalf, at=now)
    audit_record(actor=actor, action="honour.reply", obj=entry,
                 changes={"reply": reply.pk, "on_behalf": on_behalf},
                 area_path=entry.area_path)
    return reply
