"""The rectification order's moves on the service: every transition, and every refusal
with nothing written (no evidence, a re-check by the responsible party or the rectifier,
too far from the target, a past deadline, a unit that does not serve the place)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, Channel
from linli.cases.tests.factories import category
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.inspections import services
from linli.inspections.models import OrderPhoto, PhotoPhase, State
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import FAR, NEAR, order
from linli.inspections.tests.orderkit import photo, rectified, snapshot

pytestmark = pytest.mark.django_db
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root


def move(actor, o, action, **kw):
    return services.order_transition(actor=actor, order=o, action=action, **kw)


def refused(error, actor, o, action, **kw):
    before = snapshot(o)
    with pytest.raises(error) as caught:
        move(actor, o, action, **kw)
    assert snapshot(o) == before
    return caught.value


# --- rectify -------------------------------------------------------------------------------

def test_rectify_with_photos_before_and_after(crew, media_root):
    o = order(crew)
    event = move(crew.gina, o, "rectify", after=[photo()], before=[photo("b.jpg")],
                 note="已更换")
    assert o.state == State.RECTIFIED and o.rectified_by == crew.gina
    assert o.rectification_note == "已更换" and o.rectified_at is not None
    assert event.data == {"before": 1, "after": 1}
    phases = sorted(OrderPhoto.objects.filter(order=o).values_list("phase", flat=True))
    assert phases == [PhotoPhase.AFTER, PhotoPhase.BEFORE]
    assert AuditEntry.objects.filter(action="inspection_order.rectify").count() == 1


def test_rectify_without_evidence_is_refused(crew, media_root):
    o = order(crew)
    error = refused(ValidationFailed, crew.gina, o, "rectify", before=[photo()])
    assert error.code == "evidence_required"


def test_the_responsible_partys_account_may_rectify(crew, media_root):
    o = order(crew, responsible_user_id=crew.perry.pk)
    move(crew.perry, o, "rectify", after=[photo()])
    assert o.state == State.RECTIFIED and o.rectified_by == crew.perry


def test_an_order_out_of_view_looks_missing(crew, media_root):
    o = order(crew)
    error = refused(NotFound, crew.bob, o, "rectify", after=[photo()])
    assert error.status == 404


def test_a_resident_may_not_rectify(crew, media_root):
    o = order(crew)
    with pytest.raises(NotFound):  # rita sees no orders at all
        move(crew.rita, o, "rectify", after=[photo()])


def test_a_bad_photo_is_refused_with_nothing_written(crew, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    o = order(crew)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    error = refused(ValidationFailed, crew.gina, o, "rectify", after=[bad])
    assert error.code == "photo_type"


# --- the re-check ----------------------------------------------------------------------------

def test_sign_off_by_another_inspector_on_site(crew, media_root):
    o = rectified(crew, order(crew))
    event = move(crew.ivy, o, "sign_off", lat=NEAR[0], lng=NEAR[1], recheck=[photo()])
    assert o.state == State.CLOSED and o.closed_at is not None and o.rechecked_by == crew.ivy
    assert o.recheck_distance_m is not None and 20 <= o.recheck_distance_m <= 40
    assert event.data["distance_m"] == o.recheck_distance_m
    assert o.photos.filter(phase=PhotoPhase.RECHECK).count() == 1


def test_sign_off_without_a_position_is_accepted(crew, media_root):
    o = rectified(crew, order(crew))
    move(crew.alice, o, "sign_off")
    assert o.state == State.CLOSED and o.recheck_distance_m is None


def test_sign_off_too_far_from_the_target_is_refused(crew, media_root):
    o = rectified(crew, order(crew))
    error = refused(ValidationFailed, crew.ivy, o, "sign_off", lat=FAR[0], lng=FAR[1])
    assert error.code == "too_far" and "50" in error.message


def test_half_a_position_is_refused(crew, media_root):
    o = rectified(crew, order(crew))
    error = refused(ValidationFailed, crew.ivy, o, "sign_off", lat=NEAR[0])
    assert error.code == "bad_position"


@pytest.mark.parametrize("action", ["sign_off", "reject"])
def test_the_rectifier_may_not_recheck(crew, media_root, action):
    o = rectified(crew, order(crew))
    error = refused(PermissionDenied, crew.gina, o, action, note="没修好")
    assert error.code == "recheck_by_rectifier" and error.status == 403


@pytest.mark.parametrize("action", ["sign_off", "reject"])
def test_the_responsible_party_may_not_recheck(crew, media_root, action):
    o = order(crew, responsible_user_id=crew.perry.pk)
    rectified(crew, o, actor=crew.gina)
    error = refused(PermissionDenied, crew.perry, o, action, note="没修好")
    assert error.code == "recheck_by_responsible"


def test_an_inspector_who_is_the_responsible_party_may_not_recheck(crew, media_root):
    o = order(crew, responsible_user_id=crew.ivy.pk)
    rectified(crew, o, actor=crew.gina)
    error = refused(PermissionDenied, crew.ivy, o, "sign_off")
    assert error.code == "recheck_by_responsible"


def test_sign_off_before_the_rectification_is_refused(crew, media_root):
    o = order(crew)
    error = refused(ValidationFailed, crew.ivy, o, "sign_off")
    assert error.code == "transition_not_allowed"


def test_reject_sends_the_order_back_with_a_new_deadline(crew, media_root):
    o = rectified(crew, order(crew))
    day = timezone.localdate() + timedelta(days=5)
    event = move(crew.ivy, o, "reject", note="软管仍未更换", due_on=day)
    assert o.state == State.ISSUED and o.rectified_by is None and o.rectified_at is None
    assert timezone.localtime(o.due_at).date() == day and timezone.localtime(o.due_at).hour == 18
    assert event.data["due_at"] and event.note == "软管仍未更换"


def test_reject_needs_a_reason(crew, media_root):
    o = rectified(crew, order(crew))
    assert refused(ValidationFailed, crew.ivy, o, "reject").code == "note_required"


def test_reject_with_a_deadline_in_the_past_is_refused(crew, media_root):
    o = rectified(crew, order(crew))
    error = refused(ValidationFailed, crew.ivy, o, "reject", note="没修好",
                    due_on=timezone.localdate() - timedelta(days=1))
    assert error.code == "deadline_past"


def test_a_stale_version_is_a_conflict(crew, media_root):
    o = rectified(crew, order(crew))
    error = refused(Exception, crew.ivy, o, "sign_off", expected_version=1)
    assert error.code == "stale" and error.status == 409


# --- overdue, escalated ---------------------------------------------------------------------

def overdue(world, o):
    from linli.inspections.supervision import supervise_overdue

    supervise_overdue(now=o.due_at + timedelta(minutes=1))
    o.refresh_from_db()
    assert o.state == State.OVERDUE
    return o


def test_escalate_an_overdue_order_to_a_competent_unit(crew, media_root):
    o = overdue(crew, order(crew))
    event = move(crew.alice, o, "escalate", note="逾期未整改", competent_unit_id=crew.unit_a.pk)
    assert o.state == State.ESCALATED and o.competent_unit == crew.unit_a
    assert o.escalated_at is not None and event.data == {"competent_unit": crew.unit_a.pk}


def test_escalate_to_a_unit_not_serving_the_place_is_refused(crew, media_root):
    o = overdue(crew, order(crew))
    error = refused(ValidationFailed, crew.alice, o, "escalate", note="逾期",
                    competent_unit_id=crew.unit_b.pk)
    assert error.code == "unit_not_serving"


def test_a_grid_worker_may_not_escalate(crew, media_root):
    o = overdue(crew, order(crew))
    assert refused(PermissionDenied, crew.gina, o, "escalate", note="逾期").status == 403


def test_an_escalated_order_is_still_rectified_and_signed_off(crew, media_root):
    o = overdue(crew, order(crew))
    move(crew.alice, o, "escalate", note="逾期")
    rectified(crew, o)
    move(crew.alice, o, "sign_off")
    assert o.state == State.CLOSED


def test_nobody_asks_for_the_sweeps_move(crew, media_root):
    o = order(crew)
    assert refused(PermissionDenied, crew.alice, o, "overdue").status == 403


# --- a case for a serious hazard --------------------------------------------------------------

def test_raise_a_case_in_one_step_linked(crew, media_root):
    o = order(crew, position=5)  # a major hazard
    event = services.order_raise_case(actor=crew.alice, order=o, category=category(),
                                      note="请燃气公司到场")
    assert o.case_id is not None
    case = Case.objects.get(pk=o.case_id)
    assert event.action == "raise_case" and event.data == {"case": case.pk}
    assert o.state == State.ISSUED  # the state stays
    assert case.channel == Channel.GRID_PATROL and case.area == o.target.area
    assert o.hazard in case.description and "请燃气公司到场" in case.description
    assert not case.is_public
    assert list(case.inspection_orders.all()) == [o]


def test_a_case_is_raised_once(crew, media_root):
    o = order(crew)
    services.order_raise_case(actor=crew.alice, order=o, category=category())
    before = (snapshot(o), Case.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        services.order_raise_case(actor=crew.alice, order=o, category=category())
    assert caught.value.code == "case_already_raised"
    assert (snapshot(o), Case.objects.count()) == before


def test_a_case_needs_a_leaf_category_and_a_coordinator(crew, media_root):
    o = order(crew)
    group = category().parent
    for actor, cat, error in [(crew.alice, group, ValidationFailed),
                              (crew.alice, None, ValidationFailed),
                              (crew.gina, category(), PermissionDenied)]:
        with pytest.raises(error):
            services.order_raise_case(actor=actor, order=o, category=cat)
    assert Case.objects.count() == 0 and snapshot(o)[3] is None


def test_a_case_is_raised_by_the_places_dispatcher_not_its_leader(crew, media_root):
    from linli.inspections.workflow import ORDERS

    o = order(crew)
    assert "raise_case" not in ORDERS.actions_for(crew.leo, o)
    assert "raise_case" in ORDERS.actions_for(crew.alice, o)
    before = (snapshot(o), Case.objects.count())
    with pytest.raises(PermissionDenied):
        services.order_raise_case(actor=crew.leo, order=o, category=category())
    assert (snapshot(o), Case.objects.count()) == before


def test_the_finding_photos_go_with_the_case(crew, media_root):
    from linli.inspections.tests.factories import answers, campaign, target

    c, t = campaign(crew), target(crew)
    given = answers(c, fail=(1,))
    given[0].photos = [photo("found.jpg")]
    inspection = services.inspection_submit(
        actor=crew.gina, campaign=c, target=t,
        data=services.InspectionInput(answers=given, acknowledged_name="王建国")).inspection
    o = inspection.orders.get()
    services.order_raise_case(actor=crew.alice, order=o, category=category())
    assert Case.objects.get(inspection_orders=o).photos.count() == 1
