"""The topics services on the real databases: raising with files, support to the agenda,
discussion and moderation, screening, progress, the raiser's points, the notifications."""

import pytest
from PIL import Image

from linli.cases.models import Case
from linli.cases.tests.factories import category
from linli.core.errors import ApplicationError
from linli.core.models import AuditEntry
from linli.deliberation import selectors_topics, services
from linli.deliberation.models import (
    Comment,
    Progress,
    Supporter,
    Topic,
    TopicEvent,
    TopicFile,
    TopicState,
)
from linli.deliberation.notify_topics import topic_event_notify
from linli.deliberation.tests import test_topics_kit as kit
from linli.deliberation.tests.factories import topic
from linli.notifications.models import Notification
from linli.points.models import EarningAction, EarningRule, Entry

media_root = kit.media_root
pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


# --- raising -----------------------------------------------------------------------------

def test_places_a_resident_and_staff_may_choose(world):
    rita = {a.pk for a in selectors_topics.place_choices(world.rita)}
    assert rita == {world.building_a.pk, world.estate_a.pk, world.community_a.pk,
                    world.street.pk}
    gina = {a.pk for a in selectors_topics.place_choices(world.gina)}
    assert gina == {world.estate_a.pk, world.building_a.pk}
    assert world.community_b.pk in {a.pk for a in selectors_topics.place_choices(world.leo)}
    assert not selectors_topics.place_choices(world.nobody).exists()


def test_a_resident_raises_a_topic_with_a_photo_and_a_pdf(world, media_root):
    kit.rules(world, 3)
    t = services.topic_raise(actor=world.rita, area=world.estate_a, title="加装电梯",
                             category="lift", description="1栋老人多，希望加装电梯。",
                             photos=[kit.jpeg(gps=True)], attachments=[kit.pdf()])
    assert t.state == TopicState.RAISED and t.supporters_needed == 3
    assert not t.raised_by_staff and t.area_path == world.estate_a.path
    photo, document = t.files.order_by("pk")
    assert photo.content_type == "image/jpeg" and photo.thumbnail
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()  # the GPS position is gone
    assert document.content_type == "application/pdf" and document.name == "plan.pdf"
    assert AuditEntry.objects.filter(action="topic.raise").count() == 1
    assert TopicEvent.objects.get(topic=t).action == "raise"


def test_staff_raise_and_the_default_rule_applies(world):
    t = services.topic_raise(actor=world.alice, area=world.community_a, title="社区停车",
                             category="parking", description="停车位不足。")
    assert t.raised_by_staff and t.supporters_needed == 10


@pytest.mark.parametrize("change, code", [
    ({"area": "community_b"}, "place_not_yours"), ({"area": "dwelling_a"}, "place_not_yours"),
    ({"title": ""}, "title_required"), ({"title": "长" * 81}, "title_too_long"),
    ({"description": " "}, "description_required"), ({"category": "cats"}, "bad_category"),
    ({"attachments": "fake"}, "file_type"), ({"photos": "many"}, "too_many_files"),
])
def test_a_bad_topic_is_refused_with_nothing_written(world, media_root, change, code):
    fields = {"actor": world.rita, "area": world.estate_a, "title": "标题",
              "category": "other", "description": "说明"}
    for key, value in change.items():
        fields[key] = {"community_b": world.community_b, "dwelling_a": world.dwelling_a,
                       "fake": [kit.pdf(content=b"not a pdf")],
                       "many": [kit.jpeg() for _ in range(10)]}.get(value, value)
    assert refused(services.topic_raise, **fields).code == code
    assert not Topic.objects.exists() and not TopicFile.objects.exists()


def test_files_are_added_by_the_raiser_or_staff_only(world, media_root):
    t = topic(world)
    services.topic_files_add(actor=world.rita, topic=t, photos=[kit.jpeg()])
    services.topic_files_add(actor=world.gina, topic=t, attachments=[kit.pdf()])
    other = kit.neighbours(world, 1)[0]
    assert refused(services.topic_files_add, actor=other, topic=t,
                   photos=[kit.jpeg()]).code == "not_raiser"
    assert refused(services.topic_files_add, actor=world.bob, topic=t,
                   photos=[kit.jpeg()]).status == 404
    assert t.files.count() == 2


# --- support -----------------------------------------------------------------------------

