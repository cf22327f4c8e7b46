"""The audit log in words: every action code the product writes reads as words, in Chinese
by default and in English on request; changes name their fields and values."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from linli.cases.models import State
from linli.cases.workflow import CASES
from linli.community.workflow import ACTIVITIES, ENTRIES, NOTICES
from linli.core.auditwords import action_words, changes_words, object_type_words
from linli.deliberation.workflow import TOPICS, VOTES
from linli.disputes.workflow import DISPUTES
from linli.inspections.workflow import ORDERS
from linli.library.workflow import BOOKINGS, NEEDS
from linli.party.workflow import AGREEMENTS, MEETINGS, REGISTRATIONS, RESOLUTIONS, SUPERVISIONS
from linli.surveys.workflow import SURVEYS
from linli.volunteering.workflow import CLAIMS, TASKS, WISHES

SOURCE = Path(settings.BASE_DIR) / "linli"
LITERAL = re.compile(r'action="([a-z0-9_]+\.[a-z0-9_.]+)"')


def _codes_in_the_source() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" not in path.parts:
            codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    for flow in (CASES, WISHES, TASKS, CLAIMS, DISPUTES, ORDERS, TOPICS, VOTES, ACTIVITIES,
                 NOTICES, ENTRIES, BOOKINGS, NEEDS, SURVEYS, REGISTRATIONS, RESOLUTIONS,
                 MEETINGS, SUPERVISIONS, AGREEMENTS):
        codes.update(f"{flow.audit_prefix}{action}" for action in flow.table)
    return codes | {"login.failed", "login.succeeded", "login.locked", "login.password_passed",
                    "area.created", "area.updated", "unit.updated", "user.deleted",
                    # Written with a computed action (disputes' _record_event and _remind).
                    *(f"dispute.{a}" for a in ("session", "agreement", "performance",
                                               "judicial", "followup_due", "performance_due",
                                               "judicial_remind"))}


def test_every_action_code_reads_as_words():
    codes = _codes_in_the_source()
    assert len(codes) > 90
    with translation.override("zh-hans"):
        unnamed = sorted(code for code in codes if action_words(code) == code)
    assert unnamed == []


def test_words_follow_the_readers_language():
    with translation.override("zh-hans"):
        assert action_words("case.resolve") == "案件：处置完成"
        assert action_words("login.succeeded") == "登录成功"
        assert action_words("volunteering.claim_confirm") == "志愿服务：确认时长"
    with translation.override("en"):
        assert action_words("case.resolve") == "case: handled"
        assert action_words("login.succeeded") == "logged in"
    assert action_words("something.unknown") == "something.unknown"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_changes_name_fields_and_values_as_the_model_does(language):
    with translation.override(language):
        words = changes_words("cases.case", {"state": ["accepted", "dispatched"],
                                             "is_public": True, "unit": None})
        state = f"{State.ACCEPTED.label} → {State.DISPATCHED.label}"
        yes = "是" if language == "zh-hans" else "yes"
        assert words.split("; ")[0].endswith(f": {state}")
        assert words.split("; ")[1].endswith(f": {yes}")
        assert words.split("; ")[2].endswith(": —")
        assert object_type_words("cases.case") != "cases.case"
    assert object_type_words("no.such") == "no.such"


@pytest.mark.django_db
def test_the_audit_page_shows_actions_in_words(client, world):
    from linli.core.audit import audit_record

    audit_record(actor=world.ada, action="login.succeeded", obj=world.alice,
                 area_path=world.community_a.path)
    client.force_login(world.ada)
    html = client.get("/audit/").content.decode()
    assert "登录成功" in html and "<code>login.succeeded</code>" in html
