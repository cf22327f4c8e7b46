"""The points and store pages: who sees what, and that forms call the services (refusals
keep everything as it was)."""

import pytest

from linli.cases.tests.apitools import jpeg_upload, media_root  # noqa: F401 (fixture)
from linli.points.models import Account, EarningRule, Entry, Redemption, StoreItem
from linli.points.store import redemption_place
from linli.points.tests.conftest import balance, grant
from linli.points.tests.test_api import state

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, rice, rich_rita):
    return redemption_place(actor=rich_rita, item=rice, quantity=1, key="k1")


def test_pages_need_a_login(client):
    for url in ("/points/", "/points/me/", "/points/store/", "/points/store/desk/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who,shown", [("rita", True), ("alice", True), ("leo", True),
                                       ("uma", False), ("nobody", False)])
def test_the_nav_link_follows_the_role(client, world, who, shown):
    client.force_login(getattr(world, who))
    assert ('id="nav-points"' in client.get("/").content.decode()) is shown


@pytest.mark.parametrize("who,target", [("rita", "/points/me/"), ("alice", "/points/store/desk/"),
                                        ("leo", "/points/accounts/")])
def test_the_index_sends_each_role_to_its_page(client, world, who, target):
    client.force_login(getattr(world, who))
    assert client.get("/points/")["Location"] == target


def test_my_statement_shows_the_balance_and_running_balances(client, world, rich_rita, held):
    client.force_login(world.rita)
    page = client.get("/points/me/").content.decode()
    assert 'id="balance-value">800<' in page
    assert page.count('<tr id="entry-') == 2
    assert "大米 5kg × 1" in page and "-200" in page and "+1000" in page


def test_the_statement_names_what_a_posting_was_for_in_words(client, world, rich_rita, held):
    """A resident reads "redemption #7", not the ledger's key "store.redemption:7"."""
    client.force_login(world.rita)
    page = client.get("/points/me/").content.decode()
    assert f"redemption #{held.pk}" in page and "store.redemption:" not in page


@pytest.mark.parametrize("source,label", [
    ("volunteering.claim:22", "volunteer work #22"), ("store.redemption:7", "redemption #7"),
    ("demo", "demo"), ("store.redemption:x", "store.redemption:x"), ("", "")])
def test_source_labels(source, label):
    from linli.points.views import source_label

    assert source_label(source) == label


def test_a_long_statement_is_paginated(client, world):
    for n in range(120):
        grant(world.community_a, world.rita, 1, key=f"g{n}")
    client.force_login(world.rita)
    first = client.get("/points/me/").content.decode()
    last = client.get("/points/me/?page=3").content.decode()
    assert first.count('<tr id="entry-') == 50 and last.count('<tr id="entry-') == 20
    assert "1 / 3" in first and 'rel="next"' in first
    # The oldest entry's running balance is 1, the newest 120.
    assert '<td class="num">1</td>' in last and '<td class="num">120</td>' in first


def test_staff_read_a_residents_statement_and_reverse_a_grant(client, world, rich_rita):
    account = Account.objects.get(owner=world.rita)
    entry = Entry.objects.get()
    client.force_login(world.alice)
    page = client.get(f"/points/accounts/{account.pk}/").content.decode()
    assert "Reverse this posting" in page
    response = client.post(f"/points/entries/{entry.pk}/reverse/", {"memo": "错发"})
    assert response.status_code == 302
    assert balance(world.community_a, world.rita) == 0
    page = client.get(f"/points/accounts/{account.pk}/").content.decode()
    assert "reversed" in page and f"↺ #{entry.pk}" in page


def test_a_reversal_needs_a_reason(client, world, rich_rita):
    entry = Entry.objects.get()
    client.force_login(world.alice)
    before = state()
    response = client.post(f"/points/entries/{entry.pk}/reverse/", {"memo": ""})
    assert response.status_code == 400 and state() == before


@pytest.mark.parametrize("who,status", [("rita", 403), ("bob", 404), ("gina", 404)])
def test_others_cannot_reverse(client, world, rich_rita, who, status):
    entry = Entry.objects.get()
    client.force_login(getattr(world, who))
    before = state()
    response = client.post(f"/points/entries/{entry.pk}/reverse/", {"memo": "x"})
    assert response.status_code == status and state() == before


@pytest.mark.parametrize("who,status", [("rita", 404), ("bob", 200), ("gina", 404)])
def test_the_accounts_list_is_for_staff(client, world, rich_rita, who, status):
    client.force_login(getattr(world, who))
    response = client.get("/points/accounts/")
    assert response.status_code == status
    if status == 200:
        assert str(world.rita) not in response.content.decode()


