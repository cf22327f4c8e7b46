"""Recording an inspection: orders issued at once, and every bad input refused with
nothing written."""

import pytest

from linli.core.errors import Conflict, NotFound, ValidationFailed
from linli.inspections import services
from linli.inspections.models import Inspection, Order, OrderEvent, Result, State
from linli.inspections.services import AnswerInput, InspectionInput
from linli.inspections.tests.factories import answers, campaign, inspect, target

pytestmark = pytest.mark.django_db


def _nothing_written():
    return (Inspection.objects.count(), Order.objects.count(), OrderEvent.objects.count())


def test_every_failed_item_becomes_an_order_at_once(world):
    c, t = campaign(world), target(world)
    inspection = inspect(world, c, t, fail=(1, 5))  # 5 is a major hazard
    orders = list(inspection.orders.order_by("answer__item__position"))
    assert [o.state for o in orders] == [State.ISSUED, State.ISSUED]
    assert [o.severity for o in orders] == ["general", "major"]
    assert orders[0].hazard.endswith("软管老化开裂")
    assert orders[0].responsible_party == "王建国"
    assert orders[1].plan_contingency and orders[1].due_at > orders[0].due_at
    assert inspection.failed_count == 2
    assert inspection.acknowledged_name.masked != "王建国"
    assert list(OrderEvent.objects.values_list("action", flat=True)) == ["issue", "issue"]


def test_the_same_form_sent_twice_records_once(world):
    c, t = campaign(world), target(world)
    given = InspectionInput(answers=answers(c, fail=(1,)), acknowledged_name="王建国")
    first = services.inspection_submit(actor=world.gina, campaign=c, target=t, data=given,
                                       idempotency_key="form-1")
    again = services.inspection_submit(actor=world.gina, campaign=c, target=t, data=given,
                                       idempotency_key="form-1")
    assert again.replayed and again.inspection.pk == first.inspection.pk
    assert Order.objects.count() == 1


def test_the_same_key_with_other_answers_is_refused(world):
    c, t = campaign(world), target(world)
    inspect(world, c, t, key="form-1")
    before = _nothing_written()
    with pytest.raises(Conflict) as refused:
        inspect(world, c, t, key="form-1", fail=(2,))
    assert refused.value.code == "idempotency_mismatch"
    assert _nothing_written() == before


def test_a_second_inspection_of_the_target_in_the_campaign_is_refused(world):
    c, t = campaign(world), target(world)
    inspect(world, c, t, key="form-1")
    with pytest.raises(Conflict) as refused:
        inspect(world, c, t, key="form-2")
    assert refused.value.code == "already_inspected"


@pytest.mark.parametrize(("change", "code"), [
    ("unknown_item", "unknown_item"), ("missing", "items_missing"), ("twice", "item_twice"),
    ("bad_result", "bad_result"), ("undescribed", "failure_undescribed"),
    ("past_deadline", "deadline_past"), ("no_plan", "major_plan_required"),
])
def test_bad_answers_are_refused_and_nothing_is_written(world, change, code):
    from datetime import timedelta

    from django.utils import timezone

    c, t = campaign(world), target(world)
    given = answers(c, fail=(1,))
    if change == "unknown_item":
        given.append(AnswerInput(item_id=10**6, result=Result.PASS))
    elif change == "missing":
        given.pop()
    elif change == "twice":
        given.append(given[0])
    elif change == "bad_result":
        given[1].result = "maybe"
    elif change == "undescribed":
        given[0].note = ""
    elif change == "past_deadline":
        given[0].deadline = timezone.localdate() - timedelta(days=1)
    elif change == "no_plan":
        given[4] = AnswerInput(item_id=given[4].item_id, result=Result.FAIL, note="过期钢瓶")
    before = _nothing_written()
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_submit(actor=world.gina, campaign=c, target=t,
                                   data=InspectionInput(answers=given,
                                                        acknowledged_name="王建国"))
    assert refused.value.code == code
    assert _nothing_written() == before


def test_an_item_of_another_campaign_is_not_in_the_template(world):
    c, other = campaign(world), campaign(world, template="消防安全检查表", name="消防")
    t = target(world)
    given = answers(c)
    given[0] = AnswerInput(item_id=other.items.earliest("id").pk, result=Result.PASS)
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_submit(actor=world.gina, campaign=c, target=t,
                                   data=InspectionInput(answers=given))
    assert refused.value.code == "unknown_item"


def test_a_target_outside_the_inspectors_grids_is_refused(world):
    c = campaign(world)
    elsewhere_in_a = target(world, area=world.grid_a2, name="二网格商铺")
    with pytest.raises(NotFound):
        inspect(world, c, elsewhere_in_a)
    in_b = target(world, area=world.estate_b, name="水塔商铺")
    with pytest.raises(NotFound):
        inspect(world, c, in_b, actor=world.alice)
    assert _nothing_written() == (0, 0, 0)


def test_a_failure_needs_the_owners_typed_name(world):
    c, t = campaign(world), target(world)
    with pytest.raises(ValidationFailed) as refused:
        inspect(world, c, t, acknowledged_name="  ")
    assert refused.value.code == "acknowledgement_required"
    assert inspect(world, c, t, fail=(), acknowledged_name="").failed_count == 0


def test_a_campaign_not_running_refuses_inspections(world):
    from datetime import timedelta

    from django.utils import timezone

    c = campaign(world, starts_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationFailed) as refused:
        inspect(world, c, target(world))
    assert refused.value.code == "campaign_not_running"


def test_the_responsible_account_works_at_the_place(world):
    """An order is seen by its responsible account: an inspector can name the property
    unit serving the place, not someone of another community or a resident."""
    c, t = campaign(world), target(world)
    for outsider in (world.bob, world.rita):
        with pytest.raises(ValidationFailed) as refused:
            inspect(world, c, t, responsible_user_id=outsider.pk)
        assert refused.value.code == "unknown_user"
    assert _nothing_written() == (0, 0, 0)
    order = inspect(world, c, t, responsible_user_id=world.uma.pk).orders.get()
    assert order.responsible_user == world.uma
