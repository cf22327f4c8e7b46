"""The store services: placing, completing and cancelling redemptions, and what each refusal
leaves untouched."""

import pytest

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.notifications.models import Notification
from linli.points.models import AccountKind, Entry, EntryKind, Redemption, StoreItem
from linli.points.store import redemption_cancel, redemption_complete, redemption_place
from linli.points.tests.conftest import balance, grant

pytestmark = pytest.mark.django_db


def snapshot(world, item):
    """What a refused request must leave as it was."""
    item.refresh_from_db()
    return (item.stock, Redemption.objects.count(), Entry.objects.count(),
            balance(world.community_a, world.rita),
            balance(world.community_a, kind=AccountKind.HOLD))


def test_placing_holds_the_points_and_takes_the_stock(world, rice, rich_rita):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=2, key="k1")
    rice.refresh_from_db()
    assert (redemption.state, redemption.points, redemption.quantity) == ("held", 400, 2)
    assert rice.stock == 1
    assert balance(world.community_a, world.rita) == 600
    assert balance(world.community_a, kind=AccountKind.HOLD) == 400
    hold = Entry.objects.get(key=f"store.hold:{redemption.pk}")
    assert redemption.hold_entry_id == hold.pk
    assert (hold.key, hold.kind, hold.amount, hold.source) == (
        f"store.hold:{redemption.pk}", "hold", 400, f"store.redemption:{redemption.pk}")
    assert AuditEntry.objects.filter(action="store.redemption_placed").count() == 1


def test_the_same_key_redeems_once(world, rice, rich_rita):
    first = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    again = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    rice.refresh_from_db()
    assert first.pk == again.pk and Redemption.objects.count() == 1
    assert rice.stock == 2 and balance(world.community_a, world.rita) == 800


def test_the_same_key_for_another_redemption_is_refused(world, rice, rich_rita):
    redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    before = snapshot(world, rice)
    with pytest.raises(Conflict) as exc:
        redemption_place(actor=rich_rita, item=rice, quantity=2, key="k1")
    assert exc.value.code == "idempotency_mismatch"
    assert snapshot(world, rice) == before


def test_more_than_the_balance_is_refused_and_nothing_moves(world, rice):
    grant(world.community_a, world.rita, 399)
    before = snapshot(world, rice)
    with pytest.raises(ValidationFailed) as exc:
        redemption_place(actor=world.rita, item=rice, quantity=2, key="k1")
    assert exc.value.code == "insufficient_points"
    assert exc.value.message == "Not enough points: you have 399, this costs 400."
    assert snapshot(world, rice) == before == (3, 0, 1, 399, 0)


def test_more_than_the_stock_is_refused_and_nothing_moves(world, haircut, rich_rita):
    StoreItem.objects.filter(pk=haircut.pk).update(stock=1)
    before = snapshot(world, haircut)
    with pytest.raises(ValidationFailed) as exc:
        redemption_place(actor=rich_rita, item=haircut, quantity=2, key="k1")
    assert (exc.value.code, exc.value.message) == ("out_of_stock", "Only 1 left in stock.")
    assert snapshot(world, haircut) == before == (1, 0, 1, 1000, 0)


def test_more_than_the_stock_is_answered_with_the_stock_even_when_short_of_points(
        world, haircut):
    """Asking for 3 of 2 on the shelf with points for 1: the shelf is the answer a
    resident can act on (fewer), not the balance."""
    StoreItem.objects.filter(pk=haircut.pk).update(stock=2)
    grant(world.community_a, world.rita, 80)
    before = snapshot(world, haircut)
    with pytest.raises(ValidationFailed) as exc:
        redemption_place(actor=world.rita, item=haircut, quantity=3, key="k1")
    assert (exc.value.code, exc.value.message) == ("out_of_stock", "Only 2 left in stock.")
    assert snapshot(world, haircut) == before == (2, 0, 1, 80, 0)


def test_the_monthly_limit_per_person_counts_held_and_completed(world, rice, rich_rita):
    first = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    redemption_complete(actor=world.alice, redemption=first)
    redemption_place(actor=rich_rita, item=rice, quantity=1, key="k2")
    before = snapshot(world, rice)
    with pytest.raises(ValidationFailed) as exc:
        redemption_place(actor=rich_rita, item=rice, quantity=1, key="k3")
    assert exc.value.code == "over_limit"
    assert snapshot(world, rice) == before


def test_a_cancelled_redemption_does_not_count_against_the_limit(world, rice, rich_rita):
    first = redemption_place(actor=rich_rita, item=rice, quantity=2, key="k1")
    redemption_cancel(actor=rich_rita, redemption=first)
    again = redemption_place(actor=rich_rita, item=rice, quantity=2, key="k2")
    assert again.state == "held"


