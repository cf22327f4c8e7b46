"""The status-code contract of README.md ("API and page status codes"), walked over every API
operation (read from the OpenAPI document) and every POST-only page action (read from the
URL resolver), so an endpoint added tomorrow is walked too.

- anonymous API call, read or write: 401 `unauthenticated`; a signed-in browser write
  without the CSRF token: 403 `csrf_failed`;
- anonymous page action: 403 from the CSRF check when the form carries no token, else the
  login page (302 to /accounts/login/);
- an object of another community (or another person's own object): 404, exactly as for an
  id that does not exist, and nothing changes.
"""

import re
from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from linli.accounts.models import RoleAssignment
from linli.api import api
from linli.core.models import AuditEntry
from linli.core.openapi import ERROR_ANSWERS

PUBLIC_OPERATIONS = {("get", "/api/health"), ("post", "/api/accounts/tokens")}
PUBLIC_PAGE_ACTIONS = {"i18n/language/", "accounts/logout/"}
MISSING = 987654321


def api_operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [(method, path, op) for path, ops in schema["paths"].items()
            for method, op in ops.items()]


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _post_only(view) -> bool:
    """True if `require_POST` is somewhere in the view's decorator chain."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return list(cell.cell_contents) == ["POST"]
        view = getattr(view, "__wrapped__", None)
    return False


def page_actions() -> list[str]:
    return [route for route, view in _walk(get_resolver()) if _post_only(view)]


def fill_api(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def fill_page(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def call(client, method: str, url: str, op: dict | None = None):
    """The request, with the smallest body the operation's schema accepts, so that what
    answers is the object's lookup and not the body's validation."""
    if method == "get":
        return client.get(url)
    content = ((op or {}).get("requestBody") or {}).get("content", {})
    if "multipart/form-data" in content:
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields = content["multipart/form-data"]["schema"].get("required", [])
        return client.post(url, {f: SimpleUploadedFile("a.jpg", b"x") for f in fields})
    body = example(content["application/json"]["schema"]) if "application/json" in content \
        else {}
    return getattr(client, method)(url, body, content_type="application/json")


def example(schema: dict):
    """A value of `schema` with only its required parts."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example(api.get_openapi_schema()["components"]["schemas"][name])
    if "anyOf" in schema:
        return example(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = str(schema.get("type"))
    if kind == "object":
        return {name: example(schema["properties"][name]) for name in schema.get("required", [])}
    return {"string": "2026-12-01" if schema.get("format") == "date" else "1",
            "integer": 1, "number": 1, "boolean": True, "array": []}.get(kind, "1")


def answer(response) -> tuple[int, str | None]:
    is_json = response.get("Content-Type", "").startswith("application/json")
    code = response.json().get("code") if is_json and response.content else None
    return response.status_code, code


# --- the lists themselves ------------------------------------------------------------------

def test_the_walk_covers_every_operation_and_page_action():
    operations = api_operations()
    assert len(operations) >= 90
    public = {(m, p) for m, p, op in operations if not op.get("security")}
    assert public == PUBLIC_OPERATIONS, "a new public operation must be added here on purpose"
    actions = page_actions()
    assert len(actions) >= 27
    assert "accounts/me/tokens/<int:token_id>/revoke/" in actions


def test_every_operation_documents_its_error_answers():
    schema = api.get_openapi_schema()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message"]
    assert set(error["properties"]) == {"code", "message", "details"}
    missing = []
    for method, path, op in api_operations():
        # A public operation answers 401 only if it says so (a failed login does).
        expected = set(ERROR_ANSWERS) - (set() if op.get("security") else {401})
        for status in expected:
            documented = op["responses"].get(status, {})
            if "$ref" in documented:  # a shared answer, components/responses/<name>
                documented = schema["components"]["responses"][
                    documented["$ref"].rsplit("/", 1)[1]]
            ref = documented.get("content", {}).get("application/json", {}).get("schema")
            if ref != {"$ref": "#/components/schemas/Error"}:
                missing.append((method.upper(), path, status))
    assert missing == []


# --- anonymous -----------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("csrf", [False, True], ids=["test-client", "browser-csrf"])
def test_every_anonymous_api_call_is_401(csrf):
    client = Client(enforce_csrf_checks=csrf)
    wrong = []
    for method, path, _op in api_operations():
        if (method, path) in PUBLIC_OPERATIONS:
            continue
        url = fill_api(path, {name: 1 for name in re.findall(r"\{(\w+)\}", path)})
        got = answer(call(client, method, url))
        if got != (401, "unauthenticated"):
            wrong.append((method.upper(), path, got))
    assert wrong == []


def test_a_signed_in_session_write_without_the_csrf_token_is_403(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.alice)
    wrong = []
    for method, path, _op in api_operations():
        if method == "get" or (method, path) in PUBLIC_OPERATIONS:
            continue
        url = fill_api(path, {name: MISSING for name in re.findall(r"\{(\w+)\}", path)})
        got = answer(call(browser, method, url))
        if got != (403, "csrf_failed"):
            wrong.append((method.upper(), path, got))
    assert wrong == []


def test_an_api_token_write_needs_no_csrf_token(world):
    from linli.accounts.services import api_token_create

    _token, secret = api_token_create(actor=world.nobody, name="app", days=30)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/notifications/read-all", {}, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_every_anonymous_page_action_goes_to_login_or_fails_csrf():
    wrong = []
    for route in page_actions():
        if route in PUBLIC_PAGE_ACTIONS:
            continue
        url = fill_page(route, {name: 1 for name in re.findall(r"<(?:\w+:)?(\w+)>", route)})
        with_token = Client().post(url, {})
        browser = Client(enforce_csrf_checks=True).post(url, {})
        location = with_token.get("Location", "")
        if (with_token.status_code, browser.status_code) != (302, 403) or not (
                location.startswith("/accounts/login/")):
            wrong.append((route, with_token.status_code, location, browser.status_code))
    assert wrong == []


# --- objects of another community ----------------------------------------------------------

def _party_ids(w, person) -> dict:
    """Party work of community B, one helper per part of the party app."""
    return _party_member_ids(w, person) | _party_meeting_ids(w) | _party_agreements(w)


def _party_meeting_ids(w) -> dict:
    """A joint meeting and a resolution of community B's 联合党委."""
    from linli.party.models import OrgKind, Resolution
    from linli.party.tests import factories as party

    joint = party.joint(w, w.community_b, name="水塔社区联合党委")
    meeting = party.meeting(w, joint, by=w.bob)
    now = timezone.now()
    resolution = Resolution.objects.create(
        meeting=meeting, text="水塔停车", owner_unit=w.unit_b, area_path=meeting.area_path,
        working_days=5, due_at=now, warn_at=now)
    assert joint.kind == OrgKind.JOINT
    return {"joint_meeting_id": meeting.pk, "resolution_id": resolution.pk}


@pytest.fixture
def elsewhere(world):
    """One object of every kind an id in a URL can name, all in community B or belonging
    to one of its people; alice (dispatcher of community A) can see none of them."""
    from linli.accounts.models import Role, User
    from linli.accounts.services import api_token_create
    from linli.accounts.tests.factories import UserFactory, assign
    from linli.cases.models import Route
    from linli.cases.services import case_transition, extension_request
    from linli.cases.tests.walking import report
    from linli.dailyreports.services import daily_report_save
    from linli.deliberation.models import (
        Comment,
        Convention,
        ConventionVersion,
        Meeting,
        Objection,
        Progress,
    )
    from linli.deliberation.tests import factories as talk
    from linli.disputes.tests.factories import dispute
    from linli.inspections.services import schedule_create as inspection_schedule
    from linli.inspections.tests.factories import campaign as inspection_campaign
    from linli.inspections.tests.factories import order as inspection_order
    from linli.inspections.tests.factories import target as inspection_target
    from linli.notifications.tests.factories import note
    from linli.people import services as people
    from linli.people.tests.factories import id_number, resident, tag
    from linli.points.models import Account, AccountKind, StoreItem
    from linli.points.store import redemption_place
    from linli.points.tests.conftest import grant
    from linli.volunteering.tests.factories import claim, hour_rule, task, volunteer, wish

    w = world
    ruth = cast(User, UserFactory(username="ruth"))
    assign(ruth, Role.RESIDENT, w.dwelling_b)
    ulla = cast(User, UserFactory(username="ulla"))
    assign(ulla, Role.UNIT_MEMBER, w.community_b, unit=w.unit_b)
    val = volunteer("val", w.community_b)
    case = report(w, reporter=ruth, area=w.dwelling_b)
    for actor, action, data in [(w.bob, "accept", {}), (w.bob, "dispatch", {"unit": w.unit_b}),
                                (ulla, "acknowledge", {})]:
        case = case_transition(actor=actor, case=case, action=action, **data)
    extension = extension_request(actor=ulla, case=case, amount=Decimal(2), reason="等配件")
    token, _secret = api_token_create(actor=w.bob, name="bob's app", days=30)
    person = resident(w.bob, w.dwelling_b, "赵博", id_number=id_number(
        "420103", date(1990, 12, 31), 517), phone="18627001234", user=ruth)
    consent = people.consent_record(actor=w.bob, resident=person, basis="consent")
    tag_row = people.resident_tag_add(actor=w.bob, resident=person, tag=tag("lonely_elderly"))
    entry = grant(w.community_b, ruth, 500)
    item = StoreItem.objects.create(community=w.community_b, name="大米 5kg", price_points=100,
                                    stock=5)
    redemption = redemption_place(actor=ruth, item=item, quantity=1, key="contract-1")
    b_task = task(w, actor=w.bob, area=w.grid_b1)
    route = Route.objects.create(category=case.category, area=w.community_b, unit=w.unit_b)
    b_dispute = dispute(w, actor=w.bob, area=w.dwelling_b)
    gus = cast(User, UserFactory(username="gus"))
    assign(gus, Role.GRID_WORKER, w.grid_b1)
    daily = daily_report_save(actor=gus, grid=w.grid_b1, day=timezone.localdate(),
                              patrol_done=True).report
    b_target = inspection_target(w, area=w.estate_b, name="水塔餐馆")
    b_campaign = inspection_campaign(w, areas=[w.community_b], actor=w.bob)
    b_order = inspection_order(w, campaign=b_campaign, target=b_target, actor=gus)
    b_schedule = inspection_schedule(actor=w.bob, name="水塔燃气排查",
                                     template=b_campaign.template, areas=[w.community_b],
                                     ordinal=1, weekday=0, every_months=1, duration_days=7)
    b_topic = talk.topic(w, area=w.estate_b, actor=ruth, title="水塔停车")
    b_home = talk.dwellings(w.estate_b, 1)[0]
    b_council = talk.body(w, area=w.community_b, name="水塔议事会",
                          members=[talk.person(w.bob, b_home, "钱议员")])
    b_meeting = Meeting.objects.create(area=w.community_b, area_path=w.community_b.path,
                                       body=b_council, title="水塔议事会议",
                                       starts_at=timezone.now(), place="水塔社区活动室",
                                       check_in_code="4321", created_by=w.bob)
    b_vote = talk.vote(w, area=w.estate_b, actor=w.bob, topic=b_topic)
    b_convention = Convention.objects.create(area=w.community_b, area_path=w.community_b.path,
                                             title="水塔居民公约", created_by=w.bob)
    b_version = ConventionVersion.objects.create(convention=b_convention, number=1,
                                                 text="第一条", created_by=w.bob)
    from linli.community.models import Criterion, Rating, Reply
    from linli.community.tests import factories as life

    b_activity = life.activity(w, area=w.community_b, actor=w.bob, title="水塔义诊")
    b_notice = life.notice(w, area=w.community_b, actor=w.bob, title="水塔停电")
    b_board = life.board(w, area=w.community_b, actor=w.bob, title="水塔善行榜")
    b_entry = life.entry(b_board, actor=ruth, state="approved")
    b_criterion = Criterion.objects.create(community=w.community_b, name="卫生", max_score=40)
    life_ids = {
        "activity_id": b_activity.pk, "notice_id": b_notice.pk, "board_id": b_board.pk,
        "entry_id": b_entry.pk, "criterion_id": b_criterion.pk,
        "signup_id": life.signup(b_activity, person, by=ruth).pk,
        "reply_id": Reply.objects.create(entry=b_entry, text="谢谢", by=ruth,
                                         at=timezone.now()).pk,
        "rating_id": Rating.objects.create(community=w.community_b,
                                           area_path=w.community_b.path,
                                           month=timezone.localdate().replace(day=1),
                                           created_by=w.bob).pk,
        "photo_id": life.photo(b_activity, by=w.bob).pk,
        "attachment_id": life.attachment(b_notice, by=w.bob).pk,
    }
    from linli.library.models import Match
    from linli.library.tests import factories as lib
    from linli.surveys.tests import factories as polls

    b_provider = lib.provider(w, area=w.community_b, actor=w.bob, name="水塔助老社")
    b_service = lib.service(w, of=b_provider, actor=w.bob, title="水塔助浴")
    b_slot = lib.slot(b_service)
    b_venue = lib.venue(w, area=w.community_b, actor=w.bob, title="水塔书屋")
    b_need = lib.need(w, area=w.dwelling_b, by=w.bob, text="水塔老人助浴")
    b_survey = polls.survey(w, area=w.community_b, actor=w.bob, title="水塔需求调研")
    library_ids = {
        "provider_id": b_provider.pk, "service_id": b_service.pk, "slot_id": b_slot.pk,
        "contribution_id": lib.contribution(b_provider, by=w.bob).pk,
        "room_id": b_venue.rooms.get().pk,
        "booking_id": lib.booking(b_slot, person, by=ruth).pk, "need_id": b_need.pk,
        "match_id": Match.objects.create(need=b_need, provider=b_provider, assigned_by=w.bob,
                                         assigned_at=timezone.now()).pk,
        "survey_id": b_survey.pk, "question_id": b_survey.questions.earliest("pk").pk,
        "response_id": polls.response(b_survey, person.household, by=ruth).pk,
    }
    talk_ids = life_ids | library_ids | {
        "topic_id": b_topic.pk, "body_id": b_council.pk, "meeting_id": b_meeting.pk,
        "member_id": b_council.members.get().pk, "vote_id": b_vote.pk,
        "elector_id": b_vote.electors.earliest("pk").pk,
        "comment_id": Comment.objects.create(topic=b_topic, author=ruth, text="同意").pk,
        "progress_id": Progress.objects.create(topic=b_topic, by=w.bob, note="已开工").pk,
        "objection_id": Objection.objects.create(vote=b_vote, raised_by=ruth,
                                                 text="有异议").pk,
        "convention_id": b_convention.pk, "version_id": b_version.pk,
    }
    iot = _iot_ids(w) | _iot_access_ids(w, person, gus)
    return talk_ids | _party_ids(w, person) | iot | {
        "case_id": case.pk, "extension_id": extension.pk, "token_id": token.pk,
        "community_id": w.community_b.pk, "unit_id": w.unit_b.pk, "route_id": route.pk,
        "assignment_id": RoleAssignment.objects.get(user=w.bob).pk,
        "area_id": w.dwelling_b.pk, "notification_id": note(w.bob).pk,
        "resident_id": person.pk, "household_id": person.household_id,
        "consent_id": consent.pk, "row_id": tag_row.pk, "entry_id": entry.pk,
        "account_id": Account.objects.get(kind=AccountKind.RESIDENT, owner=ruth).pk,
        "item_id": item.pk, "redemption_id": redemption.pk,
        "rule_id": hour_rule(w.community_b).pk,
        "wish_id": wish(w, actor=ruth, area=w.dwelling_b).pk, "task_id": b_task.pk,
        "claim_id": claim(w, b_task, user=val).pk, "user_id": val.pk,
        "dispute_id": b_dispute.pk, "party_id": b_dispute.parties.earliest("id").pk,
        "report_id": daily.pk,
        "target_id": b_target.pk, "campaign_id": b_campaign.pk,
        "inspection_id": b_order.inspection_id, "order_id": b_order.pk,
        "schedule_id": b_schedule.pk,
    }


def _iot_ids(w) -> dict:
    """An alarm of a manhole cover in community B, raised as its message raises it."""
    from linli.iot.models import Alarm
    from linli.iot.services.ingest import message_handle
    from linli.iot.tests.factories import make_device, payload, ready, topic

    ready()
    cover = make_device(w.estate_b, identifier="MH-B-ELSEWHERE", unit=w.unit_b)
    message_handle(topic(cover, "alarm"), payload(type="open"))
    return {"alarm_id": Alarm.objects.get(device=cover).pk}


def _iot_access_ids(w, person, grid_worker) -> dict:
    """Community B's door at the resident's building, and the welfare watch on it."""
    from linli.iot.models import Kind
    from linli.iot.services.access import watch_create
    from linli.iot.tests.factories import make_device
    from linli.people import services as people

    building = w.dwelling_b.parent
    door = make_device(building, kind=Kind.DOOR, identifier="DOOR-B-1", unit=w.unit_b)
    people.care_plan_save(actor=w.bob, resident=person, grid_worker=grid_worker)
    watch = watch_create(actor=w.bob, resident=person, device=door, quiet_hours=24,
                         consent_reference="书面同意")
    return {"device_id": door.pk, "watch_id": watch.pk}


def _party_member_ids(w, person) -> dict:
    """Party work of community B: an organisation, a member, a registration, a post, a
    service record and a contact household."""
    from linli.party.models import DualRegistration, MemberKind, Post, ServiceRecord
    from linli.party.tests import factories as party

    org = party.organisation(w.community_b, "水塔社区党委", "committee")
    b_member = party.member(w, community=w.community_b, name=person.name, person=person,
                            kind=MemberKind.IN_SERVICE)
    today = timezone.localdate()
    post = Post.objects.create(community=w.community_b, area_path=w.community_b.path,
                               name="楼栋长")
    return {
        "organisation_id": org.pk, "party_member_id": b_member.pk,
        "registration_id": DualRegistration.objects.create(
            member=b_member, community=w.community_b, area_path=w.community_b.path,
            reported_on=today).pk,
        "post_id": post.pk,
        "service_record_id": ServiceRecord.objects.create(
            member=b_member, served_on=today, hours=Decimal(2), what="值守",
            area_path=w.community_b.path, recorded_by=w.bob).pk,
        "contact_id": party.contact(b_member, person.household, org).pk,
    }


def _party_agreements(w) -> dict:
    """Community B's co-building agreement, one of its deliveries and a supervision item."""
    from linli.party.models import Delivery, PropertySupervision
    from linli.party.tests.factories import agreement, commitment

    b_agreement = agreement(w, unit=w.unit_b, community=w.community_b, by=w.bob)
    today = timezone.localdate()
    b_delivery = Delivery.objects.create(
        commitment=commitment(b_agreement), delivered_on=today.replace(day=1), given="义诊",
        area_path=b_agreement.area_path, recorded_by=w.bob)
    b_item = PropertySupervision.objects.create(
        estate=w.estate_b, unit=w.unit_b, month=date(today.year, 1, 1), score="2.50",
        ratings=6, area_path=w.estate_b.path, opened_at=timezone.now())
    return {"agreement_id": b_agreement.pk, "delivery_id": b_delivery.pk,
            "supervision_id": b_item.pk}


# A valid name where a URL takes a word, so the request reaches the object's lookup.
WORDS = {"action": "cancel", "field": "phone"}
WORDS_BY_PATH = {"/api/cases/{case_id}/actions/{action}": {"action": "accept"},
                 "cases/<int:case_id>/act/<str:action>/": {"action": "accept"},
                 "disputes/<int:dispute_id>/act/<str:action>/": {"action": "accept"},
                 "/api/volunteering/wishes/{wish_id}/{action}": {"action": "decline"},
                 "/api/disputes/{dispute_id}/actions/{action}": {"action": "accept"},
                 "inspections/orders/<int:order_id>/act/<str:action>/": {"action": "rectify"},
                 "/api/inspections/orders/{order_id}/actions/{action}": {"action": "sign_off"},
                 "iot/alarms/<int:alarm_id>/act/<str:action>/": {"action": "acknowledge"}}


def _changes() -> tuple:
    from linli.cases.models import Case, CaseEvent
    from linli.disputes.models import Dispute
    from linli.disputes.models import Event as DisputeEvent
    from linli.inspections.models import (
        Campaign,
        Inspection,
        Order,
        OrderEvent,
        Schedule,
        Target,
    )
    from linli.points.models import Entry

    return (AuditEntry.objects.count(), CaseEvent.objects.count(), Entry.objects.count(),
            list(Case.objects.values_list("state", "version")), DisputeEvent.objects.count(),
            list(Dispute.objects.values_list("state", "version", "grade")),
            Inspection.objects.count(), OrderEvent.objects.count(),
            list(Order.objects.values_list("state", "version")),
            list(Target.objects.values_list("name", "is_active", "updated_at")),
            list(Campaign.objects.values_list("name", "ends_on")),
            list(Schedule.objects.values_list("name", "is_active", "next_on")))


def _unseen(elsewhere, names: list[str]) -> dict:
    return {name: elsewhere.get(name, MISSING) for name in names}


def test_an_object_of_another_community_is_404_on_every_operation(client, world, elsewhere):
    client.force_login(world.alice)
    before = _changes()
    wrong = []
    for method, path, op in api_operations():
        names = re.findall(r"\{(\w+)\}", path)
        ids = [n for n in names if n.endswith("_id")]
        if not ids:
            continue
        assert set(ids) <= set(elsewhere), f"add a {ids} of community B to `elsewhere`"
        words = WORDS | WORDS_BY_PATH.get(path, {})
        theirs = answer(call(client, method, fill_api(path, words | _unseen(elsewhere, ids)),
                             op))
        missing = answer(call(client, method, fill_api(path, words | {n: MISSING
                                                                      for n in ids}), op))
        if theirs[0] != 404 or theirs != missing:
            wrong.append((method.upper(), path, theirs, missing))
    assert wrong == [], "\n".join(map(str, wrong))
    assert _changes() == before


def test_a_page_action_on_an_object_of_another_community_is_404(client, world, elsewhere):
    client.force_login(world.alice)
    before = _changes()
    wrong = []
    for route in page_actions():
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        ids = [n for n in names if n.endswith("_id")]
        if not ids:
            continue
        assert set(ids) <= set(elsewhere), f"add a {ids} of community B to `elsewhere`"
        words = WORDS | WORDS_BY_PATH.get(route, {})
        theirs = client.post(fill_page(route, words | _unseen(elsewhere, ids)), {})
        missing = client.post(fill_page(route, words | {n: MISSING for n in ids}), {})
        if (theirs.status_code, missing.status_code) != (404, 404):
            wrong.append((route, theirs.status_code, missing.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    assert _changes() == before


def test_revoking_another_persons_token_on_the_profile_page_is_404(client, world):
    from linli.accounts.models import ApiToken
    from linli.accounts.services import api_token_create

    token, _secret = api_token_create(actor=world.bob, name="bob's app", days=30)
    client.force_login(world.alice)
    response = client.post(f"/accounts/me/tokens/{token.pk}/revoke/", {})
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
