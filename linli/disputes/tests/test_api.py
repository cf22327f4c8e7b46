"""The disputes API, registering and reading: register (also from a case), the list with
its filters, the detail with masked parties, the history. Each for the anonymous, staff of
the other community (bob), a resident (rita), a unit member (uma) and the right staff; bad
bodies are 400 naming the field, and a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.services import api_token_create
from linli.cases.tests.apitools import post_json
from linli.cases.tests.walking import report
from linli.core.models import AuditEntry
from linli.disputes.models import Dispute, Event, Party, RegistrationKey
from linli.disputes.tests.factories import dispute, mediator

pytestmark = pytest.mark.django_db
HUGE = "9" * 20


@pytest.fixture
def body(world):
    return {"area_id": world.building_a.pk, "kind": "neighbour",
            "summary": "楼上漏水，楼下要求赔偿", "people_involved": 2, "source": "walk_in",
            "address": "花楼小区1栋",
            "parties": [{"role": "applicant", "name": "王大伟", "phone": "13900000001"},
                        {"role": "respondent", "name": "李小红"}]}


def written() -> tuple:
    """What a refused write must leave as it was."""
    return (Dispute.objects.count(), Party.objects.count(), Event.objects.count(),
            AuditEntry.objects.filter(action__startswith="dispute.").count())


def bearer(user) -> dict:
    _token, secret = api_token_create(actor=user, name="app")
    return {"Authorization": f"Bearer {secret}"}


# --- register ----------------------------------------------------------------------------

def test_anonymous_is_401_and_nothing_is_written(client, world, body):
    d = dispute(world)
    before = written()
    for method, url in [("post", "/api/disputes"), ("get", "/api/disputes"),
                        ("get", f"/api/disputes/{d.pk}"), ("get", f"/api/disputes/{d.pk}/events"),
                        ("post", f"/api/disputes/from-case/{report(world).pk}")]:
        response = (post_json(client, url, body) if method == "post" else client.get(url))
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), url
    assert written() == before


def test_grid_worker_registers_with_masked_parties(client, world, body):
    client.force_login(world.gina)
    response = post_json(client, "/api/disputes", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    d = Dispute.objects.get()
    assert data["id"] == d.pk and data["number"] == d.number
    assert {k: data[k] for k in ("state", "version", "kind", "grade", "computed_grade",
                                 "grade_overridden", "grade_reasons", "source", "area_id",
                                 "area_name", "community_id", "grid_id", "case_id", "owner",
                                 "address", "agreement", "sessions", "referrals")} == {
        "state": "registered", "version": 1, "kind": "neighbour", "grade": "green",
        "computed_grade": "green", "grade_overridden": False, "grade_reasons": [],
        "source": "walk_in", "area_id": world.building_a.pk, "area_name": "1栋",
        "community_id": world.community_a.pk, "grid_id": world.grid_a1.pk, "case_id": None,
        "owner": None, "address": "花楼小区1栋", "agreement": None, "sessions": [],
        "referrals": []}
    assert [(p["role"], p["name"], p["phone"], p["id_number"]) for p in data["parties"]] == [
        ("applicant", "王*伟", "139****0001", ""), ("respondent", "李*红", "", "")]
    assert "王大伟" not in response.content.decode()
    assert data["due"] is None and data["light"] is None
    assert data["registered_by"] == {"id": world.gina.pk, "name": str(world.gina)}
    assert data["allowed_actions"] == ["withdraw"]  # a grid worker handles green, never accepts


def test_registering_a_resident_party_shows_them_masked(client, world, body):
    from linli.people.tests.factories import resident

    person = resident(world.alice, world.dwelling_a, "赵春兰", phone="18627001234")
    client.force_login(world.alice)
    body["parties"] = [{"role": "applicant", "resident_id": person.pk},
                       {"role": "respondent", "name": "李小红"}]
    response = post_json(client, "/api/disputes", body)
    assert response.status_code == 201
    first = response.json()["parties"][0]
    assert (first["resident_id"], first["name"], first["phone"]) == (
        person.pk, "赵*兰", "186****1234")
    assert "赵春兰" not in response.content.decode()


def test_registration_is_graded_by_the_rules(client, world, body):
    client.force_login(world.alice)
    data = post_json(client, "/api/disputes", {**body, "people_involved": 6}).json()
    assert (data["grade"], data["grade_reasons"]) == ("yellow", ["people_at_least_5"])
    data = post_json(client, "/api/disputes", {**body, "violence_threat": True}).json()
    assert data["grade"] == "red" and "violence" in data["grade_reasons"]


def test_other_community_cannot_register_here(client, world, body):
    client.force_login(world.bob)
    response = post_json(client, "/api/disputes", body)
    assert response.status_code == 404
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(("who", "status"), [
    # The place is in sight (their dwelling's building, the unit's community), the act is
    # not theirs: 403. A user without roles sees no place: 404.
    ("rita", 403), ("uma", 403), ("ada", 403), ("nobody", 404)])
def test_resident_and_unit_member_may_not_register(client, world, body, who, status):
    client.force_login(getattr(world, who))
    response = post_json(client, "/api/disputes", body)
    assert response.status_code == status
    assert not Dispute.objects.exists()


def test_a_party_outside_scope_is_refused(client, world, body):
    from linli.people.tests.factories import resident

    stranger = resident(world.bob, world.dwelling_b, "钱多多")
    client.force_login(world.alice)
    body["parties"] = [{"resident_id": stranger.pk}]
    response = post_json(client, "/api/disputes", body)
    assert (response.status_code, response.json()["code"]) == (400, "party_out_of_scope")
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(("change", "field"), [
    ({"area_id": None}, "area_id"), ({"area_id": "x"}, "area_id"),
    ({"area_id": HUGE}, "area_id"), ({"people_involved": HUGE}, "people_involved"),
    ({"people_involved": "many"}, "people_involved"), ({"kind": None}, "kind"),
    ({"summary": "长" * 2001}, "summary"), ({"address": "址" * 201}, "address"),
    ({"kind": "k" * 13}, "kind"), ({"source": "s" * 17}, "source"),
    ({"lat": 91}, "lat"), ({"parties": "王大伟"}, "parties"),
    ({"parties": [{"name": "名" * 65}]}, "parties.0.name"),
    ({"parties": [{"resident_id": HUGE}]}, "parties.0.resident_id"),
    ({"parties": [{"phone": "1" * 33, "name": "王"}]}, "parties.0.phone"),
    ({"parties": [{"id_number": "4" * 33, "name": "王"}]}, "parties.0.id_number"),
    ({"parties": [{"role": "r" * 13, "name": "王"}]}, "parties.0.role"),
])
def test_malformed_bodies_are_400_naming_the_field(client, world, body, change, field):
    client.force_login(world.alice)
    bad = {**body, **change}
    response = client.post("/api/disputes", bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(("change", "code"), [
    ({"kind": "feud"}, "bad_kind"), ({"source": "rumour"}, "bad_source"),
    ({"summary": "   "}, "summary_required"), ({"people_involved": 0}, "bad_people_involved"),
    ({"parties": []}, "parties_required"),
    ({"parties": [{"name": ""}]}, "name_required"),
    ({"parties": [{"name": "王", "phone": "12"}]}, "bad_phone"),
    ({"parties": [{"name": "王", "id_number": "420103199001011234"}]}, "bad_id_number"),
    ({"parties": [{"name": "王", "role": "judge"}]}, "bad_party_role"),
    ({"parties": [{"name": f"人{i}"} for i in range(21)]}, "too_many_parties"),
])
def test_refused_values_are_400_with_a_code(client, world, body, change, code):
    client.force_login(world.alice)
    response = post_json(client, "/api/disputes", {**body, **change})
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert written() == (0, 0, 0, 0)


def test_control_characters_and_non_objects_are_refused(client, world, body):
    client.force_login(world.alice)
    response = post_json(client, "/api/disputes", {**body, "summary": "漏水\x00"})
    assert (response.status_code, response.json()["code"]) == (400, "control_characters")
    response = post_json(client, "/api/disputes", [body])
    assert response.status_code == 400
    assert written() == (0, 0, 0, 0)


def test_a_token_registers_without_csrf(world, body):
    from django.test import Client

    response = post_json(Client(enforce_csrf_checks=True), "/api/disputes", body,
                         **bearer(world.alice))
    assert response.status_code == 201


def test_a_retry_with_the_same_key_answers_with_the_first_dispute(client, world, body):
    """A retried registration is neither a second dispute nor graded up as a repeat."""
    client.force_login(world.alice)
    first = post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k1"})
    before = written()
    again = post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.json()["grade"] == "green"
    assert written() == before
    assert Dispute.objects.count() == RegistrationKey.objects.count() == 1


def test_the_same_key_with_another_body_is_409(client, world, body):
    client.force_login(world.alice)
    post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k1"})
    before = written()
    response = post_json(client, "/api/disputes", {**body, "people_involved": 3},
                         **{"Idempotency-Key": "k1"})
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_mismatch")
    assert written() == before


def test_keys_belong_to_their_user_and_no_key_is_no_replay(client, world, body):
    client.force_login(world.alice)
    post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k1"})
    client.force_login(world.gina)
    other = post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k1"})
    assert other.status_code == 201
    plain = post_json(client, "/api/disputes", body)
    assert plain.status_code == 201
    assert Dispute.objects.count() == 3


def test_a_key_over_128_characters_is_400(client, world, body):
    client.force_login(world.alice)
    before = written()
    response = post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k" * 129})
    assert (response.status_code, response.json()["code"]) == (400, "idempotency_key_too_long")
    assert written() == before
    ok = post_json(client, "/api/disputes", body, **{"Idempotency-Key": "k" * 128})
    assert ok.status_code == 201


# --- from a case -------------------------------------------------------------------------

FROM_CASE: dict[str, object] = {"kind": "property", "people_involved": 3,
             "parties": [{"name": "王大伟"}, {"role": "respondent", "name": "花楼物业"}]}


def test_a_case_becomes_a_dispute(client, world):
    case = report(world)
    client.force_login(world.alice)
    response = post_json(client, f"/api/disputes/from-case/{case.pk}", FROM_CASE)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["case_id"], data["source"], data["summary"], data["area_id"]) == (
        case.pk, "case", case.description, case.area_id)


def test_from_case_with_the_same_key_replays_and_another_case_is_409(client, world):
    case, other = report(world), report(world)
    client.force_login(world.alice)
    url = f"/api/disputes/from-case/{case.pk}"
    first = post_json(client, url, FROM_CASE, **{"Idempotency-Key": "c1"})
    before = written()
    again = post_json(client, url, FROM_CASE, **{"Idempotency-Key": "c1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    elsewhere = post_json(client, f"/api/disputes/from-case/{other.pk}", FROM_CASE,
                          **{"Idempotency-Key": "c1"})
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (409, "idempotency_mismatch")
    assert written() == before


def test_a_case_of_another_community_is_404_and_nothing_is_written(client, world):
    case = report(world, reporter=world.rita)
    client.force_login(world.bob)
    response = post_json(client, f"/api/disputes/from-case/{case.pk}", FROM_CASE)
    assert response.status_code == 404
    missing = post_json(client, "/api/disputes/from-case/987654321", FROM_CASE)
    assert missing.json() == response.json()
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(("who", "status"), [
    ("rita", 403),  # her own case: she sees it, but registers no disputes
    ("uma", 404)])  # a case not dispatched to her unit is out of her sight
def test_a_resident_or_unit_member_may_not_raise_one_from_a_case(client, world, who, status):
    case = report(world)
    client.force_login(getattr(world, who))
    response = post_json(client, f"/api/disputes/from-case/{case.pk}", FROM_CASE)
    assert response.status_code == status
    assert written() == (0, 0, 0, 0)


def test_from_case_bad_bodies(client, world):
    case = report(world)
    client.force_login(world.alice)
    cases: list[tuple[dict[str, object], str]] = [
        ({"kind": None}, "kind"), ({"summary": "长" * 2001}, "summary"),
        ({"people_involved": HUGE}, "people_involved")]
    for bad, field in cases:
        response = post_json(client, f"/api/disputes/from-case/{case.pk}", FROM_CASE | bad)
        assert response.status_code == 400
        assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    assert client.post(f"/api/disputes/from-case/{HUGE}", FROM_CASE,
                       content_type="application/json").status_code == 400
    assert written() == (0, 0, 0, 0)


# --- list --------------------------------------------------------------------------------

def test_the_list_is_scoped(client, world):
    mine = dispute(world)
    theirs = dispute(world, actor=world.bob, area=world.dwelling_b)
    for user, expected in [(world.alice, [mine.pk]), (world.gina, [mine.pk]),
                           (world.bob, [theirs.pk]), (world.leo, [theirs.pk, mine.pk]),
                           (world.rita, []), (world.uma, []), (world.ada, [])]:
        client.force_login(user)
        response = client.get("/api/disputes")
        assert response.status_code == 200
        assert sorted(i["id"] for i in response.json()["items"]) == sorted(expected), user
    client.force_login(world.alice)
    item = client.get("/api/disputes").json()["items"][0]
    assert "parties" not in item and item["number"] == mine.number


def test_the_list_filters(client, world):
    green = dispute(world)
    yellow = dispute(world, people_involved=8, kind="debt", summary="欠款三万元未还",
                     now=timezone.now() - timedelta(days=400))
    client.force_login(world.alice)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/disputes?{query}")
        assert response.status_code == 200, response.json()
        return sorted(i["id"] for i in response.json()["items"])

    assert ids("grade=yellow") == [yellow.pk]
    assert ids("grade=green,yellow") == ids("grade=green&grade=yellow") == sorted(
        [green.pk, yellow.pk])
    assert ids("kind=debt") == [yellow.pk]
    assert ids("state=registered&open=1") == sorted([green.pk, yellow.pk])
    assert ids("ended=1") == [] and ids("overdue=0") == sorted([green.pk, yellow.pk])
    assert ids(f"area={world.grid_a1.pk}") == sorted([green.pk, yellow.pk])
    assert ids(f"area={world.grid_a2.pk}") == [] and ids(f"grid={world.grid_a1.pk}") != []
    assert ids(f"owner={world.alice.pk}") == [] and ids("source=daily_report") != []
    assert ids("q=欠款") == [yellow.pk]
    today = timezone.localdate()
    assert ids(f"since={today:%Y-%m-%d}&until={today:%Y-%m-%d}") == [green.pk]
    assert ids("resolved=0") == []


@pytest.mark.parametrize(("query", "field"), [
    ("state=nope", "state"), ("grade=purple", "grade"), ("kind=feud", "kind"),
    ("source=rumour", "source"), (f"area={HUGE}", "area"), (f"owner={HUGE}", "owner"),
    (f"grid={HUGE}", "grid"), ("since=yesterday", "since"), ("open=maybe", "open"),
    (f"page={HUGE}", "page"), ("page_size=0", "page_size"),
])
def test_bad_list_filters_are_400_naming_the_field(client, world, query, field):
    client.force_login(world.alice)
    response = client.get(f"/api/disputes?{query}")
    assert response.status_code == 400
    assert field in [d["field"] for d in response.json()["details"]]


# --- detail and history ------------------------------------------------------------------

@pytest.mark.parametrize("who", ["bob", "rita", "uma", "ada"])
def test_a_dispute_out_of_sight_is_404_like_a_missing_one(client, world, who):
    d = dispute(world)
    client.force_login(getattr(world, who))
    for suffix in ("", "/events"):
        theirs = client.get(f"/api/disputes/{d.pk}{suffix}")
        missing = client.get(f"/api/disputes/987654321{suffix}")
        assert theirs.status_code == 404 and theirs.json() == missing.json()


def test_the_detail_and_its_history(client, world):
    d = dispute(world)
    mia = mediator(world)
    client.force_login(mia)
    data = client.get(f"/api/disputes/{d.pk}").json()
    assert data["allowed_actions"] == ["accept", "withdraw", "regrade"]
    events = client.get(f"/api/disputes/{d.pk}/events").json()
    assert [(e["action"], e["to_state"], e["actor"]["id"]) for e in events] == [
        ("register", "registered", world.gina.pk)]
    assert events[0]["data"]["grade"] == "green"
    assert client.get(f"/api/disputes/{HUGE}").status_code == 400
    assert client.get(f"/api/disputes/{HUGE}/events").status_code == 400


def test_the_indicators_and_the_map_are_mounted_beside_the_disputes(client, world):
    dispute(world, people_involved=8)
    for url in ("/api/disputes/indicators", "/api/disputes/map.geojson"):
        assert client.get(url).status_code == 401
    client.force_login(world.alice)
    assert client.get("/api/disputes/indicators").json()["total"]["registered"] == 1
    assert client.get("/api/disputes/map.geojson").json()["type"] == "FeatureCollection"


def _schemas_in(annotation, found: dict) -> None:
    """Every pydantic model named by `annotation`, nested ones too (list[X], X | None)."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found.get(annotation.__name__, set()):
            return
        found.setdefault(annotation.__name__, set()).add(annotation)
        for field in annotation.model_fields.values():
            _schemas_in(field.annotation, found)
        return
    for arg in get_args(annotation):
        _schemas_in(arg, found)


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class name: two classes of one name
    (two apps' `EventOut`) would silently describe one of them with the other's fields."""
    from linli.api import api

    found: dict[str, set] = {}
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _schemas_in(model, found)
    # ninja's own wrappers (the paginated response, the parameters of an operation) are
    # generated per operation under names of its choosing; only the project's count.
    twice = {name: classes for name, classes in found.items()
             if len({c for c in classes if c.__module__.startswith("linli.")}) > 1}
    assert twice == {}


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    dispute(world)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/disputes").status_code == 200
    for n in range(5):
        dispute(world, summary=f"第{n}起纠纷")
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/api/disputes").json()["items"]) == 6
    assert len(six) == len(one)