@pytest.mark.parametrize("quantity", [0, -1, 100, 1.5, True, "2"])
def test_bad_quantities_are_refused(world, rice, rich_rita, quantity):
    before = snapshot(world, rice)
    with pytest.raises(ValidationFailed):
        redemption_place(actor=rich_rita, item=rice, quantity=quantity, key="k1")
    assert snapshot(world, rice) == before


def test_an_item_off_offer_cannot_be_redeemed(world, rice, rich_rita):
    StoreItem.objects.filter(pk=rice.pk).update(is_active=False)
    with pytest.raises(ValidationFailed) as exc:
        redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    assert exc.value.code == "not_on_offer" and Redemption.objects.count() == 0


@pytest.mark.parametrize("who", ["alice", "bob", "nobody", "gina"])
def test_only_residents_of_the_community_redeem(world, rice, who):
    actor = getattr(world, who)
    grant(world.community_a, actor, 500)
    with pytest.raises(PermissionDenied):
        redemption_place(actor=actor, item=rice, quantity=1, key="k1")
    rice.refresh_from_db()
    assert rice.stock == 3 and Redemption.objects.count() == 0


def test_the_desk_hands_over_and_the_points_go_to_the_store(world, rice, rich_rita):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    done = redemption_complete(actor=world.alice, redemption=redemption)
    settle = Entry.objects.get(key=f"store.redeem:{redemption.pk}")
    assert done.settle_entry_id == settle.pk
    assert (done.state, done.handled_by, settle.kind) == ("completed", world.alice, "redeem")
    assert settle.key == f"store.redeem:{redemption.pk}"
    assert balance(world.community_a, kind=AccountKind.HOLD) == 0
    assert balance(world.community_a, kind=AccountKind.STORE) == 200
    assert balance(world.community_a, world.rita) == 800


def test_a_second_completion_is_refused(world, rice, rich_rita):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    redemption_complete(actor=world.alice, redemption=redemption)
    with pytest.raises(Conflict) as exc:
        redemption_complete(actor=world.alice, redemption=redemption)
    assert exc.value.message == "This redemption was already handed over."
    assert Entry.objects.filter(kind=EntryKind.REDEEM).count() == 1
    assert balance(world.community_a, kind=AccountKind.STORE) == 200


@pytest.mark.parametrize("who", ["rita", "bob", "gina", "leo"])
def test_only_the_desk_completes(world, rice, rich_rita, who):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    with pytest.raises(PermissionDenied):
        redemption_complete(actor=getattr(world, who), redemption=redemption)
    redemption.refresh_from_db()
    assert redemption.state == "held" and redemption.settle_entry is None
    assert balance(world.community_a, kind=AccountKind.HOLD) == 200


def test_the_resident_cancels_while_held(world, rice, rich_rita):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=2, key="k1")
    done = redemption_cancel(actor=rich_rita, redemption=redemption)
    rice.refresh_from_db()
    settle = Entry.objects.get(key=f"store.release:{redemption.pk}")
    assert done.settle_entry_id == settle.pk
    assert (done.state, settle.kind, settle.amount) == ("cancelled", "release", 400)
    assert rice.stock == 3 and balance(world.community_a, world.rita) == 1000
    assert balance(world.community_a, kind=AccountKind.HOLD) == 0


def test_a_completed_redemption_cannot_be_cancelled(world, rice, rich_rita):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    redemption_complete(actor=world.alice, redemption=redemption)
    with pytest.raises(Conflict):
        redemption_cancel(actor=rich_rita, redemption=redemption)
    rice.refresh_from_db()
    assert rice.stock == 2 and balance(world.community_a, kind=AccountKind.STORE) == 200
    assert Entry.objects.filter(kind=EntryKind.RELEASE).count() == 0


@pytest.mark.parametrize("who", ["bob", "gina", "nobody", "leo"])
def test_others_cannot_cancel(world, rice, rich_rita, who):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    with pytest.raises(PermissionDenied):
        redemption_cancel(actor=getattr(world, who), redemption=redemption)
    redemption.refresh_from_db()
    rice.refresh_from_db()
    assert redemption.state == "held" and rice.stock == 2


def test_the_desk_cancelling_tells_the_resident(world, rice, rich_rita,
                                                 django_capture_on_commit_callbacks):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        redemption_cancel(actor=world.alice, redemption=redemption, note="缺货")
    note = Notification.objects.get(recipient=world.rita)
    assert note.kind == "store.cancelled" and note.link == "/points/store/mine/"
    assert "200" in note.body and "缺货" in note.body
    redemption.refresh_from_db()
    settle = Entry.objects.get(key=f"store.release:{redemption.pk}")
    assert redemption.note == "缺货" and settle.memo == "缺货"


def test_the_resident_cancelling_notifies_nobody(world, rice, rich_rita,
                                                 django_capture_on_commit_callbacks):
    redemption = redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        redemption_cancel(actor=rich_rita, redemption=redemption)
    assert Notification.objects.count() == 0
