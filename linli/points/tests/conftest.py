"""Fixtures for the store tests: a stocked item in community A and residents with points."""

import pytest
from django.utils import translation

from linli.points.models import Account, AccountKind, EntryKind, StoreItem
from linli.points.services import account_for, posting


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English msgids; the UI's default language is Chinese."""
    from linli.core.middleware import LANGUAGE_COOKIE

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the API
    client.cookies[LANGUAGE_COOKIE] = "en"  # the pages
    with translation.override("en"):
        yield


def grant(community, user, amount: int, key: str = ""):
    """Give `user` points from the community's issuer, as the demo and the staff do."""
    return posting(key=key or f"test.grant:{user.pk}:{amount}", kind=EntryKind.GRANT,
                   debit=account_for(kind=AccountKind.ISSUER, community=community),
                   credit=account_for(kind=AccountKind.RESIDENT, community=community,
                                      owner=user), amount=amount)


def balance(community, user=None, kind: str = AccountKind.RESIDENT) -> int:
    account = Account.objects.filter(kind=kind, community=community, owner=user).first()
    return account.balance if account is not None else 0


@pytest.fixture
def rice(world):
    return StoreItem.objects.create(community=world.community_a, name="大米 5kg",
                                    price_points=200, stock=3, per_person_limit=2)


@pytest.fixture
def haircut(world):
    return StoreItem.objects.create(community=world.community_a, name="理发服务",
                                    kind="service", price_points=80, stock=10)


@pytest.fixture
def rich_rita(world):
    grant(world.community_a, world.rita, 1000)
    return world.rita
