"""Conventions through the real services: drafting, versions numbered in turn, a version
frozen once its vote has gone beyond its draft, adoption (idempotent, told to residents),
and who sees what."""

import pytest
from django.http import Http404
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.deliberation import selectors_conventions as sel
from linli.deliberation import services
from linli.deliberation.models import Convention, ConventionVersion, VoteState
from linli.deliberation.tests.factories import topic, vote
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db
TEXT = "第一条 爱护公共环境。\n第二条 文明养犬。"


def draft(world, **kw) -> Convention:
    return services.convention_create(actor=kw.pop("actor", world.alice),
                                      area=kw.pop("area", world.community_a),
                                      title=kw.pop("title", "花楼居民公约"),
                                      text=kw.pop("text", TEXT), **kw)


def test_a_dispatcher_drafts_with_version_one(world):
    t = topic(world)
    c = draft(world, topic=t, note="初稿")
    v = c.versions.get()
    assert (v.number, v.text, v.note, c.topic, c.area_path) == (1, TEXT, "初稿", t,
                                                                 world.community_a.path)
    assert AuditEntry.objects.filter(action="deliberation.convention_create").count() == 1


@pytest.mark.parametrize("who", ["rita", "gina", "bob"])
def test_only_organisers_of_the_place_draft(world, who):
    with pytest.raises(PermissionDenied):
        draft(world, actor=getattr(world, who))
    assert not Convention.objects.exists()


@pytest.mark.parametrize("fields,code", [({"title": " "}, "required"),
                                         ({"text": ""}, "required"),
                                         ({"text": "字" * 20001}, "too_long")])
def test_bad_input_is_refused(world, fields, code):
    with pytest.raises(ValidationFailed) as refused:
        draft(world, **fields)
    assert refused.value.code == code and not Convention.objects.exists()


def test_a_dwelling_or_a_topic_of_another_place_is_refused(world):
    with pytest.raises(ValidationFailed):
        draft(world, area=world.dwelling_a)
    with pytest.raises(ValidationFailed) as refused:
        draft(world, area=world.grid_a2, topic=topic(world))
    assert refused.value.code == "bad_topic"


def test_versions_are_numbered_and_need_a_change(world):
    c = draft(world)
    v2 = services.version_add(actor=world.alice, convention=c, text=TEXT + "\n第三条",
                              note="加第三条")
    assert v2.number == 2
    with pytest.raises(ValidationFailed) as refused:
        services.version_add(actor=world.alice, convention=c, text=TEXT + "\n第三条", note="x")
    assert refused.value.code == "unchanged"
    with pytest.raises(ValidationFailed):
        services.version_add(actor=world.alice, convention=c, text="新文本", note="")
    with pytest.raises(PermissionDenied):
        services.version_add(actor=world.bob, convention=c, text="新文本", note="改")
    assert c.versions.count() == 2


def test_a_version_is_frozen_once_voted(world):
    c = draft(world)
    v1 = c.versions.get()
    services.version_edit(actor=world.alice, version=v1, text=TEXT + "。", note="错字")
    v1.refresh_from_db()
    assert v1.text.endswith("。") and not services.version_frozen(v1)
    ballot = vote(world, area=world.community_a, convention=v1, opened=False)
    assert not services.version_frozen(v1)  # a draft vote leaves it editable
    ballot.state = VoteState.OPEN
    ballot.save(update_fields=["state"])
    assert services.version_frozen(v1)
    with pytest.raises(ValidationFailed) as refused:
        services.version_edit(actor=world.alice, version=v1, text="另一个文本")
    assert refused.value.code == "version_frozen"
    v1.refresh_from_db()
    assert v1.text == TEXT + "。"
    ballot.state = VoteState.CANCELLED
    ballot.save(update_fields=["state"])
    assert not services.version_frozen(v1)


def test_adoption_is_idempotent_and_tells_the_residents(world,
                                                        django_capture_on_commit_callbacks):
    c = draft(world)
    v1 = c.versions.get()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # told after the commit
        services.version_adopted(v1, now)
        services.version_adopted(v1, now)
    c.refresh_from_db()
    v1.refresh_from_db()
    assert c.adopted == v1 and v1.adopted_at == now
    told = Notification.objects.filter(kind="deliberation.convention_adopted")
    assert list(told.values_list("recipient__username", flat=True)) == ["rita"]
    assert "花楼居民公约" in told.get().title
    assert AuditEntry.objects.filter(action="deliberation.convention_adopted").count() == 1
    with pytest.raises(ValidationFailed):  # adopted: frozen
        services.version_edit(actor=world.alice, version=v1, text="改")


def test_a_later_adoption_replaces_the_one_in_force(world,
                                                    django_capture_on_commit_callbacks):
    c = draft(world)
    v1 = c.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_adopted(v1, timezone.now())
    v2 = services.version_add(actor=world.alice, convention=c, text="新版", note="重写")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_adopted(v2, timezone.now())
    c.refresh_from_db()
    assert c.adopted == v2
    assert Notification.objects.filter(kind="deliberation.convention_adopted").count() == 2


def test_residents_see_conventions_in_force_and_adopted_versions_only(world):
    c = draft(world)
    assert list(sel.conventions_for(world.alice)) == [c]
    assert list(sel.conventions_for(world.gina)) == [c]
    assert list(sel.conventions_for(world.rita)) == []
    with pytest.raises(Http404):
        sel.convention_get(actor=world.rita, convention_id=c.pk)
    with pytest.raises(Http404):
        sel.convention_get(actor=world.bob, convention_id=c.pk)
    v1 = c.versions.get()
    services.version_adopted(v1, timezone.now())
    v2 = services.version_add(actor=world.alice, convention=c, text="草稿二", note="改")
    assert list(sel.conventions_for(world.rita)) == [c]
    assert list(sel.versions_for(world.rita, c)) == [v1]
    with pytest.raises(Http404):
        sel.version_get(actor=world.rita, convention=c, version_id=v2.pk)
    assert list(sel.versions_for(world.alice, c)) == [v1, v2]
    assert list(sel.conventions_for(world.alice, "draft")) == [c]
    assert list(sel.conventions_for(world.rita, "in_force")) == [c]
    assert ConventionVersion.objects.count() == 2


def test_the_diff_compares_the_latest_with_the_one_in_force(world):
    c = draft(world, text="甲\n乙")
    services.version_adopted(c.versions.get(), timezone.now())
    services.version_add(actor=world.alice, convention=c, text="甲\n丙", note="改乙")
    c.refresh_from_db()
    latest, base = sel.compared(world.alice, c)
    assert latest is not None and base is not None
    assert (latest.number, base.number) == (2, 1)
    lines = [(line.kind, line.text) for line in sel.diff_lines(base.text, latest.text)]
    assert lines == [("same", "甲"), ("removed", "乙"), ("added", "丙")]
    assert sel.compared(world.rita, c)[1] is None  # one adopted version: nothing to compare
