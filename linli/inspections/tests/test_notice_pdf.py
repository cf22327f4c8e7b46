"""The printed rectification order (整改通知书): Chinese text in the PDF, the five fixes of a
major hazard, the signature lines; audited; out of view 404 and nothing written."""

import shutil
import subprocess

import pytest

from linli.core.errors import NotFound
from linli.core.models import AuditEntry
from linli.core.pdf import font_files
from linli.inspections import services
from linli.inspections.tests.factories import PLAN, order

pytestmark = pytest.mark.django_db


def text_of(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True)
    return "".join(out.stdout.decode().split())  # Chinese wraps by character


@pytest.fixture(autouse=True)
def font():
    try:
        font_files()
    except Exception:
        pytest.skip("the PDF font is not installed (make setup)")


def test_the_notice_carries_the_order_in_chinese(world, tmp_path):
    o = order(world, position=5)  # a major hazard: the five fixes are printed
    content = services.order_print(actor=world.alice, order=o)
    assert content.startswith(b"%PDF")
    text = text_of(content, tmp_path)
    for words in ["整改通知书", o.number, o.target.name, "王建国", "重大", "整改要求",
                  "".join(o.requirement.split()), PLAN["funds"].replace(" ", ""),
                  "应急预案", "责任人签收", "检查人"]:
        assert words in text, words
    entry = AuditEntry.objects.get(action="inspection_order.print")
    assert entry.area_path == o.area_path


def test_a_general_hazard_has_no_five_fixes(world, tmp_path):
    text = text_of(services.order_print(actor=world.gina, order=order(world)), tmp_path)
    assert "五落实" not in text and "整改期限" in text


def test_an_order_out_of_view_is_not_printed(world):
    o = order(world)
    with pytest.raises(NotFound):
        services.order_print(actor=world.bob, order=o)
    assert not AuditEntry.objects.filter(action="inspection_order.print").exists()
