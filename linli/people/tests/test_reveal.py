"""Revealing with a purpose: who may, what is written to the access log (exactly one row per
attempt, refused or not), and that the clear value never reaches a log line."""

import logging

import pytest
from django.utils import translation

from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.people import services
from linli.people.models import AccessLog
from linli.people.tests.conftest import ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import cared_for

pytestmark = pytest.mark.django_db
PURPOSE = "核实低保申请材料"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("who", ["gina", "alice", "leo", "ada"])
def test_staff_of_the_area_reveal_and_the_access_is_logged(people, who):
    actor = getattr(people, who)
    value = services.resident_reveal(actor=actor, resident=people.rosa, field="id_number",
                                     purpose=PURPOSE)
    assert value == ROSA_ID
    row = AccessLog.objects.get()
    assert (row.actor, row.actor_label, row.resident, row.field, row.purpose, row.outcome,
            row.area_path) == (actor, who, people.rosa, "id_number", PURPOSE, "revealed",
                               people.dwelling_a.path)


@pytest.mark.parametrize(("who", "error"), [
    ("bob", NotFound), ("gary", NotFound), ("uma", NotFound), ("mia", NotFound),
    ("vic", NotFound), ("nobody", NotFound), ("rita", PermissionDenied),
])
def test_everyone_else_is_refused_and_the_refusal_is_logged(people, who, error):
    with pytest.raises(error):
        services.resident_reveal(actor=getattr(people, who), resident=people.rosa,
                                 field="phone", purpose=PURPOSE)
    row = AccessLog.objects.get()
    assert (row.actor_label, row.resident, row.field, row.outcome) == (
        who, people.rosa, "phone", "refused")


def test_a_resident_is_sent_to_their_own_page(people):
    with pytest.raises(PermissionDenied) as caught:
        services.resident_reveal(actor=people.rita, resident=people.rosa, field="phone",
                                 purpose=PURPOSE)
    assert caught.value.code == "use_own_page"


@pytest.mark.parametrize("purpose", ["", "  ", "看", "11", "…。", "x" * 201])
def test_a_purpose_in_words_of_2_to_200_characters_is_required(people, purpose):
    with pytest.raises(ValidationFailed) as caught:
        services.resident_reveal(actor=people.alice, resident=people.rosa, field="id_number",
                                 purpose=purpose)
    assert caught.value.code == "purpose_required"
    assert AccessLog.objects.get().outcome == "refused"


@pytest.mark.parametrize("purpose", ["核对", "走访核实身份", "check", "x" * 200])
def test_a_short_chinese_word_is_purpose_enough(people, purpose):
    value = services.resident_reveal(actor=people.alice, resident=people.rosa,
                                     field="id_number", purpose=purpose)
    assert value == people.rosa.id_number.reveal_unaudited()
    assert (AccessLog.objects.get().outcome, AccessLog.objects.get().purpose) == (
        "revealed", purpose)


def test_unknown_field_is_refused(people):
    with pytest.raises(ValidationFailed):
        services.resident_reveal(actor=people.alice, resident=people.rosa, field="password",
                                 purpose=PURPOSE)
    assert AccessLog.objects.get().field == "password"


def test_each_attempt_writes_exactly_one_row(people):
    services.resident_reveal(actor=people.gina, resident=people.rosa, field="phone",
                             purpose=PURPOSE)
    with pytest.raises(ValidationFailed):
        services.resident_reveal(actor=people.gina, resident=people.rosa, field="phone",
                                 purpose="")
    with pytest.raises(NotFound):
        services.resident_reveal(actor=people.bob, resident=people.rosa, field="phone",
                                 purpose=PURPOSE)
    assert list(AccessLog.objects.order_by("id").values_list("outcome", flat=True)) == [
        "revealed", "refused", "refused"]


def test_care_fields_reveal_in_clear(people):
    cared_for(people.alice, people.rosa, people.gina, "lonely_elderly", "subsistence",
              emergency_contact="女儿 王芳 13800001111", needs="每周送菜")
    tags = services.resident_reveal(actor=people.gina, resident=people.rosa, field="tags",
                                    purpose=PURPOSE)
    assert tags == "独居老人；低保"
    plan = services.resident_reveal(actor=people.gina, resident=people.rosa, field="plan",
                                    purpose=PURPOSE)
    assert plan == "Emergency contact: 女儿 王芳 13800001111\nNeeds: 每周送菜"
    assert AccessLog.objects.filter(outcome="revealed").count() == 2


def test_reveal_writes_no_clear_value_to_any_log(people, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("django.db.backends").setLevel(logging.DEBUG)
    try:
        for field in ("id_number", "phone"):
            services.resident_reveal(actor=people.alice, resident=people.rosa, field=field,
                                     purpose=PURPOSE)
    finally:
        logging.getLogger("django.db.backends").setLevel(logging.WARNING)
    assert ROSA_ID not in caplog.text and ROSA_PHONE not in caplog.text
    assert ROSA_ID[-8:] not in caplog.text


def test_self_view_is_audited_as_self_access(people):
    record = services.resident_self_view(actor=people.rita)
    assert record is not None
    assert (record.id_number, record.phone) == (ROSA_ID, ROSA_PHONE)
    row = AccessLog.objects.get()
    assert (row.actor, row.resident, row.field, row.outcome) == (
        people.rita, people.rosa, "record", "self")
    assert services.resident_self_view(actor=people.uma) is None
    assert AccessLog.objects.count() == 1
