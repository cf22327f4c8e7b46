"""The store page says before a click what a click would be refused for, and a refused
redemption comes back to the store page with the reason at the item (issue #11 item 8)."""

import re

import pytest

from linli.accounts.tests.factories import UserFactory, assign
from linli.points.models import Redemption, StoreItem
from linli.points.offers import offers
from linli.points.store import redemption_place
from linli.points.tests.conftest import balance, grant
from linli.points.tests.test_api import state

pytestmark = pytest.mark.django_db


def _card(html: str, item: StoreItem) -> str:
    found = re.search(rf'<article class="item-card[^"]*" id="item-{item.pk}">(.*?)</article>',
                      html, re.S)
    assert found, f"no card for {item.name}"
    return found.group(1)


def _button_disabled(card: str) -> bool:
    button = re.search(r"<button type=\"submit\"([^>]*)>", card)
    assert button
    return "disabled" in button.group(1)


def test_offers_say_how_many_or_why_not(world, rice, haircut):
    grant(world.community_a, world.rita, 300)
    empty = StoreItem.objects.create(community=world.community_a, name="油", price_points=10,
                                     stock=0)
    found = {o.item.pk: o for o in offers(actor=world.rita, items=[rice, haircut, empty],
                                          balances={world.community_a.pk: 300})}
    assert found[rice.pk].most == 1  # 300 // 200, under the limit of 2 and the stock of 3
    assert found[haircut.pk].most == 3 and found[haircut.pk].can_redeem
    assert (found[empty.pk].most, found[empty.pk].reason) == (0, "Out of stock")


def test_the_monthly_limit_counts_what_was_redeemed(world, rice):
    grant(world.community_a, world.rita, 1000)
    redemption_place(actor=world.rita, item=rice, quantity=2, key="k")
    offer, = offers(actor=world.rita, items=[rice], balances={world.community_a.pk: 600})
    assert not offer.can_redeem
    assert offer.reason == "You have redeemed this month's limit of 2."


def test_buttons_are_disabled_with_the_reason(client, world, rice, haircut):
    grant(world.community_a, world.rita, 100)
    client.force_login(world.rita)
    html = client.get("/points/store/").content.decode()
    rice_card, haircut_card = _card(html, rice), _card(html, haircut)
    assert _button_disabled(rice_card)
    assert f'id="why-{rice.pk}"' in rice_card
    assert "Not enough points: you have 100, this costs 200." in rice_card
    assert not _button_disabled(haircut_card) and 'max="1"' in haircut_card
    assert "redeem-why" not in haircut_card


def test_an_empty_shelf_is_disabled_too(client, world, rice):
    grant(world.community_a, world.rita, 1000)
    StoreItem.objects.filter(pk=rice.pk).update(stock=0)
    client.force_login(world.rita)
    card = _card(client.get("/points/store/").content.decode(), rice)
    assert _button_disabled(card) and "Out of stock" in card


def test_a_refusal_renders_the_store_page_at_the_item_and_debits_nothing(client, world, rice):
    grant(world.community_a, world.rita, 100)
    client.force_login(world.rita)
    before = state()
    # A stale page (the balance was spent in another tab): the server still refuses.
    response = client.post(f"/points/store/items/{rice.pk}/redeem/",
                           {"quantity": "1", "idem": "stale"})
    assert response.status_code == 400 and state() == before
    assert next(t.name for t in response.templates) == "points/catalogue.html"
    html = response.content.decode()
    card = _card(html, rice)
    assert f'id="item-error-{rice.pk}"' in card and 'data-code="insufficient_points"' in card
    assert "Not enough points: you have 100, this costs 200." in card
    assert 'data-store-url="/points/store/"' in html and "points/store.js" in html
    assert balance(world.community_a, world.rita) == 100 and not Redemption.objects.exists()


def test_over_the_stock_is_refused_with_the_shelf(client, world, rice):
    grant(world.community_a, world.rita, 1000)
    client.force_login(world.rita)
    response = client.post(f"/points/store/items/{rice.pk}/redeem/",
                           {"quantity": "5", "idem": "many"})
    assert response.status_code == 400
    assert "Each person may redeem 2 of this item a month" in _card(
        response.content.decode(), rice)
    assert balance(world.community_a, world.rita) == 1000


def test_a_bad_quantity_is_refused_on_the_page(client, world, rice):
    grant(world.community_a, world.rita, 1000)
    client.force_login(world.rita)
    response = client.post(f"/points/store/items/{rice.pk}/redeem/",
                           {"quantity": "abc", "idem": "q"})
    assert response.status_code == 400
    assert "Choose a quantity from 1 to 99." in _card(response.content.decode(), rice)
    assert not Redemption.objects.exists()


def test_anonymous_other_community_and_staff_cannot_redeem(client, world, rice):
    url = f"/points/store/items/{rice.pk}/redeem/"
    form = {"quantity": "1", "idem": "x"}
    assert client.post(url, form).url.startswith("/accounts/login/")
    outsider = UserFactory.create(username="rosa")
    assign(outsider, "resident", world.dwelling_b)
    grant(world.community_b, outsider, 1000)
    client.force_login(outsider)
    assert client.post(url, form).status_code == 404  # not in her catalogue
    client.force_login(world.alice)  # the desk of A: staff, not a resident
    response = client.post(url, form)
    assert response.status_code == 403
    assert "Only residents of this community can redeem at its store." in \
        response.content.decode()
    assert not Redemption.objects.exists()
