"""The shared rules helper: which messages an event makes, and where they are sent."""

from types import SimpleNamespace

import pytest

from linli.notifications.models import Notification
from linli.notifications.rules import message, messages_for, messages_send

pytestmark = pytest.mark.django_db


def _event(action: str, actor=None):
    return SimpleNamespace(action=action, actor_id=actor.pk if actor else None)


def _rules(world):
    return {
        "ask": lambda e, p: message("t.ask", [world.rita, world.uma, world.rita, None],
                                    "Asked by %(who)s", "body", p),
        "both": lambda e, p: [message("t.one", [world.alice], "one", "b"),
                              message("t.two", [world.uma], "two", "b")],
        "quiet": lambda e, p: None,
    }


def test_the_rule_is_found_by_the_action_and_each_recipient_hears_once(world):
    [made] = messages_for(_rules(world), _event("ask"), {"who": "bob"})
    assert (made.kind, made.recipients, str(made.title)) == (
        "t.ask", [world.rita, world.uma], "Asked by bob")


def test_the_actor_never_hears_of_their_own_act_and_empty_messages_drop(world):
    made = messages_for(_rules(world), _event("both", actor=world.alice), {})
    assert [(m.kind, m.recipients) for m in made] == [("t.two", [world.uma])]


def test_a_key_chosen_by_the_app_and_rules_that_say_nothing(world):
    rules = {("wish", "ask"): _rules(world)["ask"], "quiet": _rules(world)["quiet"]}
    assert [m.kind for m in messages_for(rules, _event("x"), {"who": "a"},
                                         key=("wish", "ask"))] == ["t.ask"]
    assert messages_for(rules, _event("quiet"), {}) == []
    assert messages_for(rules, _event("unknown"), {}) == []


def test_send_names_the_subject_and_prefers_the_messages_own_link(world):
    messages = [message("t.a", [world.rita], "a", "b"),
                message("t.b", [world.uma], "c", "d", link="/own/")]
    ids = messages_send(messages, subject=world.alice, link="/event/", source_key="t:1")
    rows = Notification.objects.filter(pk__in=ids)
    assert sorted(rows.values_list("kind", "link", "subject_type", "subject_id")) == [
        ("t.a", "/event/", "accounts.user", world.alice.pk),
        ("t.b", "/own/", "accounts.user", world.alice.pk)]
