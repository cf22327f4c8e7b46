"""The points API, each endpoint for anonymous (401), someone of the other community (404),
the wrong role (403) and the right one; every refused write leaves everything as it was."""

from typing import cast

import pytest

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.tests.apitools import (  # noqa: F401 (fixture)
    jpeg_upload,
    media_root,
    png_bomb_upload,
)
from linli.core.models import AuditEntry
from linli.points.models import (
    Account,
    AccountKind,
    EarningRule,
    Entry,
    Redemption,
    StoreItem,
)
from linli.points.store import redemption_place
from linli.points.tests.conftest import balance, grant

pytestmark = pytest.mark.django_db

API = "/api/points"


def call(client, method: str, url: str, data=None, **headers):
    send = getattr(client, method)
    if method in ("get", "delete"):
        return send(url, headers=headers)
    return send(url, data if data is not None else {}, content_type="application/json",
                headers=headers)


def state() -> tuple:
    """Everything a refused write must leave as it was."""
    return (sorted(Account.objects.values_list("pk", "balance")), Entry.objects.count(),
            sorted(StoreItem.objects.values_list("pk", "name", "stock", "price_points",
                                                 "is_active")),
            sorted(Redemption.objects.values_list("pk", "state")),
            sorted(EarningRule.objects.values_list("pk", "points_per_unit", "is_active")),
            AuditEntry.objects.count())


@pytest.fixture
def rob(world):
    """A resident of community B."""
    user = cast(User, UserFactory(username="rob"))
    assign(user, Role.RESIDENT, world.dwelling_b)
    return user


@pytest.fixture
def held(world, rice, rich_rita):
    return redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")


@pytest.fixture
def rule(world):
    return EarningRule.objects.create(community=world.community_a, action="volunteer_hour",
                                      points_per_unit=10, cap=100)


def login(client, world, who: str):
    if who != "anonymous":
        client.force_login(getattr(world, who) if hasattr(world, who) else who)


# --- refusals, endpoint by endpoint ------------------------------------------------------

REFUSALS = [  # (who, expected status)
    ("anonymous", 401), ("bob", 404), ("rita", 403),
]


def _writes(world, rice, held, rule):
    entry = Entry.objects.filter(kind="grant").get()
    return [
        ("post", f"{API}/entries/{entry.pk}/reverse", {"memo": "错发"}),
        ("post", f"{API}/store/items", {"community_id": world.community_a.pk,
                                         "name": "酱油", "price_points": 30, "stock": 5}),
        ("patch", f"{API}/store/items/{rice.pk}", {"price_points": 1}),
        ("post", f"{API}/store/items/{rice.pk}/restock", {"quantity": 5}),
        ("delete", f"{API}/store/items/{rice.pk}", None),
        ("post", f"{API}/store/redemptions/{held.pk}/complete", None),
        ("post", f"{API}/rules", {"community_id": world.community_a.pk,
                                   "action": "adopted_proposal", "points_per_unit": 5}),
        ("patch", f"{API}/rules/{rule.pk}", {"points_per_unit": 99}),
    ]


@pytest.mark.parametrize("who,status", REFUSALS)
@pytest.mark.parametrize("index", range(8))
def test_staff_writes_are_refused_to_others(client, world, rice, held, rule, who, status,
                                            index):
    method, url, data = _writes(world, rice, held, rule)[index]
    login(client, world, who)
    before = state()
    response = call(client, method, url, data)
    assert response.status_code == status, response.content
    assert response.json()["code"] == {401: "unauthenticated", 403: "forbidden",
                                       404: "not_found"}[status]
    assert state() == before


@pytest.mark.parametrize("url", ["/balance", "/accounts", "/accounts?mine=true",
                                 "/store/items",
                                 "/store/redemptions", "/rules", "/store/items/{item}",
                                 "/accounts/{account}/statement"])
def test_anonymous_reads_nothing(client, world, rice, rich_rita, url):
    account = Account.objects.get(owner=world.rita)
    response = client.get(API + url.format(item=rice.pk, account=account.pk))
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["bob", "gina", "rob", "uma"])
def test_others_cannot_read_a_statement(client, world, rich_rita, rob, who):
    account = Account.objects.get(owner=world.rita)
    client.force_login(rob if who == "rob" else getattr(world, who))
    assert client.get(f"{API}/accounts/{account.pk}/statement").status_code == 404


@pytest.mark.parametrize("who", ["bob", "rob"])
def test_the_other_community_cannot_see_or_redeem_an_item(client, world, rice, rob, who):
    user = rob if who == "rob" else world.bob
    grant(world.community_b, user, 1000)
    client.force_login(user)
    before = state()
    assert client.get(f"{API}/store/items/{rice.pk}").status_code == 404
    response = call(client, "post", f"{API}/store/items/{rice.pk}/redeem", {"quantity": 1})
    assert response.status_code == 404 and state() == before


