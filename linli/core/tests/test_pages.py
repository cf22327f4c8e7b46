"""Core pages as a person meets them: the audit page, and pages whose session ended."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from linli.accounts.tests.conftest import START
from linli.core.audit import audit_record
from linli.core.views import changes_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["linli_language"] = "en"
    return client


# --- the audit page -------------------------------------------------------------------

def test_changes_read_as_fields_and_values_not_a_python_dict():
    assert changes_text({}) == ""
    assert changes_text({"role": "admin", "area": "花楼社区", "unit": None}) == (
        "role: admin; area: 花楼社区; unit: —")
    assert changes_text({"name": ["旧名", "新名"], "code": [None, "420103"]}) == (
        "name: 旧名 → 新名; code: — → 420103")
    assert changes_text({"created": {"grid": 2}, "tags": ["a", "b", "c"]}) == (
        'created: {"grid": 2}; tags: ["a", "b", "c"]')


def test_the_audit_page_shows_readable_changes_in_scope(client, world):
    audit_record(actor=world.ada, action="role.assigned", obj=world.alice,
                 area_path=world.community_a.path, changes={"role": "dispatcher", "unit": None})
    client.force_login(world.ada)
    html = client.get("/audit/").content.decode()
    assert "role: dispatcher; unit: —" in html
    assert "{&#x27;role&#x27;" not in html


@pytest.mark.parametrize("who", ["alice", "leo", "rita"])
def test_the_audit_page_is_for_administrators_only(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get("/audit/").status_code == 404


# --- an HTMX request whose session has ended --------------------------------------------

def _htmx(client, url: str, current: str = "http://testserver/inbox/?unread=1"):
    return client.post(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current)


def test_htmx_is_sent_to_the_login_page_not_given_it_as_a_fragment(client, world):
    with time_machine.travel(START, tick=True) as clock:
        client.force_login(world.rita)
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
        response = _htmx(client, "/inbox/1/read/")
    assert response.status_code == 200
    assert response.content == b""
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Finbox%2F%3Funread%3D1"


def test_htmx_from_another_site_returns_to_no_page(client, world):
    response = _htmx(client, "/inbox/1/read/", current="https://evil.example/x")
    assert response["HX-Redirect"] == "/accounts/login/"


def test_a_form_posted_after_the_session_ended_returns_to_its_page_after_login(client,
                                                                                 world):
    # Not to the form's URL, which only takes a POST: the browser would GET it and meet 405.
    response = client.post("/inbox/read-all/", HTTP_REFERER="http://testserver/inbox/?page=2")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Finbox%2F%3Fpage%3D2"
    response = client.post("/inbox/read-all/", HTTP_REFERER="https://evil.example/")
    assert response.url == "/accounts/login/"
    assert client.post("/inbox/read-all/").url == "/accounts/login/"


def test_other_redirects_are_left_alone(client, world):
    assert client.get("/orgs/").url == "/accounts/login/?next=/orgs/"
    client.force_login(world.rita)
    # A logout goes to the login page, with no page to come back to.
    response = client.post("/accounts/logout/", HTTP_REFERER="http://testserver/orgs/")
    assert response.url == "/accounts/login/"
    client.force_login(world.rita)
    # A logged-in HTMX request redirected elsewhere keeps its redirect.
    response = client.post("/i18n/language/", {"language": "en", "next": "/orgs/"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and "HX-Redirect" not in response


# --- error pages ----------------------------------------------------------------------------

def test_a_missing_page_is_explained_in_chinese_with_the_way_home(client, world):
    client.cookies.pop("linli_language")
    client.force_login(world.rita)
    response = client.get("/cases/987654321/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'id="not-found"' in page and 'href="/"' in page
    assert "Not Found" not in page


def test_a_missing_page_speaks_english_on_request(client):
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


def test_an_api_address_still_answers_in_the_apis_shape(client):
    response = client.get("/api/no-such-operation")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_server_error_page_needs_no_request():
    from django.template.loader import get_template
    from django.utils import translation

    with translation.override("zh-hans"):
        page = get_template("500.html").render()
    assert "出错了" in page and "没有改动任何数据" in page
