"""API keys: issued by administrators of the communities they cover, stored as a hash,
shown once, revocable; the admin pages and the `open311_key` command."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.open311.models import ApiKey, Jurisdiction, ServiceAttribute
from linli.open311.services import (
    api_key_issue,
    api_key_lookup,
    api_key_revoke,
    api_key_update,
    attribute_save,
)
from linli.open311.tests.conftest import BASE, admin_of, form


@pytest.fixture
def admin_a(world):
    return admin_of("admin_a", world.community_a)


def test_an_admin_issues_a_key_for_their_community(world, admin_a):
    key, raw = api_key_issue(actor=admin_a, app_name="街坊", communities=[world.community_a],
                             rate_limit=30)
    assert raw.startswith(f"o311_{key.prefix}_")
    assert key.key_hash == hashlib.sha256(raw.split("_", 2)[2].encode()).hexdigest()
    assert raw not in str(ApiKey.objects.values().get())
    assert (key.app_name, key.rate_limit, key.created_by) == ("街坊", 30, admin_a)
    assert list(key.communities.all()) == [world.community_a]
    assert api_key_lookup(raw) == key
    assert AuditEntry.objects.filter(action="open311.key_issued", actor=admin_a).count() == 1


@pytest.mark.parametrize("who", ["bob", "alice", "rita", "uma", "nobody"])
def test_others_may_not_issue_keys_for_community_a(world, who):
    with pytest.raises(PermissionDenied):
        api_key_issue(actor=getattr(world, who), app_name="x", communities=[world.community_a])
    assert ApiKey.objects.count() == 0


def test_an_admin_of_one_community_may_not_cover_another(world, admin_a):
    with pytest.raises(PermissionDenied):
        api_key_issue(actor=admin_a, app_name="x",
                      communities=[world.community_a, world.community_b])
    assert ApiKey.objects.count() == 0


@pytest.mark.parametrize(("name", "areas", "rate"), [
    ("", "a", 60), ("x" * 101, "a", 60), ("ok", "", 60), ("ok", "grid", 60), ("ok", "a", 0),
    ("ok", "a", 10_001)])
def test_bad_keys_are_refused(world, name, areas, rate):
    communities = {"a": [world.community_a], "": [], "grid": [world.grid_a1]}[areas]
    with pytest.raises(ValidationFailed):
        api_key_issue(actor=world.ada, app_name=name, communities=communities, rate_limit=rate)
    assert ApiKey.objects.count() == 0


def test_revoking_a_key_stops_it_and_is_audited(client, o311, admin_a):
    api_key_revoke(actor=admin_a, api_key=o311.api_key)
    assert o311.api_key.revoked_at is not None
    assert client.post(f"{BASE}/requests.json", form(o311)).status_code == 403
    assert AuditEntry.objects.filter(action="open311.key_revoked").count() == 1


def test_only_its_communities_admins_revoke_or_change_a_key(o311):
    admin_b = admin_of("admin_b", o311.community_b)
    with pytest.raises(PermissionDenied):
        api_key_revoke(actor=admin_b, api_key=o311.api_key)
    with pytest.raises(PermissionDenied):
        api_key_update(actor=admin_b, api_key=o311.api_key, app_name="x",
                       communities=[o311.community_b], rate_limit=5)
    o311.api_key.refresh_from_db()
    assert (o311.api_key.revoked_at, o311.api_key.app_name) == (None, "街坊")


def test_a_key_can_be_rescoped_and_slowed(o311):
    api_key_update(actor=o311.ada, api_key=o311.api_key, app_name="街坊 2",
                   communities=[o311.community_b], rate_limit=5)
    assert (o311.api_key.app_name, o311.api_key.rate_limit) == ("街坊 2", 5)
    assert list(o311.api_key.communities.all()) == [o311.community_b]
    entry = AuditEntry.objects.get(action="open311.key_updated")
    assert entry.changes == {"app": ["街坊", "街坊 2"], "rate_limit": [60, 5],
                             "communities": [[o311.community_a.pk], [o311.community_b.pk]]}


def test_the_command_issues_lists_and_revokes(world):
    out, err = StringIO(), StringIO()
    call_command("open311_key", "issue", "--app", "街坊", "--community", "420103001001",
                 "--rate", "20", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert api_key_lookup(raw) == key and key.rate_limit == 20
    assert "shown this once" in err.getvalue()
    listing = StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert listing.getvalue() == f"{key.prefix}  街坊  20/min  active  花楼社区\n"
    assert raw not in listing.getvalue()
    call_command("open311_key", "revoke", key.prefix, stdout=StringIO())
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_command_refuses_unknown_communities_and_keys(world):
    with pytest.raises(CommandError):
        call_command("open311_key", "issue", "--app", "x", "--community", "nowhere")
    with pytest.raises(CommandError):
        call_command("open311_key", "revoke", "nope")
    assert ApiKey.objects.count() == 0


def test_the_jurisdiction_command_publishes_a_community(world):
    out = StringIO()
    call_command("open311_jurisdiction", "add", "hualou.gov.cn", "--community",
                 str(world.community_a.pk), "--default", stdout=out)
    row = Jurisdiction.objects.get()
    assert (row.jurisdiction_id, row.community, row.is_default) == (
        "hualou.gov.cn", world.community_a, True)
    listing = StringIO()
    call_command("open311_jurisdiction", "list", stdout=listing)
    assert listing.getvalue() == "hualou.gov.cn  花楼社区  default\n"
    with pytest.raises(CommandError):
        call_command("open311_jurisdiction", "add", "bad id", "--community", "420103001002")


def test_the_admin_page_shows_a_new_key_once(client, world, admin_a):
    client.force_login(admin_a)
    response = client.post("/admin/open311/apikey/add/", {
        "app_name": "街坊", "communities": [world.community_a.pk], "rate_limit": 60})
    assert response.status_code == 200
    key = ApiKey.objects.get()
    raw = response.context["raw_key"]
    assert api_key_lookup(raw) == key and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page = client.get(f"/admin/open311/apikey/{key.pk}/change/").content.decode()
    assert raw not in page and raw.split("_", 2)[2] not in page


def test_the_admin_add_page_asks_only_what_issuing_needs(client, world, admin_a):
    """Tick boxes for the communities (no "hold down Control" hint, no links to edit
    areas), and no empty prefix or dates before the key exists."""
    client.force_login(admin_a)
    page = client.get("/admin/open311/apikey/add/").content.decode()
    assert 'type="checkbox" name="communities"' in page
    assert "Control" not in page and "add_id_communities" not in page
    assert 'name="prefix"' not in page and "field-prefix" not in page
    assert "add_id_community" not in client.get(
        "/admin/open311/jurisdiction/add/").content.decode()


def test_the_admin_page_refuses_another_communitys_key(client, world, admin_a):
    client.force_login(admin_a)
    client.post("/admin/open311/apikey/add/", {
        "app_name": "x", "communities": [world.community_b.pk], "rate_limit": 60})
    assert ApiKey.objects.count() == 0


def test_the_admin_revoke_action(client, o311, admin_a):
    client.force_login(admin_a)
    client.post("/admin/open311/apikey/", {"action": "revoke",
                                           "_selected_action": [o311.api_key.pk]})
    o311.api_key.refresh_from_db()
    assert o311.api_key.revoked_at is not None


def test_questions_are_set_by_top_level_admins_only(o311, admin_a):
    with pytest.raises(PermissionDenied):
        attribute_save(actor=admin_a, attribute=None, category=o311.leak, code="x",
                       datatype="string", description="?", order=3)
    attribute_save(actor=o311.ada, attribute=None, category=o311.leak, code="x",
                   datatype="string", description="Anything else?", order=3)
    assert ServiceAttribute.objects.filter(category=o311.leak).count() == 3


@pytest.mark.parametrize(("datatype", "values"), [
    ("singlevaluelist", []), ("singlevaluelist", [{"key": "1"}]),
    ("multivaluelist", [{"key": "1", "name": "a"}, {"key": "1", "name": "b"}]),
    ("string", [{"key": "1", "name": "a"}]), ("colour", None)])
def test_bad_questions_are_refused(o311, datatype, values):
    with pytest.raises(ValidationFailed):
        attribute_save(actor=None, attribute=None, category=o311.leak, code="q",
                       datatype=datatype, description="?", order=5, values=values)
    with pytest.raises(ValidationFailed):  # code and order taken
        attribute_save(actor=None, attribute=None, category=o311.leak, code="floor",
                       datatype="string", description="?", order=9)
    assert ServiceAttribute.objects.filter(category=o311.leak).count() == 2
