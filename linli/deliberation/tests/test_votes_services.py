"""Setting up votes through the real services: every field checked, scope, the rule in
words, opening and cancelling."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from linli.deliberation import services
from linli.deliberation.models import (
    Convention,
    ConventionVersion,
    Electorate,
    Meeting,
    Stance,
    Threshold,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.selectors_votes import (
    electorate_preview,
    vote_get,
    vote_list,
    vote_rule_words,
)
from linli.deliberation.tests.factories import body, dwellings, person, topic, voter

pytestmark = pytest.mark.django_db


def soon(days=7):
    return timezone.now() + timedelta(days=days)


def draft(world, **fields):
    data = {"actor": world.alice, "area": world.estate_a, "question": "是否同意加装电梯？",
            "electorate": Electorate.HOUSEHOLDS, "closes_at": soon()} | fields
    return services.vote_create(**data)


def test_a_yes_no_draft_gets_its_three_options(world):
    v = draft(world)
    assert v.state == VoteState.DRAFT and v.secret and not v.multiple
    assert [(o.label, o.stance) for o in v.options.all()] == [
        ("同意", Stance.FOR), ("反对", Stance.AGAINST), ("弃权", Stance.ABSTAIN)]
    assert v.publicity_days == 5


def test_several_choices(world):
    v = draft(world, kind="choices", choices=["东门", "西门", "南门"], max_choices=2)
    assert v.multiple and v.max_choices == 2
    assert [o.stance for o in v.options.all()] == [Stance.CHOICE] * 3


@pytest.mark.parametrize("fields, code", [
    ({"question": ""}, "bad_question"),
    ({"question": "问" * 201}, "bad_question"),
    ({"description": "x" * 4001}, "bad_description"),
    ({"electorate": "pets"}, "bad_electorate"),
    ({"electorate": Electorate.MEMBERS}, "body_required"),
    ({"matter": "huge"}, "bad_matter"),
    ({"kind": "maybe"}, "bad_kind"),
    ({"kind": "choices", "choices": ["一"]}, "bad_choices"),
    ({"kind": "choices", "choices": [str(n) for n in range(21)]}, "bad_choices"),
    ({"kind": "choices", "choices": ["一", "一"]}, "bad_choices"),
    ({"kind": "choices", "choices": ["一", "二"], "max_choices": 3}, "bad_max_choices"),
    ({"kind": "choices", "choices": ["一", "二"], "max_choices": 0}, "bad_max_choices"),
    ({"quorum": "half"}, "bad_share"),
    ({"threshold": "most"}, "bad_threshold"),
    ({"threshold": Threshold.CUSTOM, "custom_share": ">=3/2"}, "bad_share"),
    ({"threshold": Threshold.CUSTOM, "custom_share": ""}, "bad_share"),
    ({"threshold": Threshold.CUSTOM, "custom_share": ">1/2", "custom_base": "x"}, "bad_base"),
    ({"threshold": Threshold.OWNERS}, "bad_threshold"),
    ({"electorate": Electorate.OWNERS}, "bad_threshold"),
    ({"closes_at": timezone.now() - timedelta(minutes=1)}, "bad_closes_at"),
    ({"closes_at": timezone.now() + timedelta(days=91)}, "bad_closes_at"),
    ({"publicity_days": 31}, "bad_publicity_days"),
])
def test_every_field_is_checked(world, fields, code):
    with pytest.raises(ValidationFailed) as caught:
        draft(world, **fields)
    assert caught.value.code == code
    assert not Vote.objects.exists()


def test_scope_and_role(world):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.bob)  # another community
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.gina)  # a grid worker is staff, not an organiser
    with pytest.raises(ValidationFailed):
        draft(world, area=world.dwelling_a)
    assert draft(world, actor=world.leo, area=world.community_a).area == world.community_a


def test_topic_meeting_body_and_convention(world):
    raised = topic(world)
    with pytest.raises(ValidationFailed) as caught:
        draft(world, topic=raised)
    assert caught.value.code == "bad_topic"
    on_agenda = topic(world, state=TopicState.AGENDA, title="加装电梯")
    assert draft(world, topic=on_agenda).topic == on_agenda
    b_topic = topic(world, area=world.estate_b, state=TopicState.AGENDA)
    with pytest.raises(ValidationFailed):
        draft(world, topic=b_topic)
    meeting = Meeting.objects.create(area=world.community_a, area_path=world.community_a.path,
                                     title="议事会议", starts_at=soon(1), place="活动室",
                                     check_in_code="1234", created_by=world.alice)
    with pytest.raises(ValidationFailed) as caught:
        draft(world, meeting=meeting)  # the community's meeting, the estate's vote
    assert caught.value.code == "bad_meeting"
    assert draft(world, area=world.community_a, meeting=meeting).meeting == meeting
    council = body(world)
    council.is_active = False
    council.save()
    with pytest.raises(ValidationFailed):
        draft(world, electorate=Electorate.MEMBERS, body=council)
    convention = Convention.objects.create(area=world.community_a,
                                           area_path=world.community_a.path, title="居民公约",
                                           created_by=world.alice)
    v1 = ConventionVersion.objects.create(convention=convention, number=1, text="一",
                                          created_by=world.alice)
    v2 = ConventionVersion.objects.create(convention=convention, number=2, text="二",
                                          created_by=world.alice)
    with pytest.raises(ValidationFailed) as caught:
        draft(world, convention_version=v1)
    assert caught.value.code == "bad_convention"
    assert draft(world, convention_version=v2).convention == v2


def test_update_a_draft_only(world):
    v = draft(world)
    v = services.vote_update(actor=world.alice, vote=v, question="改后的问题",
                             kind="choices", choices=["甲", "乙"], expected_version=1)
    assert v.question == "改后的问题" and v.multiple and v.options.count() == 2
    with pytest.raises(Conflict):
        services.vote_update(actor=world.alice, vote=v, question="旧", expected_version=1)
    with pytest.raises(PermissionDenied):
        services.vote_update(actor=world.bob, vote=v, question="别人")
    with pytest.raises(ValidationFailed):
        services.vote_update(actor=world.alice, vote=v, question="")
    v.refresh_from_db()
    assert v.question == "改后的问题"


def test_open_freezes_the_electorate_and_cancel_needs_a_reason(world):
    homes = dwellings(world.entrance_a, 3)
    for i, d in enumerate(homes):
        voter(world.alice, d, f"h{i}")
    v = draft(world)
    assert electorate_preview(v).count == 3
    services.vote_transition(actor=world.alice, vote=v, action="open")
    v.refresh_from_db()
    assert v.state == VoteState.OPEN and v.electorate_count == 3
    with pytest.raises(ValidationFailed):
        services.vote_update(actor=world.alice, vote=v, question="开了之后")
    with pytest.raises(ValidationFailed) as caught:
        services.vote_transition(actor=world.alice, vote=v, action="cancel")
    assert caught.value.code == "note_required"
    with pytest.raises(ValidationFailed):
        services.vote_transition(actor=world.alice, vote=v, action="close")
    with pytest.raises(PermissionDenied):
        services.vote_transition(actor=world.gina, vote=v, action="cancel", note="不")
    services.vote_transition(actor=world.alice, vote=v, action="cancel", note="方案有变")
    v.refresh_from_db()
    assert v.state == VoteState.CANCELLED


def test_an_empty_electorate_is_shown_before_and_refused_at_opening(world):
    v = draft(world, area=world.estate_b, actor=world.bob)
    assert electorate_preview(v).refusal is not None
    with pytest.raises(ApplicationError) as caught:
        services.vote_transition(actor=world.bob, vote=v, action="open")
    assert caught.value.code == "empty_electorate"


def test_drafts_are_for_staff(world):
    v = draft(world)
    assert vote_get(actor=world.alice, vote_id=v.pk) == v
    assert list(vote_list(actor=world.rita)) == []
    from django.http import Http404
    with pytest.raises(Http404):
        vote_get(actor=world.rita, vote_id=v.pk)


def test_rule_in_words(world):
    members = [person(world.alice, d, f"委员{i}")
               for i, d in enumerate(dwellings(world.entrance_a, 37))]
    council = body(world, members=members)
    v = draft(world, area=world.community_a, electorate=Electorate.MEMBERS, body=council,
              threshold=Threshold.TWO_THIRDS_ELECTORATE)
    words = vote_rule_words(v, 37)
    assert "25" in words[-1] and "37" in words[-1]
    owners = draft(world, electorate=Electorate.OWNERS, threshold=Threshold.OWNERS,
                   matter="major")
    words = vote_rule_words(owners, 4, Decimal("360"))
    assert len(words) == 2 and "240" in words[0]
