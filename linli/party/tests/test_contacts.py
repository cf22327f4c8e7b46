"""Contact households: assigning and ending, visits that raise work in the same step (or
write nothing), the reminder sweep, the monthly visit rate, and the scope of the pages and
the API."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, Channel
from linli.cases.tests.factories import category
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Notification
from linli.orgs.tests.factories import make_area
from linli.party import selectors_contacts as sel
from linli.party.models import ContactAssignment, ContactVisit
from linli.party.services.contacts import (
    Raise,
    contact_assign,
    contact_end,
    contact_visit_raise,
    contact_visit_record,
    contacts_remind,
)
from linli.party.tests import factories as f
from linli.people.models import CareNote, Household
from linli.people.tests.factories import cared_for, resident


@pytest.fixture
def w(world):
    f.party_world(world)
    world.home = Household.objects.get(pk=world.member_mark.resident.household_id)
    return world


def _homes(w, n):
    return [resident(w.alice, make_area("dwelling", f"50{i}", w.entrance_a),
                     name=f"住户{i}").household for i in range(1, n + 1)]


# --- assigning and ending -----------------------------------------------------------------

def test_party_staff_assign_and_end_a_contact(w):
    with pytest.raises(PermissionDenied):
        contact_assign(actor=w.alice, member=w.member_mark, household=w.home,
                       organisation=w.branch_a1)
    c = contact_assign(actor=w.pia, member=w.member_mark, household=w.home,
                       organisation=w.branch_a1)
    assert c.visit_every_days == 30
    with pytest.raises(ValidationFailed) as refused:
        contact_end(actor=w.pia, assignment=c, reason=" ")
    assert refused.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        contact_end(actor=w.pete, assignment=c, reason="搬走")
    contact_end(actor=w.pia, assignment=c, reason="搬走")
    assert c.until == timezone.localdate()
    with pytest.raises(Conflict):
        contact_end(actor=w.pia, assignment=c, reason="搬走")
    # Ended, the household may be given again.
    contact_assign(actor=w.pia, member=w.member_mark, household=w.home,
                   organisation=w.branch_a1)


def test_members_short_of_contacts_are_listed(w, settings):
    settings.PARTY_CONTACTS_MIN = 2
    f.contact(w.member_mark, w.home, w.branch_a1)
    short = sel.members_short(actor=w.pia)
    assert [(m.pk, n) for m, n in short] == [(w.member_mark.pk, 1)]
    assert sel.members_short(actor=w.pete) == []
    assert sel.members_short(actor=w.mark) == []


# --- visits that raise work ---------------------------------------------------------------

def test_a_visit_raises_a_case_at_the_households_dwelling(w):
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    cat = category()
    visit = contact_visit_raise(actor=w.mark, assignment=c, visited_on=timezone.localdate(),
                                raised="楼道灯不亮", also=Raise(kind="case", text="楼道灯不亮",
                                                                category=cat))
    case = Case.objects.get(pk=visit.case_id or 0)
    assert case.area_id == w.dwelling_a.pk
    assert case.channel == Channel.RESIDENT_WEB
    assert not case.is_public


def test_a_refused_raise_writes_no_visit(w):
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    today = timezone.localdate()
    cases = Case.objects.count()
    for also, code in [(Raise(kind="case", text="漏水"), "bad_category"),
                       (Raise(kind="dispute", text="噪音", dispute_kind="neighbour"),
                        "dispute_staff_only"),
                       (Raise(kind="care_note", text="身体不好"), "no_care_plan"),
                       (Raise(kind="wish", text="陪同就医", wish_category="health"),
                        "bad_window")]:
        with pytest.raises((ValidationFailed, PermissionDenied)) as refused:
            contact_visit_raise(actor=w.mark, assignment=c, visited_on=today, raised="x",
                                also=also)
        assert refused.value.code == code
    assert ContactVisit.objects.count() == 0
    assert Case.objects.count() == cases
    c.refresh_from_db()
    assert c.last_visited_on is None


def test_a_visit_raises_a_wish(w):
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    now = timezone.now()
    visit = contact_visit_raise(
        actor=w.mark, assignment=c, visited_on=timezone.localdate(),
        also=Raise(kind="wish", text="陪同就医", wish_category="health",
                   starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=3)))
    assert visit.wish_id is not None


def test_a_visit_leaves_a_note_for_the_care_plan_and_the_grid_worker_hears(w):
    person = w.member_mark.resident
    cared_for(w.alice, person, w.gina)
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    visit = contact_visit_raise(actor=w.mark, assignment=c, visited_on=timezone.localdate(),
                                also=Raise(kind="care_note", text="最近血压高"))
    note = CareNote.objects.get(pk=visit.care_note_id or 0)
    assert "血压" not in note.text_cipher
    assert Notification.objects.filter(recipient=w.gina, kind="people.care_note").exists()


def test_a_staff_member_registers_a_dispute(w):
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import assign

    assign(w.mark, Role.DISPATCHER, w.community_a)
    from linli.accounts import scope

    scope.forget(w.mark)
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    visit = contact_visit_raise(actor=w.mark, assignment=c, visited_on=timezone.localdate(),
                                also=Raise(kind="dispute", text="邻里噪音",
                                           dispute_kind="neighbour", people_involved=2))
    assert visit.dispute_id is not None


# --- the sweep --------------------------------------------------------------------------------

def test_an_overdue_contact_is_reminded_once_per_due_moment(w):
    c = f.contact(w.member_mark, w.home, w.branch_a1, since=timezone.localdate()
                  - timedelta(days=40))
    now = timezone.now()
    assert contacts_remind(now=now) == 1
    assert contacts_remind(now=now) == 0
    assert Notification.objects.filter(recipient=w.mark, kind="party.contact_due").count() == 1
    assert Notification.objects.filter(recipient=w.pia,
                                       kind="party.contact_overdue").count() == 1
    assert not Notification.objects.filter(recipient=w.pete).exists()
    assert list(sel.contact_list(actor=w.pia, filters=sel.ContactFilters(overdue=True))) == [c]
    # A visit moves the due moment: no reminder until it passes again.
    contact_visit_record(actor=w.mark, assignment=c, visited_on=timezone.localdate())
    assert contacts_remind(now=now) == 0


# --- the monthly rate ------------------------------------------------------------------------

def test_the_monthly_rate_counts_live_assignments_and_rolls_up(w):
    month = date(2026, 3, 1)
    homes = _homes(w, 5)
    group = [f.contact(w.member_mark, h, w.group_a1, since=date(2026, 1, 1))
             for h in homes[:3]]
    branch = f.contact(w.member_mark, homes[3], w.branch_a1, since=date(2026, 3, 31))
    ContactAssignment.objects.filter(pk=group[2].pk).update(until=date(2026, 3, 1))
    # Not counted: ended before March.
    gone = f.contact(w.member_mark, homes[4], w.branch_a1, since=date(2026, 1, 1))
    ContactAssignment.objects.filter(pk=gone.pk).update(until=date(2026, 2, 28))
    for c, day in [(group[0], date(2026, 3, 5)), (group[1], date(2026, 3, 31)),
                   (branch, date(2026, 3, 31)), (gone, date(2026, 2, 20))]:
        ContactVisit.objects.create(assignment=c, visitor=w.mark, visited_on=day,
                                    area_path=c.area_path)
    ContactVisit.objects.create(assignment=group[2], visitor=w.mark,
                                visited_on=date(2026, 4, 1), area_path=group[2].area_path)
    rates = {r.organisation.pk: r for r in sel.contact_rates(actor=w.pia, month=month)}
    assert (rates[w.group_a1.pk].visited, rates[w.group_a1.pk].counted) == (2, 3)
    assert rates[w.group_a1.pk].percent == 66.7
    assert (rates[w.branch_a1.pk].visited, rates[w.branch_a1.pk].counted) == (3, 4)
    assert rates[w.branch_a1.pk].percent == 75.0
    assert rates[w.committee_a.pk].percent == 75.0
    assert w.committee_b.pk not in rates
    assert sel.contact_rates(actor=w.mark, month=month) == []
    for visited, n in [(True, 3), (False, 1), (None, 4)]:
        listed = sel.contact_list(actor=w.pia, filters=sel.ContactFilters(
            organisation=w.branch_a1, month=month, visited=visited))
        assert listed.count() == n


# --- pages ----------------------------------------------------------------------------------

def test_the_list_pages_scope(w, client):
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    assert client.get("/party/contacts/").status_code == 302
    client.force_login(w.alice)
    assert client.get("/party/contacts/").status_code == 404
    assert client.get(f"/party/contacts/{c.pk}/").status_code == 404
    assert client.get("/party/contacts/rates/").status_code == 404
    client.force_login(w.pete)
    assert client.get(f"/party/contacts/{c.pk}/").status_code == 404
    client.force_login(w.pia)
    page = client.get("/party/contacts/")
    assert page.status_code == 200 and "李志远" in page.content.decode()
    assert client.get(f"/party/contacts/{c.pk}/").status_code == 200
    rates = client.get("/party/contacts/rates/?month=2026-03")
    assert rates.status_code == 200 and "花楼社区党委" in rates.content.decode()
    assign = client.get(f"/party/contacts/assign/?organisation={w.branch_a1.pk}")
    assert assign.status_code == 200
    client.force_login(w.mark)
    mine = client.get("/party/contacts/")
    assert mine.status_code == 200 and "Record a visit" in mine.content.decode()
    assert client.get(f"/party/contacts/{c.pk}/visit/").status_code == 200
    assert client.get("/party/contacts/rates/").status_code == 404


def test_assign_end_and_visit_through_the_pages(w, client):
    home = _homes(w, 1)[0]
    client.force_login(w.pia)
    answer = client.post("/party/contacts/assign/", {
        "organisation": w.branch_a1.pk, "member": w.member_mark.pk, "household": home.pk,
        "visit_every_days": 14})
    assert answer.status_code == 302
    c = ContactAssignment.objects.get(household=home)
    assert c.visit_every_days == 14
    client.force_login(w.mark)
    refused = client.post(f"/party/contacts/{c.pk}/visit/", {
        "visited_on": timezone.localdate().isoformat(), "way": "home", "raised": "漏水",
        "also": "case", "text": "漏水"})
    assert refused.status_code == 400 and "category" in refused.content.decode()
    assert not ContactVisit.objects.exists()
    done = client.post(f"/party/contacts/{c.pk}/visit/", {
        "visited_on": timezone.localdate().isoformat(), "way": "phone", "raised": "一切安好"})
    assert done.status_code == 302
    detail = client.get(f"/party/contacts/{c.pk}/")
    assert "一切安好" in detail.content.decode()
    assert client.post(f"/party/contacts/{c.pk}/end/", {"reason": "x"}).status_code == 403
    client.force_login(w.pia)
    assert client.post(f"/party/contacts/{c.pk}/end/", {"reason": "搬走"}).status_code == 302
    c.refresh_from_db()
    assert c.until is not None


# --- the API ------------------------------------------------------------------------------------

def test_the_api(w, client):
    c = f.contact(w.member_mark, w.home, w.branch_a1)
    assert client.get("/api/party/contacts").status_code == 401
    client.force_login(w.pia)
    listed = client.get("/api/party/contacts").json()
    assert listed["count"] == 1 and listed["items"][0]["head"]
    body = {"visited_on": timezone.localdate().isoformat(), "raised": "楼道灯不亮"}
    url = f"/api/party/contacts/{c.pk}/visits"
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert client.get("/api/party/contact-rates").status_code == 200
    client.force_login(w.pete)
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(w.mark)
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["raised"] == "楼道灯不亮"
    bad = client.post(url, body | {"also": "case", "text": "漏水"},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_category"
    assert client.get(url).json()[0]["raised"] == "楼道灯不亮"
    assert client.get("/api/party/contact-rates").status_code == 403