def test_support_once_and_the_agenda_when_enough(world):
    t = topic(world, supporters_needed=2)
    first, second, third = kit.neighbours(world, 3)
    services.topic_support(actor=first, topic=t)
    error = refused(services.topic_support, actor=first, topic=t)
    assert (error.status, error.code) == (409, "already_supported")
    t.refresh_from_db()
    assert t.supporter_count == 1 and t.state == TopicState.RAISED
    services.topic_support(actor=second, topic=t)
    t.refresh_from_db()
    assert t.state == TopicState.AGENDA and t.agenda_at is not None
    services.topic_support(actor=third, topic=t)  # still welcome on the agenda
    t.refresh_from_db()
    assert t.supporter_count == 3 == Supporter.objects.filter(topic=t).count()
    assert TopicEvent.objects.filter(topic=t, action="qualify").count() == 1


def test_who_may_support(world):
    t = topic(world)
    assert refused(services.topic_support, actor=world.alice, topic=t).code == "not_resident"
    assert refused(services.topic_support, actor=world.bob, topic=t).status == 404
    declined = topic(world, state=TopicState.DECLINED)
    assert refused(services.topic_support, actor=world.rita,
                   topic=declined).code == "not_collecting"


# --- discussion --------------------------------------------------------------------------

def test_comments_are_hidden_with_a_reason_and_names_masked(world):
    t = topic(world)
    author, reader = kit.neighbours(world, 2)
    c = services.comment_add(actor=author, topic=t, text="物业不作为！")
    services.comment_hide(actor=world.gina, topic=t, comment=c, reason="人身攻击")
    c.refresh_from_db()
    assert c.text == "物业不作为！" and c.hidden_by == world.gina  # nothing deleted
    (mine,) = selectors_topics.comments_shown(author, t)
    assert mine["text"] == "物业不作为！" and mine["hidden_reason"] == "人身攻击"
    (theirs,) = selectors_topics.comments_shown(reader, t)
    assert theirs["text"] is None and theirs["hidden"] and theirs["author"] == "张**丰"
    (staff,) = selectors_topics.comments_shown(world.alice, t)
    assert staff["author"] == "张三0丰" and staff["text"] is None
    assert refused(services.comment_hide, actor=world.gina, topic=t, comment=c,
                   reason="再次").code == "already_hidden"
    assert AuditEntry.objects.filter(action="topic.comment_hide").count() == 1


def test_comment_refusals(world):
    t = topic(world)
    c = services.comment_add(actor=world.rita, topic=t, text="同意")
    assert refused(services.comment_add, actor=world.rita, topic=t,
                   text="长" * 1001).code == "text_too_long"
    assert refused(services.comment_hide, actor=world.rita, topic=t, comment=c,
                   reason="x").code == "not_staff"
    assert refused(services.comment_hide, actor=world.alice, topic=t, comment=c,
                   reason="").code == "reason_required"
    closed = topic(world, state=TopicState.MERGED)
    assert refused(services.comment_add, actor=world.rita, topic=closed,
                   text="还有话说").code == "topic_closed"
    assert Comment.objects.count() == 1


# --- screening ---------------------------------------------------------------------------

def test_agenda_merge_and_decline(world):
    t, other, third = topic(world), topic(world, title="停车难"), topic(world, title="路灯")
    services.topic_transition(actor=world.alice, topic=t, action="agenda",
                              expected_version=1)
    assert t.state == TopicState.AGENDA and t.version == 2
    services.topic_transition(actor=world.gina, topic=other, action="merge", into_id=t.pk)
    assert other.state == TopicState.MERGED and other.merged_into == t
    assert refused(services.topic_transition, actor=world.alice, topic=third,
                   action="decline").code == "note_required"
    services.topic_transition(actor=world.alice, topic=third, action="decline",
                              note="属物业职责，已转告物业。")
    assert third.state == TopicState.DECLINED
    assert TopicEvent.objects.get(topic=third, action="decline").note == "属物业职责，已转告物业。"


