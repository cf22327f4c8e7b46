"""The printable agreement (调解协议书): what it carries (art. 29), who may print it, and
that each print is an audited reveal whose records hold no personal data."""

import io
import json
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from linli.core.models import AuditEntry
from linli.disputes import services
from linli.disputes.models import Agreement, Dispute, PartyRole
from linli.disputes.services import PartyInput
from linli.disputes.tests.factories import dispute, mediator
from linli.people.models import AccessLog, Outcome
from linli.people.tests.factories import id_number, resident
from linli.people.views import access_field_label

pytestmark = pytest.mark.django_db

RESIDENT_ID = id_number("420103", date(1980, 3, 9), 123)
RESIDENT_PHONE = "13907150001"
OUTSIDER_ID = id_number("420106", date(1992, 7, 1), 246)
OUTSIDER_PHONE = "13907150002"
TERMS = "被申请人于2026年12月31日前一次性赔偿申请人维修费人民币叁仟元整。"


SIGNED = timezone.localdate()
DEADLINE = SIGNED + timedelta(days=25)


def _agree(d: Dispute, mia) -> Agreement:
    """Accepted, mediated and agreed through the services, as a mediator does it."""
    services.dispute_transition(actor=mia, dispute=d, action="accept", owner_id=mia.pk)
    services.session_add(actor=mia, dispute=d, held_on=SIGNED, mediator_id=mia.pk,
                         attendees="双方当事人", record="释法说理，双方同意协商解决。")
    return services.agreement_save(
        actor=mia, dispute=d, facts="楼上卫生间漏水，渗至楼下天花板，双方就维修费用发生争执。",
        responsibilities="被申请人对漏水负主要责任。", terms=TERMS,
        performance_manner="银行转账", performance_deadline=DEADLINE, signed_on=SIGNED,
        judicial_wanted=True)


@pytest.fixture
def mia(world):
    return mediator(world)


@pytest.fixture
def wang(world):
    return resident(world.alice, world.dwelling_a, "王建国", id_number=RESIDENT_ID,
                    phone=RESIDENT_PHONE)


def _parties(wang) -> list[PartyInput]:
    return [PartyInput(role=PartyRole.APPLICANT, resident_id=wang.pk),
            PartyInput(role=PartyRole.RESPONDENT, name="李小红", phone=OUTSIDER_PHONE,
                       id_number=OUTSIDER_ID)]


@pytest.fixture
def agreed(world, mia, wang):
    d = dispute(world, parties=_parties(wang))
    _agree(d, mia)
    return d


def _url(d: Dispute) -> str:
    return reverse("disputes:agreement_pdf", args=[d.pk])


def _text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "")


def _nothing_recorded() -> bool:
    return not AuditEntry.objects.filter(action="dispute.agreement_print").exists() and \
        not AccessLog.objects.filter(field="dispute_agreement").exists()


def test_the_agreement_carries_what_article_29_asks(client, agreed, mia):
    client.force_login(mia)
    response = client.get(_url(agreed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for words in ("人民调解协议书", f"编号：{agreed.number}", "花楼社区人民调解委员会",
                  # the parties, in clear: the one place they are
                  "王建国", "男", RESIDENT_ID, RESIDENT_PHONE, "花楼社区 花楼小区 1栋 1单元 101",
                  "李小红", OUTSIDER_ID, OUTSIDER_PHONE,
                  "纠纷主要事实、争议事项", "渗至楼下天花板", "各方责任", "负主要责任",
                  "自愿达成如下协议", TERMS, "履行方式、时限", "银行转账",
                  f"于{date_format(DEADLINE, 'DATE_FORMAT')}前履行完毕",
                  "人民调解员", str(mia), "签名",
                  f"签订日期：{date_format(SIGNED, 'DATE_FORMAT')}", "一式3份",
                  "司法确认"):
        assert words in text, words


def test_the_file_opens_in_the_browser_under_its_number_and_is_never_cached(client, agreed,
                                                                           mia):
    client.force_login(mia)
    response = client.get(_url(agreed))
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'inline; filename="agreement-{agreed.number}.pdf"')
    assert f"filename*=UTF-8''{quote(f'调解协议书-{agreed.number}.pdf')}" in disposition
    assert disposition.isascii()
    assert "no-store" in response["Cache-Control"]
    assert len(response.content) < 300_000


def test_printing_is_an_audited_reveal_without_personal_data(client, agreed, mia, wang):
    client.force_login(mia)
    client.get(_url(agreed))
    entry = AuditEntry.objects.get(action="dispute.agreement_print")
    assert (entry.actor, entry.object_id, entry.area_path) == (mia, str(agreed.pk),
                                                               agreed.area_path)
    assert entry.changes == {"agreement": agreed.agreement.pk, "parties": 2}
    # The resident's registry access log shows who printed their data, and why.
    access = AccessLog.objects.get(field="dispute_agreement")
    assert (access.actor, access.resident, access.outcome) == (mia, wang, Outcome.REVEALED)
    assert agreed.number in access.purpose
    assert access_field_label(access.field) == "调解协议书打印"
    recorded = json.dumps([entry.object_label, entry.changes, access.purpose],
                          ensure_ascii=False)
    for value in ("王建国", "李小红", RESIDENT_ID, OUTSIDER_ID, RESIDENT_PHONE, OUTSIDER_PHONE):
        assert value not in recorded


@pytest.mark.parametrize("who", ["mia", "alice", "leo", "gina"])
def test_coordinators_and_handlers_print(client, world, agreed, mia, who):
    # A green dispute: a grid worker of the place handles it.
    client.force_login(mia if who == "mia" else getattr(world, who))
    assert client.get(_url(agreed)).status_code == 200


def test_staff_who_neither_coordinate_nor_handle_are_refused_403(client, world, mia, wang):
    yellow = dispute(world, parties=_parties(wang), people_involved=5)
    _agree(yellow, mia)
    client.force_login(world.gina)  # sees it, but yellow is the mediation studio's
    response = client.get(_url(yellow))
    assert response.status_code == 403
    assert "协调" in response.content.decode() or "调解" in response.content.decode()
    assert _nothing_recorded()


@pytest.mark.parametrize("who", ["bob", "rita", "uma", "nobody", "ada"])
def test_out_of_scope_is_404_as_for_a_missing_dispute(client, world, agreed, who):
    client.force_login(getattr(world, who))
    assert client.get(_url(agreed)).status_code == 404
    missing = reverse("disputes:agreement_pdf", args=[987654321])
    assert client.get(missing).status_code == 404
    assert _nothing_recorded()


def test_no_agreement_yet_is_404(client, world, mia, wang):
    d = dispute(world, parties=_parties(wang))
    client.force_login(mia)
    response = client.get(_url(d))
    assert response.status_code == 404
    assert "refusal" in response.content.decode()
    assert _nothing_recorded()


def test_anonymous_goes_to_login_and_a_post_is_not_allowed(client, agreed, mia):
    response = client.get(_url(agreed))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mia)
    assert client.post(_url(agreed)).status_code == 405
    assert _nothing_recorded()


def test_without_the_font_printing_answers_503_and_reveals_nothing(client, settings, tmp_path,
                                                                   agreed, mia):
    settings.PDF_FONT_DIR = tmp_path
    client.force_login(mia)
    response = client.get(_url(agreed))
    assert response.status_code == 503
    page = response.content.decode()
    assert 'data-code="pdf_font_missing"' in page and "make setup" in page
    assert "王建国" not in page
    assert _nothing_recorded()
