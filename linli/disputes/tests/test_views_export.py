"""The dispute list to Excel (disputes/exporters.py through core/exports): the list's own
filters, scope, refusals, and no party in the file at all."""

import io

import pytest
from openpyxl import load_workbook

from linli.cases.tests.viewtools import body, login_as, refused
from linli.disputes.tests.factories import dispute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _sheet(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _numbers(sheet) -> list[str]:
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_list_offers_the_export_with_its_filters(client, world):
    dispute(world)
    login_as(client, world.alice)
    page = body(client.get("/disputes/?grade=green&grade=red&open=1"))
    assert 'action="/exports/new/disputes/"' in page
    assert 'name="grade" value="green,red"' in page and 'name="open" value="1"' in page


def test_export_follows_filters_and_scope_and_names_no_party(client, world):
    green = dispute(world)
    yellow = dispute(world, people_involved=8)
    theirs = dispute(world, actor=world.bob, area=world.grid_b1)
    login_as(client, world.alice)
    sheet = _sheet(client.post("/exports/new/disputes/", {}))
    assert set(_numbers(sheet)) == {green.number, yellow.number}
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    for secret in ("王大伟", "王*伟", "李小红", "13900000000", "楼上漏水"):
        assert secret not in cells
    only = _sheet(client.post("/exports/new/disputes/", {"grade": "yellow,red"}))
    assert _numbers(only) == [yellow.number]
    login_as(client, world.leo)
    assert theirs.number in _numbers(_sheet(client.post("/exports/new/disputes/", {})))


def test_export_refuses_non_staff_and_bad_filters(client, world):
    dispute(world)
    login_as(client, world.rita)
    assert refused(client.post("/exports/new/disputes/", {}))[0] == 403
    login_as(client, world.alice)
    status, reason = refused(client.post("/exports/new/disputes/",
                                         {"area": str(world.community_b.pk)}))
    assert status == 400 and "Area" in reason