def test_a_resident_redeems_from_the_catalogue_once_per_form(client, world, rice, rich_rita):
    client.force_login(world.rita)
    page = client.get("/points/store/").content.decode()
    assert "大米 5kg" in page and f'data-community="{world.community_a.pk}">1000<' in page
    form = {"quantity": "2", "idem": "form-1"}
    first = client.post(f"/points/store/items/{rice.pk}/redeem/", form)
    again = client.post(f"/points/store/items/{rice.pk}/redeem/", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == "/points/store/mine/"
    assert Redemption.objects.count() == 1 and balance(world.community_a, world.rita) == 600


def test_a_refused_redemption_shows_why(client, world, rice):
    grant(world.community_a, world.rita, 100)
    client.force_login(world.rita)
    before = state()
    response = client.post(f"/points/store/items/{rice.pk}/redeem/",
                           {"quantity": "1", "idem": "x"})
    assert response.status_code == 400 and state() == before
    assert "Not enough points: you have 100, this costs 200." in response.content.decode()


def test_the_resident_cancels_from_my_redemptions(client, world, held, rice):
    client.force_login(world.rita)
    assert "Cancel" in client.get("/points/store/mine/").content.decode()
    response = client.post(f"/points/store/redemptions/{held.pk}/cancel/")
    assert response["Location"] == "/points/store/mine/"
    held.refresh_from_db()
    rice.refresh_from_db()
    assert held.state == "cancelled" and rice.stock == 3


def test_the_desk_hands_over(client, world, held):
    client.force_login(world.alice)
    page = client.get("/points/store/desk/").content.decode()
    assert f'id="redemption-{held.pk}"' in page
    response = client.post(f"/points/store/redemptions/{held.pk}/complete/", {"from": "desk"})
    assert response["Location"] == "/points/store/desk/"
    held.refresh_from_db()
    assert held.state == "completed" and held.handled_by == world.alice
    again = client.post(f"/points/store/redemptions/{held.pk}/complete/", {"from": "desk"})
    assert again.status_code == 409
    assert "already handed over" in again.content.decode()


@pytest.mark.parametrize("who,status", [("rita", 403), ("bob", 404)])
def test_others_cannot_hand_over(client, world, held, who, status):
    client.force_login(getattr(world, who))
    before = state()
    response = client.post(f"/points/store/redemptions/{held.pk}/complete/", {"from": "desk"})
    assert response.status_code == status and state() == before


@pytest.mark.parametrize("url", ["/points/store/desk/", "/points/store/items/",
                                 "/points/store/items/new/", "/points/rules/",
                                 "/points/rules/new/"])
def test_staff_pages_do_not_exist_for_residents(client, world, url):
    client.force_login(world.rita)
    assert client.get(url).status_code == 404


def test_the_desk_adds_edits_and_restocks_items(client, world, media_root):  # noqa: F811
    client.force_login(world.alice)
    assert client.get("/points/store/items/new/").status_code == 200
    response = client.post("/points/store/items/new/", {
        "community": world.community_a.pk, "name": "洗衣液", "kind": "goods",
        "price_points": "60", "stock": "10", "per_person_limit": "", "is_active": "on",
        "image": jpeg_upload()})
    assert response.status_code == 302, response.content.decode()
    item = StoreItem.objects.get()
    assert (item.name, item.stock, item.per_person_limit, item.is_active) == (
        "洗衣液", 10, None, True)
    assert bool(item.thumbnail)
    response = client.post(f"/points/store/items/{item.pk}/edit/", {
        "name": "洗衣液 2L", "kind": "goods", "price_points": "70", "per_person_limit": "2"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.price_points, item.per_person_limit, item.is_active) == (
        "洗衣液 2L", 70, 2, False)
    client.post(f"/points/store/items/{item.pk}/restock/", {"quantity": "5"})
    item.refresh_from_db()
    assert item.stock == 15
    refused = client.post(f"/points/store/items/{item.pk}/restock/", {"quantity": "-99"})
    assert refused.status_code == 400 and StoreItem.objects.get().stock == 15


def test_an_item_picture_is_served_within_the_community(client, world, media_root):  # noqa
    from linli.points.catalogue import item_create

    item = item_create(actor=world.alice, community=world.community_a, name="理发服务",
                       price_points=80, image=jpeg_upload())
    client.force_login(world.rita)
    response = client.get(f"/points/store/items/{item.pk}/thumb/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(world.bob)
    assert client.get(f"/points/store/items/{item.pk}/image/").status_code == 404


def test_the_desk_adds_and_edits_earning_rules(client, world):
    client.force_login(world.alice)
    response = client.post("/points/rules/new/", {
        "community": world.community_a.pk, "action": "volunteer_hour",
        "points_per_unit": "10", "cap": "200", "cap_period": "month", "is_active": "on"})
    assert response.status_code == 302
    rule = EarningRule.objects.get()
    response = client.post(f"/points/rules/{rule.pk}/edit/", {
        "points_per_unit": "12", "cap": "", "cap_period": "year", "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.points_per_unit, rule.cap, rule.cap_period) == (12, None, "year")
    duplicate = client.post("/points/rules/new/", {
        "community": world.community_a.pk, "action": "volunteer_hour",
        "points_per_unit": "1", "cap_period": "month"})
    assert duplicate.status_code == 409 and EarningRule.objects.count() == 1
    assert f'id="rule-{rule.pk}"' in client.get("/points/rules/").content.decode()
