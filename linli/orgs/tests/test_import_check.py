"""The area import's "check only" (a dry run): the same check and the same problems by row,
and nothing written (issue #11 item 8)."""

import pytest

from linli.core.models import AuditEntry
from linli.orgs.imports import area_tree_import
from linli.orgs.models import Area
from linli.orgs.tests.test_import_views import PAGE, SAMPLE, bad_grid_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["linli_language"] = "en"
    return client


def test_the_service_counts_what_it_would_create_and_writes_nothing(world):
    before = Area.objects.count()
    report = area_tree_import(actor=world.ada, filename="s.csv", content=SAMPLE.read_bytes(),
                              check_only=True)
    assert report.check_only and report.created_total == 21 and report.rows == 7
    assert Area.objects.count() == before and not AuditEntry.objects.exists()


def test_the_sample_is_obviously_made_up():
    text = SAMPLE.read_text(encoding="utf-8-sig")
    rows = text.splitlines()[1:]
    assert rows and all(",示例街道,420103901," in r for r in rows)


def test_check_only_is_the_first_button_and_the_default(english, world):
    english.force_login(world.ada)
    body = english.get(PAGE).content.decode()
    assert body.index('id="import-check"') < body.index('id="import-run"')
    before = Area.objects.count()
    response = english.post(PAGE, {"file": upload(SAMPLE.read_bytes())})  # no button named
    assert response.status_code == 200 and Area.objects.count() == before
    assert response.context["report"].check_only


def test_a_check_reports_what_an_import_would_do(english, world):
    english.force_login(world.ada)
    before = Area.objects.count()
    response = english.post(PAGE, {"file": upload(SAMPLE.read_bytes()), "mode": "check"})
    body = response.content.decode()
    assert response.status_code == 200 and Area.objects.count() == before
    assert 'id="import-checked"' in body and "Importing would create 21 areas" in body
    assert "Nothing was written." in body
    # Then the real import of the same file.
    response = english.post(PAGE, {"file": upload(SAMPLE.read_bytes()), "mode": "import"})
    assert response.status_code == 200 and Area.objects.count() == before + 21


def test_a_check_lists_the_problems_by_row_and_writes_nothing(english, world):
    english.force_login(world.ada)
    before = Area.objects.count()
    response = english.post(PAGE, {"file": upload(bad_grid_file()), "mode": "check"})
    assert response.status_code == 400 and Area.objects.count() == before
    assert response.context["problems"][0]["row"] == 2
    assert "<td>2</td><td>网格编码</td>" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "rita", "leo", "uma"])
def test_a_check_is_refused_like_an_import(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(PAGE, {"file": upload(SAMPLE.read_bytes()), "mode": "check"})
    assert response.status_code == 404


def test_the_anonymous_cannot_check(client, world):
    response = client.post(PAGE, {"file": upload(SAMPLE.read_bytes()), "mode": "check"})
    assert response.url.startswith("/accounts/login/")


def test_the_api_checks_only_when_asked(client, world):
    client.force_login(world.ada)
    before = Area.objects.count()
    response = client.post("/api/orgs/import?check_only=true",
                           {"file": upload(SAMPLE.read_bytes())})
    assert response.status_code == 200 and Area.objects.count() == before
    assert response.json()["check_only"] is True and response.json()["created_total"] == 21
    bad = client.post("/api/orgs/import?check_only=true", {"file": upload(bad_grid_file())})
    assert bad.status_code == 400 and bad.json()["details"][0]["row"] == 2
    assert Area.objects.count() == before
    response = client.post("/api/orgs/import", {"file": upload(SAMPLE.read_bytes())})
    assert response.json()["check_only"] is False and Area.objects.count() == before + 21
