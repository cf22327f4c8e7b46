from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.models import AuditEntry
from linli.orgs.models import Area
from linli.orgs.tests.factories import make_area

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "area_import_sample.csv"
HEADER = "区县,区县编码,街道,街道编码,社区,社区编码,网格,网格编码,小区,楼栋,单元,房屋"
PAGE = "/orgs/import/"
API = "/api/orgs/import"


def upload(content: bytes, name: str = "areas.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def bad_grid_file() -> bytes:
    return (f"{HEADER}\n"
            "江汉区,420103,民族街道,420103001,花楼社区,420103001001,花楼第四网格,4201030010010,,,,\n"
            ).encode()


@pytest.fixture
def english(client):
    client.cookies["linli_language"] = "en"
    return client


# --- the page -------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["alice", "rita", "leo", "uma"])
def test_people_who_administer_no_area_do_not_see_the_page(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(PAGE).status_code == 404
    before = Area.objects.count()
    form = {"file": upload(SAMPLE.read_bytes()), "mode": "import"}
    assert client.post(PAGE, form).status_code == 404
    assert Area.objects.count() == before


def test_admin_sees_the_form_and_the_sample_link(english, world):
    english.force_login(world.ada)
    response = english.get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'href="/orgs/import/sample.csv"' in body


def test_sample_download(client, world):
    client.force_login(world.ada)
    response = client.get("/orgs/import/sample.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE.read_bytes()
    client.force_login(world.alice)
    assert client.get("/orgs/import/sample.csv").status_code == 404


def test_upload_shows_the_counts(english, world):
    english.force_login(world.ada)
    before = Area.objects.count()
    response = english.post(PAGE, {"file": upload(SAMPLE.read_bytes()), "mode": "import"})
    assert response.status_code == 200
    assert Area.objects.count() == before + 21
    assert response.context["report"].created_total == 21
    assert [(c, r) for _kind, c, r in response.context["counts"]] == [
        (0, 1), (1, 0), (2, 0), (3, 0), (2, 0), (4, 0), (4, 0), (5, 0)]
    assert "21 areas created, 1 existing areas reused" in response.content.decode()


def test_upload_with_errors_lists_them_and_imports_nothing(english, world):
    english.force_login(world.ada)
    before = Area.objects.count()
    response = english.post(PAGE, {"file": upload(bad_grid_file())})
    assert response.status_code == 400
    assert Area.objects.count() == before
    assert response.context["problems"] == [{
        "row": 2, "column": "网格编码",
        "message": "A grid code is exactly 15 digits; got 4201030010010."}]
    body = response.content.decode()
    assert 'id="import-errors"' in body
    assert "<td>2</td><td>网格编码</td>" in body


def test_upload_without_a_file_is_a_form_error(english, world):
    english.force_login(world.ada)
    response = english.post(PAGE, {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_tree_page_links_to_the_import_for_admins_only(client, world):
    client.force_login(world.ada)
    assert 'id="import-link"' in client.get("/orgs/").content.decode()
    client.force_login(world.alice)
    assert 'id="import-link"' not in client.get("/orgs/").content.decode()


# --- the API --------------------------------------------------------------------------

def test_api_anonymous_gets_401(client, world):
    response = client.post(API, {"file": upload(SAMPLE.read_bytes())})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("who", ["rita", "alice", "bob", "leo"])
def test_api_non_admins_get_403_and_nothing_changes(client, world, who):
    client.force_login(getattr(world, who))
    before = Area.objects.count()
    response = client.post(API, {"file": upload(SAMPLE.read_bytes())})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Area.objects.count() == before


def test_api_admin_of_the_district_imports(client, world):
    client.force_login(world.ada)
    response = client.post(API, {"file": upload(SAMPLE.read_bytes(), "tree.csv")})
    assert response.status_code == 200
    body = response.json()
    assert body["filename"] == "tree.csv"
    assert body["rows"] == 7
    assert body["created_total"] == 21 and body["reused_total"] == 1
    assert body["created"]["dwelling"] == 5 and body["reused"]["district"] == 1
    entry = AuditEntry.objects.get(action="area.imported")
    assert entry.channel == "api"


def test_api_bad_rows_are_a_400_with_details(client, world):
    client.force_login(world.ada)
    before = Area.objects.count()
    response = client.post(API, {"file": upload(bad_grid_file())}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert len(body["details"]) == 1
    assert body["details"][0]["row"] == 2 and body["details"][0]["column"] == "网格编码"
    assert set(body["details"][0]) == {"row", "column", "message"}
    assert Area.objects.count() == before


def test_api_rows_outside_ones_areas_are_a_403_with_details(client, world):
    make_area("district", "武昌区", code="420106")
    client.force_login(world.ada)
    before = Area.objects.count()
    content = f"{HEADER}\n武昌区,420106,中华路街道,420106001,,,,,,,,\n".encode()
    response = client.post(API, {"file": upload(content)})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden_rows"
    assert [(d["row"], d["column"]) for d in response.json()["details"]] == [(2, "街道")]
    assert Area.objects.count() == before


def test_api_refuses_a_file_that_is_not_a_spreadsheet(client, world):
    client.force_login(world.ada)
    response = client.post(API, {"file": upload(b"\x89PNG\r\n\x1a\n\x00\x00", "x.xlsx")})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_file"
