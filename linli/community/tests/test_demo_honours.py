"""The demo's honour boards: one per kind with approved entries, the black list naming a
unit and a behaviour with a reply, a nomination by `resident` waiting; nobody notified."""

import pytest

from linli.accounts.models import User
from linli.community.models import Board, BoardKind, EntryState, HonourEntry, Reply
from linli.community.selectors_honours import board_entries, review_queue
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_honours(demo):
    assert set(Board.objects.values_list("kind", flat=True)) == set(BoardKind.values)
    resident = User.objects.get(username="resident")
    for b in Board.objects.all():
        assert HonourEntry.objects.filter(board=b, state=EntryState.APPROVED).exists()
    good = Board.objects.get(kind=BoardKind.GOOD_DEEDS)
    assert board_entries(resident, good).exists()
    black = Board.objects.get(kind=BoardKind.BLACK)
    assert set(HonourEntry.objects.filter(board=black).values_list("subject_kind", flat=True)) \
        == {"unit", "behaviour"}
    assert Reply.objects.filter(entry__board=black).exists()
    waiting = review_queue(User.objects.get(username="dispatcher"))
    assert waiting.filter(nominated_by=resident).count() == 1
    assert not Notification.objects.filter(kind="community.honour").exists()
