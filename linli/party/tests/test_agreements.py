"""Co-building agreements: the service rules, the pages and the API's scope."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import AuditEntry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party.models import AgreementState, Delivery, Event, Frequency
from linli.party.notify_agreements import agreement_event_notify
from linli.party.services import agreements as svc
from linli.party.tests.factories import agreement, commitment, party_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    return party_world(world)


def _items():
    return [svc.CommitmentIn(what="每月义诊", frequency=Frequency.MONTHLY, times=1)]


def _create(w, **over):
    today = timezone.localdate()
    args = {"actor": w.pia, "community": w.community_a, "unit": w.unit_a, "title": "共建",
            "signed_on": today, "starts_on": date(today.year, 1, 1),
            "ends_on": date(today.year, 12, 31), "commitments": _items()} | over
    return svc.agreement_create(**args)


def test_party_staff_sign_an_agreement_audited(w):
    made = _create(w)
    assert made.commitments.count() == 1
    assert AuditEntry.objects.filter(action="agreement.create", object_id=str(made.pk)).exists()


@pytest.mark.parametrize(("over", "code"), [
    ({"commitments": []}, "no_commitment"),
    ({"title": " "}, "bad_title"),
    ({"commitments": [svc.CommitmentIn(what="x", frequency="weekly")]}, "bad_frequency"),
    ({"commitments": [svc.CommitmentIn(what="x", frequency="monthly", times=0)]},
     "bad_times"),
])
def test_a_bad_agreement_is_refused(w, over, code):
    with pytest.raises(ValidationFailed) as exc:
        _create(w, **over)
    assert exc.value.code == code


def test_a_unit_not_serving_the_community_is_refused(w):
    with pytest.raises(ValidationFailed) as exc:
        _create(w, unit=w.unit_b)
    assert exc.value.code == "bad_unit"


@pytest.mark.parametrize("who", ["alice", "pete", "uma"])
def test_only_party_staff_of_the_place_sign(w, who):
    with pytest.raises(PermissionDenied):
        _create(w, actor=getattr(w, who))


def test_deliveries_by_staff_and_the_unit_and_their_rules(w):
    made = _create(w)
    c = made.commitments.get()
    today = timezone.localdate()
    d = svc.delivery_record(actor=w.uma, commitment=c, delivered_on=today, given="义诊",
                            people_served=30)
    assert d.recorded_by == w.uma
    with pytest.raises(ValidationFailed) as exc:
        svc.delivery_record(actor=w.pia, commitment=c, delivered_on=today + timedelta(days=1),
                            given="义诊")
    assert exc.value.code == "future"
    with pytest.raises(ValidationFailed) as exc:
        svc.delivery_record(actor=w.pia, commitment=c,
                            delivered_on=date(today.year - 1, 12, 31), given="义诊")
    assert exc.value.code == "outside_term"
    with pytest.raises(PermissionDenied):
        svc.delivery_record(actor=w.alice, commitment=c, delivered_on=today, given="义诊")
    # commitments are fixed once a delivery exists
    with pytest.raises(ValidationFailed) as exc:
        svc.commitment_add(actor=w.pia, agreement=made, item=_items()[0])
    assert exc.value.code == "has_deliveries"
    svc.delivery_void(actor=w.pia, delivery=d, reason="记错了")
    d.refresh_from_db()
    assert d.voided_at is not None and d.void_reason == "记错了"
    with pytest.raises(ValidationFailed):
        svc.delivery_void(actor=w.pia, delivery=d, reason="again")
    assert AuditEntry.objects.filter(action="delivery.void").count() == 1


def test_commitments_added_and_removed_before_deliveries(w):
    made = _create(w)
    added = svc.commitment_add(actor=w.pia, agreement=made, item=svc.CommitmentIn(
        what="健康讲座", frequency=Frequency.QUARTERLY))
    assert made.commitments.count() == 2
    svc.commitment_remove(actor=w.pia, commitment=added)
    with pytest.raises(ValidationFailed) as exc:
        svc.commitment_remove(actor=w.pia, commitment=made.commitments.get())
    assert exc.value.code == "last_commitment"


def test_ending_needs_a_reason_and_tells_the_unit(w):
    made = _create(w)
    with pytest.raises(ValidationFailed):
        svc.agreement_end(actor=w.pia, agreement=made, reason="")
    svc.agreement_end(actor=w.pia, agreement=made, reason="医院搬迁")
    made.refresh_from_db()
    assert made.state == AgreementState.ENDED
    with pytest.raises(ValidationFailed):
        svc.delivery_record(actor=w.pia, commitment=made.commitments.get(),
                            delivered_on=timezone.localdate(), given="x")
    event = Event.objects.get(subject="agreement", subject_id=made.pk, action="end")
    agreement_event_notify(event)
    from linli.notifications.models import Notification

    assert Notification.objects.filter(recipient=w.uma, kind="party.agreement_end").exists()


# --- pages -----------------------------------------------------------------------------------

def test_the_pages_render_for_staff_and_unit(client, w):
    made = agreement(w, by=w.pia)
    c = commitment(made)
    Delivery.objects.create(commitment=c, delivered_on=timezone.localdate().replace(day=1),
                            given="义诊", area_path=made.area_path, recorded_by=w.pia)
    for who in (w.pia, w.alice, w.uma):
        client.force_login(who)
        page = client.get(reverse("party:agreements"))
        assert page.status_code == 200 and made.title in page.content.decode()
        detail = client.get(reverse("party:agreement", args=[made.pk]))
        assert detail.status_code == 200
    client.force_login(w.pia)
    assert client.get(reverse("party:agreement_new")).status_code == 200


def test_pages_scope(client, w):
    made = agreement(w, by=w.pia)
    url = reverse("party:agreement", args=[made.pk])
    assert client.get(url).status_code == 302
    client.force_login(w.pete)
    assert client.get(url).status_code == 404
    client.force_login(w.mark)
    assert client.get(url).status_code == 404
    assert client.get(reverse("party:agreement_new")).status_code == 404


def test_a_delivery_recorded_on_the_page(client, w):
    made = agreement(w, by=w.pia)
    c = commitment(made)
    client.force_login(w.uma)
    answer = client.post(reverse("party:agreement_deliver", args=[made.pk]), {
        "commitment": c.pk, "delivered_on": timezone.localdate().isoformat(),
        "given": "义诊 30 人", "people_served": 30})
    assert answer.status_code == 302
    assert Delivery.objects.filter(commitment=c).count() == 1
    client.force_login(w.alice)
    refused = client.post(reverse("party:agreement_deliver", args=[made.pk]), {
        "commitment": c.pk, "delivered_on": timezone.localdate().isoformat(), "given": "x"})
    assert refused.status_code == 403


def test_the_list_figure_equals_the_deliveries_behind_it(client, w):
    made = agreement(w, by=w.pia)
    c = commitment(made)
    today = timezone.localdate()
    for _ in range(2):
        Delivery.objects.create(commitment=c, delivered_on=today.replace(day=1), given="义诊",
                                area_path=made.area_path, recorded_by=w.pia)
    client.force_login(w.pia)
    detail = client.get(reverse("party:agreement", args=[made.pk]) + f"?year={today.year}")
    assert detail.context["total"].delivered == len(detail.context["counted"]) == 2


# --- API -------------------------------------------------------------------------------------

def test_the_api(client, w):
    client.force_login(w.pia)
    today = timezone.localdate()
    made = client.post("/api/party/agreements", {
        "community_id": w.community_a.pk, "unit_id": w.unit_a.pk, "title": "共建",
        "signed_on": today.isoformat(), "starts_on": f"{today.year}-01-01",
        "ends_on": f"{today.year}-12-31",
        "commitments": [{"what": "义诊", "frequency": "monthly", "times": 1}]},
        content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["allowed_actions"] == ["end"]
    pk, cid = body["id"], body["commitments"][0]["id"]
    d = client.post(f"/api/party/agreements/{pk}/deliveries",
                    {"commitment_id": cid, "delivered_on": today.isoformat(), "given": "义诊"},
                    content_type="application/json")
    assert d.status_code == 201
    rates = client.get("/api/party/fulfilment").json()
    assert rates[0]["fulfilment"]["fulfilled"] == 1
    v = client.post(f"/api/party/agreements/{pk}/deliveries/{d.json()['id']}/void",
                    {"reason": "重复"}, content_type="application/json")
    assert v.status_code == 200 and v.json()["void_reason"] == "重复"
    end = client.post(f"/api/party/agreements/{pk}/end", {"reason": "到期"},
                      content_type="application/json")
    assert end.json()["state"] == "ended"
    client.logout()
    assert client.get("/api/party/agreements").status_code == 401
    client.force_login(w.pete)
    assert client.get(f"/api/party/agreements/{pk}").status_code == 404
    client.force_login(w.uma)
    assert client.post(f"/api/party/agreements/{pk}/end", {"reason": "x"},
                       content_type="application/json").status_code == 403