def test_screening_refusals(world):
    t = topic(world)
    elsewhere = topic(world, area=world.estate_b, actor=world.bob)
    assert refused(services.topic_transition, actor=world.alice, topic=t, action="merge",
                   into_id=elsewhere.pk).code == "merge_target"
    assert refused(services.topic_transition, actor=world.alice, topic=t, action="merge",
                   into_id=t.pk).code == "merge_target"
    assert refused(services.topic_transition, actor=world.rita, topic=t,
                   action="agenda").status == 403
    assert refused(services.topic_transition, actor=world.alice, topic=t, action="agenda",
                   expected_version=7).code == "stale"
    assert refused(services.topic_transition, actor=world.alice, topic=t,
                   action="qualify").status == 403
    assert refused(services.topic_transition, actor=world.alice, topic=t,
                   action="fly").code == "unknown_action"
    t.refresh_from_db()
    assert t.state == TopicState.RAISED and t.version == 1


def test_refer_reports_a_case_and_links_it(world):
    t = topic(world, title="楼道灯坏了")
    event = services.topic_refer(actor=world.gina, topic=t, category=category(),
                                 expected_version=1)
    case = Case.objects.get()
    assert t.state == TopicState.REFERRED and t.case == case and event.data == {"case": case.pk}
    assert case.area == world.estate_a and case.description == t.description


def test_refer_refusals(world):
    t = topic(world)
    assert refused(services.topic_refer, actor=world.leo, topic=t,
                   category=category()).status == 403  # leaders report no cases
    assert refused(services.topic_refer, actor=world.alice, topic=t,
                   category=None).code == "bad_category"
    street = topic(world, area=world.street, actor=world.leo)
    assert refused(services.topic_refer, actor=world.alice, topic=street,
                   category=category()).status in (400, 403)
    assert not Case.objects.exists()


# --- carrying out ------------------------------------------------------------------------

def test_progress_on_an_adopted_topic_and_completion(world):
    t = topic(world)
    assert refused(services.progress_add, actor=world.alice, topic=t,
                   note="开工").code == "not_adopted"
    Topic.objects.filter(pk=t.pk).update(state=TopicState.ADOPTED)
    t.refresh_from_db()
    assert refused(services.progress_add, actor=world.rita, topic=t,
                   note="开工").code == "not_staff"
    assert refused(services.progress_add, actor=world.alice, topic=t, note="开工",
                   budget="-1").code == "bad_amount"
    assert refused(services.progress_add, actor=world.alice, topic=t, note="开工",
                   case_id=987654).code == "bad_case"
    p = services.progress_add(actor=world.alice, topic=t, note="电梯已开工", budget="350000")
    assert p.budget == 350000 and Progress.objects.count() == 1
    services.topic_transition(actor=world.alice, topic=t, action="complete",
                              note="电梯已投入使用")
    assert t.state == TopicState.DONE and t.outcome == "电梯已投入使用" and t.done_at


def test_the_raiser_earns_points_once(world):
    raiser = kit.neighbours(world, 1)[0]
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.ADOPTED_PROPOSAL, points_per_unit=20)
    t = topic(world, actor=raiser)
    services.topic_adopted(t, None)
    services.topic_adopted(t, None)
    entry = Entry.objects.get(key=f"deliberation-topic-{t.pk}")
    assert entry.amount == 20
    services.topic_adopted(topic(world), None)  # rita has no registry record: nobody paid
    assert Entry.objects.filter(kind="earn").count() == 1


# --- notifications -----------------------------------------------------------------------

def recipients(event) -> set:
    topic_event_notify(event.pk)
    return set(Notification.objects.filter(
        source_key=f"deliberation_topic_event:{event.pk}").values_list(
        "recipient__username", flat=True))


def test_who_hears_of_what(world):
    t = topic(world, supporters_needed=1)
    (fan,) = kit.neighbours(world, 1)
    services.topic_support(actor=fan, topic=t)
    qualify = TopicEvent.objects.get(topic=t, action="qualify")
    assert recipients(qualify) == {"alice", "gina"}
    other = topic(world)
    services.topic_support(actor=fan, topic=other)
    event = services.topic_transition(actor=world.alice, topic=other, action="decline",
                                      note="不属于议事范围")
    assert recipients(event) == {"rita", fan.username}
    text = Notification.objects.filter(recipient=fan).latest("pk")
    assert "不属于议事范围" in str(text.body) and "rita" not in str(text.body)
    assert recipients(event) == {"rita", fan.username}  # a second run adds nobody
    assert Notification.objects.filter(recipient=fan).count() == 1
