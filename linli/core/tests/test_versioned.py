"""Version counters (core.versioned): database triggers move a table's version with every
change, whoever makes it, and a per-process cache never serves a row copied under other
versions."""

import copy

import pytest
from django.db import connection, transaction

from linli.accounts.models import ApiToken
from linli.accounts.services import api_token_create
from linli.cases.models import Category
from linli.cases.tests.factories import category
from linli.core import versioned
from linli.core.versioned import Versioned, row_copy, versions
from linli.orgs.models import Area

pytestmark = pytest.mark.django_db


def _version(table: str) -> int | None:
    return versions().get(table)


def test_every_kind_of_change_moves_the_version():
    seen = [_version("cases_category")]
    leaf = category()
    seen.append(_version("cases_category"))
    Category.objects.filter(pk=leaf.pk).update(name_zh="改名")  # no signals: still counted
    seen.append(_version("cases_category"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_category SET name_en = 'raw' WHERE id = %s", [leaf.pk])
    seen.append(_version("cases_category"))
    Category.objects.filter(pk=leaf.pk).delete()
    seen.append(_version("cases_category"))
    assert len(set(seen)) == len(seen), seen


def test_a_token_in_use_does_not_drop_the_token_cache(world):
    token, _secret = api_token_create(actor=world.rita, name="app")
    before = _version("accounts_apitoken")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.created_at)
    assert _version("accounts_apitoken") == before
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert _version("accounts_apitoken") != before


def test_a_cache_loads_again_after_a_change_and_not_before():
    loads = []

    def load(code):
        loads.append(code)
        return Category.objects.filter(code=code).values_list("name_zh", flat=True).first()

    cache = Versioned(("cases_category",), load)
    category("L1003")
    assert cache.get("L1003") == "管道漏水"
    assert cache.get("L1003") == "管道漏水"
    assert loads == ["L1003"]
    Category.objects.filter(code="L1003").update(name_zh="水管破裂")
    assert cache.get("L1003") == "水管破裂"
    assert loads == ["L1003", "L1003"]


def test_a_request_reads_the_versions_once():
    category("L1003")
    versioned._request_started()  # the signal's receiver: the signal would close the connection
    try:
        first = versions()
        Category.objects.filter(code="L1003").update(name_zh="水管破裂")
        assert versions() is first  # the request's snapshot
    finally:
        versioned._request_finished()
    assert versions() != first


def test_a_row_read_inside_an_uncommitted_change_is_not_kept():
    cache: Versioned[str, bool] = Versioned(
        ("cases_category",), lambda code: Category.objects.filter(code=code).exists())
    versioned._request_started()  # the signal's receiver: the signal would close the connection
    try:
        versions()  # the request's snapshot: no such category yet
        with transaction.atomic():
            sid = transaction.savepoint()
            category("L1003")
            assert cache.get("L1003") is True  # seen inside its own transaction...
            transaction.savepoint_rollback(sid)
        assert cache.get("L1003") is False  # ...but never served once rolled back
    finally:
        versioned._request_finished()


def test_a_row_copy_is_what_copy_copy_makes(world):
    area = Area.objects.select_related("parent").get(pk=world.grid_a1.pk)
    for copied in (row_copy(area), copy.copy(area)):
        assert copied is not area and copied.pk == area.pk and copied.name == area.name
        assert copied.parent is area.parent  # relations loaded with it are shared, not copied
        assert copied._state is not area._state
        assert copied._state.fields_cache is not area._state.fields_cache
        assert (copied._state.db, copied._state.adding) == (area._state.db, False)
        copied.name = "changed"
        copied.parent = None
        assert area.name != "changed" and area.parent is not None
    assert row_copy({"a": 1}) == {"a": 1}
