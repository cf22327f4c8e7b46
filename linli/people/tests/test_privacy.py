"""The privacy promise, checked end to end (docs/privacy.md):

- the database holds only ciphertext for sensitive values (raw rows grepped for clear text);
- no page or API response shows a clear sensitive value without an audited reveal, and every
  page that shows the field shows its mask;
- no log line carries a clear value, even while values are revealed.
"""

import logging
import re

import pytest
from django.db import connection
from django.utils import timezone

from linli.cases.tests.factories import category
from linli.people import services
from linli.people.models import AccessLog
from linli.people.tests.conftest import ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import tag
from linli.people.tests.pages import as_user, html

pytestmark = pytest.mark.django_db
CONTACT = "女儿王芳13800001111"
NEEDS = "每周二送药上门"
FINDINGS = "血压一百八十偏高"
NOTE = "民政低保证号甲乙丙"
SECRETS = [ROSA_ID, ROSA_PHONE, CONTACT, NEEDS, FINDINGS, NOTE]
MASKED_ID, MASKED_PHONE = "4201**********" + ROSA_ID[-4:], "136****8888"


@pytest.fixture
def full(people, settings, tmp_path):
    """Rosa with everything sensitive Linli can hold: numbers, tags, plan, a visit, a case."""
    settings.MEDIA_ROOT = tmp_path
    services.consent_record(actor=people.alice, resident=people.rosa, basis="consent")
    services.resident_tag_add(actor=people.alice, resident=people.rosa,
                                   tag=tag("lonely_elderly"))
    services.resident_tag_add(actor=people.alice, resident=people.rosa,
                                   tag=tag("severe_mental"), note=NOTE)
    services.care_plan_save(actor=people.alice, resident=people.rosa,
                                 grid_worker=people.gina, emergency_contact=CONTACT, needs=NEEDS)
    services.visit_record(actor=people.gina, resident=people.rosa,
                               visited_on=timezone.localdate(), kind="home", findings=FINDINGS,
                               raise_case=True, case_category=category(),
                               case_description="楼道灯坏了")
    return people


def _all_rows_text() -> str:
    """Every row of every table, as text: what a database dump would show."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_database_holds_only_ciphertext(full):
    text = _all_rows_text()
    for secret in SECRETS:
        assert secret not in text, secret
    assert "严重精神障碍" in text  # the tag list itself is not secret...
    # ...which resident has which tag is.
    tables = ("people_residenttag", "people_resident", "people_consent", "people_careplan",
              "core_auditentry", "people_accesslog")
    with connection.cursor() as cursor:
        rows: list[str] = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            rows.extend(repr(row) for row in cursor.fetchall())
    assert "severe_mental" not in "\n".join(rows) and "严重精神障碍" not in "\n".join(rows)


def _pages(people) -> list[str]:
    r, h = people.rosa.pk, people.rosa.household_id
    return ["/people/", "/people/?q=王", f"/people/residents/{r}/",
            f"/people/residents/{r}/edit/", f"/people/households/{h}/",
            f"/people/residents/{r}/plan/", f"/people/residents/{r}/visits/new/",
            "/people/care/", "/people/care/?overdue=1", "/people/care/completion/",
            "/people/access-log/", *[f"/people/residents/{r}/masked/{f}/"
                                     for f in ("id_number", "phone", "tags", "plan",
                                               "findings")]]


def _api(people) -> list[str]:
    r = people.rosa.pk
    return ["/api/people/residents", "/api/people/residents?q=王",
            f"/api/people/residents/{r}", "/api/people/care-plans",
            f"/api/people/residents/{r}/visits", "/api/people/completion",
            "/api/people/access-log"]


@pytest.mark.parametrize("who", ["gina", "alice", "leo", "ada"])
def test_no_page_or_api_response_shows_a_clear_value(client, full, who):
    as_user(client, getattr(full, who))
    for url in _pages(full) + _api(full):
        response = client.get(url)
        if response.status_code == 404:
            assert url.endswith(("/edit/", "/plan/", "/visits/new/", "/access-log/",
                                 "/access-log")), url
            continue
        assert response.status_code == 200, url
        body = html(response)
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        # The add-a-tag menu lists every tag; nothing else may name one of hers.
        assert "严重精神障碍" not in re.sub(r'<select name="tag">.*?</select>', "", body), url
    for posted in (client.post("/people/", {"q": ROSA_PHONE}),
                   client.post("/api/people/residents/search", {"q": ROSA_ID},
                               content_type="application/json")):
        assert posted.status_code == 200 and "王秀英" in html(posted)
        assert ROSA_PHONE not in html(posted) and ROSA_ID not in html(posted)
    detail = html(client.get(f"/people/residents/{full.rosa.pk}/"))
    assert MASKED_ID in detail and MASKED_PHONE in detail
    listed = client.get("/api/people/residents").json()["items"]
    assert {(r["id_number"], r["phone"]) for r in listed if r["id"] == full.rosa.pk} == {
        (MASKED_ID, MASKED_PHONE)}
    assert AccessLog.objects.count() == 0  # reading pages reveals nothing


def test_admin_pages_show_no_clear_value(client, full):
    as_user(client, full.ada)
    for url in ("/audit/", "/admin/core/auditentry/", "/admin/people/caretag/"):
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in html(response), (url, secret)


def test_logs_carry_no_clear_value(client, full, caplog):
    caplog.set_level(logging.DEBUG)
    as_user(client, full.gina)
    base = f"/people/residents/{full.rosa.pk}"
    for field in ("id_number", "phone", "tags", "plan", "findings"):
        client.post(f"{base}/reveal/{field}/", {"purpose": "上门核对信息"},
                    headers={"HX-Request": "true"})
        client.post(f"/api{base.removeprefix('/people')}/reveal".replace(
            "/api/residents", "/api/people/residents"),
            {"field": field, "purpose": "上门核对信息"}, content_type="application/json")
        client.post(f"{base}/reveal/{field}/", {"purpose": ""})  # refused
    as_user(client, full.bob)
    client.post(f"{base}/reveal/id_number/", {"purpose": "越权查看"})
    as_user(client, full.rita)
    client.get("/people/me/")
    assert AccessLog.objects.filter(outcome="revealed").count() == 10
    assert AccessLog.objects.filter(outcome="refused").count() == 6
    for secret in SECRETS:
        assert secret not in caplog.text, secret