@pytest.mark.parametrize("who,status", [("alice", 403), ("gina", 404)])
def test_only_residents_redeem(client, world, rice, who, status):
    """The desk sees the item but may not redeem; a grid worker does not see the store."""
    grant(world.community_a, getattr(world, who), 1000)
    client.force_login(getattr(world, who))
    before = state()
    response = call(client, "post", f"{API}/store/items/{rice.pk}/redeem", {"quantity": 1})
    assert response.status_code == status
    assert state() == before


@pytest.mark.parametrize("who,status", [("anonymous", 401), ("bob", 404), ("gina", 404),
                                        ("uma", 404)])
def test_cancel_is_refused_to_others(client, world, held, who, status):
    login(client, world, who)
    before = state()
    response = call(client, "post", f"{API}/store/redemptions/{held.pk}/cancel")
    assert response.status_code == status and state() == before


# --- what the right people get -----------------------------------------------------------

def test_a_resident_redeems_with_an_idempotency_key(client, world, rice, rich_rita):
    client.force_login(rich_rita)
    url = f"{API}/store/items/{rice.pk}/redeem"
    first = call(client, "post", url, {"quantity": 2}, **{"Idempotency-Key": "abc"})
    again = call(client, "post", url, {"quantity": 2}, **{"Idempotency-Key": "abc"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    data = first.json()
    assert {k: data[k] for k in ("item_name", "quantity", "points", "state",
                                 "resident_id")} == {
        "item_name": "大米 5kg", "quantity": 2, "points": 400, "state": "held",
        "resident_id": world.rita.pk}
    assert Redemption.objects.count() == 1 and balance(world.community_a, world.rita) == 600
    other = call(client, "post", url, {"quantity": 1}, **{"Idempotency-Key": "abc"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_mismatch"


@pytest.mark.parametrize("body,code", [({"quantity": 0}, "bad_quantity"),
                                       ({"quantity": -2}, "bad_quantity"),
                                       ({"quantity": "2"}, "invalid"),
                                       ({"quantity": 1.5}, "invalid"),
                                       ({"quantity": 2}, "insufficient_points")])
def test_bad_redemptions_are_refused(client, world, rice, body, code):
    grant(world.community_a, world.rita, 300)
    client.force_login(world.rita)
    before = state()
    response = call(client, "post", f"{API}/store/items/{rice.pk}/redeem", body)
    assert response.status_code == 400 and response.json()["code"] == code
    assert state() == before


def test_the_desk_completes_and_a_second_completion_conflicts(client, world, held):
    client.force_login(world.alice)
    url = f"{API}/store/redemptions/{held.pk}/complete"
    done = call(client, "post", url)
    assert done.status_code == 200 and done.json()["state"] == "completed"
    again = call(client, "post", url)
    assert again.status_code == 409
    assert balance(world.community_a, kind=AccountKind.STORE) == 200


@pytest.mark.parametrize("who", ["rita", "alice"])
def test_the_resident_or_the_desk_cancels(client, world, held, rice, who):
    client.force_login(getattr(world, who))
    response = call(client, "post", f"{API}/store/redemptions/{held.pk}/cancel",
                    {"note": "不要了"})
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    rice.refresh_from_db()
    assert rice.stock == 3 and balance(world.community_a, world.rita) == 1000


def test_a_statement_pages_with_running_balances(client, world, rich_rita, rice):
    for n in range(3):
        grant(world.community_a, world.rita, 10 + n, key=f"g{n}")
    redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")
    account = Account.objects.get(owner=world.rita)
    client.force_login(world.rita)
    assert client.get(f"{API}/balance").json() == [{
        "id": account.pk, "community_id": world.community_a.pk, "community_name": "花楼社区",
        "owner_id": world.rita.pk, "owner_name": str(world.rita), "balance": 833}]
    data = client.get(f"{API}/accounts/{account.pk}/statement").json()
    assert (data["page"], data["pages"], data["count"]) == (1, 1, 5)
    assert [(e["kind"], e["amount"], e["balance"]) for e in data["entries"]] == [
        ("hold", -200, 833), ("grant", 12, 1033), ("grant", 11, 1021), ("grant", 10, 1010),
        ("grant", 1000, 1000)]
    client.force_login(world.alice)
    assert client.get(f"{API}/accounts/{account.pk}/statement").json() == data


def test_staff_reverse_a_grant(client, world, rich_rita):
    entry = Entry.objects.get(kind="grant")
    client.force_login(world.alice)
    response = call(client, "post", f"{API}/entries/{entry.pk}/reverse", {"memo": "错发"})
    assert response.status_code == 201 and response.json()["amount"] == 1000
    assert balance(world.community_a, world.rita) == 0
    again = call(client, "post", f"{API}/entries/{entry.pk}/reverse", {"memo": "再来"})
    assert again.status_code == 409


def test_a_hold_cannot_be_reversed_by_hand(client, world, held):
    client.force_login(world.alice)
    before = state()
    response = call(client, "post", f"{API}/entries/{held.hold_entry_id}/reverse",
                    {"memo": "x"})
    assert response.status_code == 400 and response.json()["code"] == "not_correctable"
    assert state() == before


def test_lists_show_what_each_may_see(client, world, rice, held, rob):
    StoreItem.objects.create(community=world.community_b, name="水塔大米", price_points=5)
    off = StoreItem.objects.create(community=world.community_a, name="旧货", price_points=5,
                                   is_active=False)
    client.force_login(world.rita)
    assert [i["name"] for i in client.get(f"{API}/store/items").json()["items"]] == [
        "大米 5kg"]
    assert client.get(f"{API}/store/items/{off.pk}").status_code == 404
    assert client.get(f"{API}/store/redemptions").json()["count"] == 1
    client.force_login(world.alice)
    names = [i["name"] for i in client.get(f"{API}/store/items?all=true").json()["items"]]
    assert sorted(names) == ["大米 5kg", "旧货"]
    assert [a["owner_name"] for a in client.get(f"{API}/accounts").json()["items"]] == [
        str(world.rita)]
    client.force_login(world.bob)
    assert client.get(f"{API}/store/redemptions").json()["count"] == 0
    assert client.get(f"{API}/accounts").json()["count"] == 0
    assert client.get(f"{API}/store/items?community_id={world.community_a.pk}"
                      ).status_code == 404


def test_the_desk_manages_the_catalogue(client, world, media_root):  # noqa: F811
    client.force_login(world.alice)
    created = call(client, "post", f"{API}/store/items", {
        "community_id": world.community_a.pk, "name": "食用油", "price_points": 150,
        "stock": 4, "per_person_limit": 1, "kind": "goods"})
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    patched = call(client, "patch", f"{API}/store/items/{item_id}",
                   {"per_person_limit": None, "price_points": 120})
    assert (patched.json()["per_person_limit"], patched.json()["price_points"]) == (None, 120)
    restocked = call(client, "post", f"{API}/store/items/{item_id}/restock", {"quantity": -4})
    assert restocked.json()["stock"] == 0
    below = call(client, "post", f"{API}/store/items/{item_id}/restock", {"quantity": -1})
    assert below.status_code == 400 and below.json()["code"] == "bad_stock"
    image = client.post(f"{API}/store/items/{item_id}/image", {"image": jpeg_upload()})
    assert image.status_code == 200
    assert image.json()["image_url"] == f"/points/store/items/{item_id}/image/"
    duplicate = call(client, "post", f"{API}/store/items", {
        "community_id": world.community_a.pk, "name": "食用油", "price_points": 1})
    assert duplicate.status_code == 409
    assert client.delete(f"{API}/store/items/{item_id}").status_code == 204
    assert StoreItem.objects.count() == 0


@pytest.mark.parametrize("size", [(7_000, 7_000), (25_000, 25_000)],
                         ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_decompression_bomb_is_no_item_image(client, world, rice, media_root,  # noqa: F811
                                                size):
    client.force_login(world.alice)
    response = client.post(f"{API}/store/items/{rice.pk}/image",
                           {"image": png_bomb_upload("bomb.png", *size)})
    assert response.status_code == 400
    assert response.json() == {"code": "photo_too_large",
                               "message": "bomb.png has too many pixels."}
    rice.refresh_from_db()
    assert not rice.image and list(media_root.rglob("*.png")) == []


def test_an_item_with_redemptions_is_not_deleted(client, world, held, rice):
    client.force_login(world.alice)
    response = client.delete(f"{API}/store/items/{rice.pk}")
    assert response.status_code == 409 and response.json()["code"] == "has_redemptions"
    assert StoreItem.objects.filter(pk=rice.pk).exists()


def test_the_desk_manages_earning_rules(client, world, rule):
    client.force_login(world.alice)
    created = call(client, "post", f"{API}/rules", {
        "community_id": world.community_a.pk, "action": "mediation_help",
        "points_per_unit": 20, "cap": 60, "cap_period": "year"})
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("action", "points_per_unit", "cap",
                                           "cap_period")} == {
        "action": "mediation_help", "points_per_unit": 20, "cap": 60, "cap_period": "year"}
    duplicate = call(client, "post", f"{API}/rules", {
        "community_id": world.community_a.pk, "action": "mediation_help",
        "points_per_unit": 1})
    assert duplicate.status_code == 409
    patched = call(client, "patch", f"{API}/rules/{rule.pk}", {"cap": None, "is_active": False})
    assert (patched.json()["cap"], patched.json()["is_active"]) == (None, False)
    bad = call(client, "patch", f"{API}/rules/{rule.pk}", {"points_per_unit": 0})
    assert bad.status_code == 400
    assert AuditEntry.objects.filter(action__startswith="points.rule_").count() == 2
    client.force_login(world.rita)
    assert len(client.get(f"{API}/rules").json()) == 2  # residents read how to earn
