"""Scoped reading of honour boards: the boards of a scope, a board's entries of a period,
the staff's review queue, replies as the reader may see them, the home tiles."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.community import permissions
from linli.community.models import Board, BoardKind, EntryState, HonourEntry
from linli.community.selectors import boards_visible, entries_visible
from linli.community.services.honours import period_start
from linli.core.crypto import mask_name
from linli.core.tiles import Tile


def boards_list(actor) -> QuerySet[Board]:
    return boards_visible(actor).select_related("area").order_by("area_path", "kind", "pk")


def current_period(board: Board, today: date | None = None) -> date:
    return period_start(board.period, today or timezone.localdate())


def board_entries(actor, board: Board, period: date | None = None) -> QuerySet[HonourEntry]:
    """The approved entries of the period (the current one by default), as on the wall."""
    start = period_start(board.period, period) if period else current_period(board)
    return (entries_visible(actor).filter(board=board, period_start=start,
                                          state=EntryState.APPROVED)
            .select_related("unit", "building").prefetch_related("photos", "replies"))


def board_periods(actor, board: Board) -> list[date]:
    """Periods with approved entries, newest first, the current one always there."""
    found = set(entries_visible(actor).filter(board=board, state=EntryState.APPROVED)
                .values_list("period_start", flat=True))
    return sorted(found | {current_period(board)}, reverse=True)


def my_nominations(actor, board: Board) -> QuerySet[HonourEntry]:
    return HonourEntry.objects.filter(board=board, nominated_by=actor).exclude(
        state=EntryState.APPROVED).order_by("-nominated_at")[:20]


def _managed_q(actor) -> Q:
    """Entries of boards at or under one of the actor's staff areas (they moderate them)."""
    q = Q(pk__in=[])
    for path in scope.area_paths(actor, permissions.STAFF):
        q |= Q(area_path__startswith=path)
    return q


def review_queue(actor) -> QuerySet[HonourEntry]:
    """Nominations waiting for the actor's decision, oldest first."""
    return (HonourEntry.objects.filter(_managed_q(actor), state=EntryState.NOMINATED)
            .select_related("board").order_by("nominated_at", "pk"))


def nominator_name(actor, entry: HonourEntry) -> str:
    """Staff of the place see the nominator's name; others a masked one."""
    from linli.people.models import Resident

    user = entry.nominated_by
    record = Resident.objects.filter(user=user).order_by("pk").first()
    name = record.name if record else (user.display_name or user.username)
    if permissions.serves(user, entry.board.area) and record is None:
        return _("%(name)s (staff)") % {"name": name}
    return name if permissions.serves(actor, entry.board.area) else mask_name(name)


def replies_shown(actor, entry: HonourEntry) -> list[dict]:
    """Replies, oldest first, each with who gave it: on whose behalf staff recorded it,
    the unit's name, or the person's name masked."""
    from linli.community.services.honours import is_named

    out = []
    for r in entry.replies.select_related("by").order_by("at", "pk"):
        if r.on_behalf:
            by = _("%(name)s (recorded by staff)") % {"name": r.on_behalf}
        elif entry.unit_id is not None and entry.unit_id in permissions.unit_ids(r.by):
            by = entry.unit.name if entry.unit else ""
        else:
            by = mask_name(str(r.by.display_name or r.by.username))
        out.append({"id": r.pk, "at": r.at, "text": r.text, "by": by,
                    "named": is_named(r.by, entry)})
    return out


def about_my_units(actor) -> QuerySet[HonourEntry]:
    """Approved entries naming one of the actor's units: what its members may answer."""
    units = permissions.unit_ids(actor)
    if not units:
        return HonourEntry.objects.none()
    return (HonourEntry.objects.filter(state=EntryState.APPROVED, unit_id__in=units)
            .select_related("board", "unit").order_by("-period_start", "-pk"))


def home_tiles(user) -> list[Tile]:
    tiles = []
    named = about_my_units(user).count()
    if named:
        tiles.append(Tile("honours-named", _("Entries about my unit"),
                          reverse("community:boards"), named))
    waiting = review_queue(user).count()
    if waiting:
        tiles.append(Tile("honours-review", _("Entries to review"),
                          reverse("community:honours_review"), waiting))
    good = (boards_visible(user).filter(kind=BoardKind.GOOD_DEEDS, is_active=True)
            .order_by("-area_path", "pk").first())
    if good is not None and not waiting:
        tiles.append(Tile("honours-board", good.title,
                          reverse("community:board", args=[good.pk]),
                          board_entries(user, good).count()))
    return tiles


def entries_seen(actor) -> QuerySet[HonourEntry]:
    """What `entries_visible` shows, and the approved entries naming one of the actor's
    units: a unit's members read (and answer) what is said of their unit."""
    named = Q(state=EntryState.APPROVED, unit_id__in=permissions.unit_ids(actor))
    return HonourEntry.objects.filter(Q(pk__in=entries_visible(actor).values("pk")) | named)


def entry_get(*, actor, entry_id: int) -> HonourEntry:
    found = entries_seen(actor).select_related("board__area").filter(pk=entry_id).first()
    if found is None:
        raise Http404
    return found
