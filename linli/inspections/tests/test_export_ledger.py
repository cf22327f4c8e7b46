"""The problem ledger to Excel (exporters.py through core/exports): the columns of a street
office's form, the page's rows and filters, scope, refusals; and the file opened by
LibreOffice gives the page's totals."""

import csv
import io
import os
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from linli.cases.tests.viewtools import body, login_as, refused
from linli.inspections.tests.ledger_fixtures import march, reject, spread

pytestmark = pytest.mark.django_db

EXPORT = "/exports/new/inspection_ledger/"
PAGE = "/inspections/ledger/"
FIRST_HALF = {"from": "2026-01", "to": "2026-06"}
HEADER = ["序号", "检查对象", "地址", "隐患描述", "隐患等级", "整改措施", "责任人", "整改期限",
          "整改情况", "复查人", "销号日期"]
CELL = re.compile(r"<td>(.*?)</td>", re.S)


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _shown(value) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def _page_rows(client, params) -> list[list[str]]:
    page = body(client.get(PAGE, params))
    table = page.split('id="ledger-rows"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("<tr>")[1:]
    return [[c.replace("&amp;", "&") for c in CELL.findall(row)] for row in rows]


def test_the_file_has_the_forms_columns_and_the_pages_rows(client, world):
    orders = march(world)
    reject(world, orders["early"], "2026-03-19 15:00")
    client.force_login(world.alice)  # in Chinese, as a street office reads it
    content = _xlsx(client.post(EXPORT, FIRST_HALF))
    rows = _rows(content)
    assert list(rows[0]) == HEADER
    assert [[_shown(v) for v in row] for row in rows[1:]] == _page_rows(client, FIRST_HALF)
    assert [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5, 6]
    statuses = [row[8] for row in rows[1:]]
    # By deadline; seen in December, "early" (rejected) and "ahead" are overdue too.
    assert statuses == ["已整改，待复查：已更换软管", "已销号：已更换软管", "逾期未整改",
                        "逾期未整改", "逾期未整改", "已整改，待复查：已更换软管"]
    assert {row[4] for row in rows[1:]} <= {"轻微隐患", "一般隐患", "重大隐患"}
    closed = rows[2]
    assert closed[9] == str(world.alice) and isinstance(closed[10], datetime)
    assert closed[10].date() == date(2026, 3, 11) and isinstance(closed[7], datetime)


def test_the_export_follows_the_filters_and_scope(client, world):
    orders = spread(world)
    login_as(client, world.gina)
    assert [r[1] for r in _rows(_xlsx(client.post(EXPORT, {})))[1:]] == [
        orders["a1"].target.name]
    login_as(client, world.bob)
    assert [r[1] for r in _rows(_xlsx(client.post(EXPORT, {})))[1:]] == ["水塔餐馆"]
    login_as(client, world.alice)
    assert len(_rows(_xlsx(client.post(EXPORT, {"topic": "fire"})))) == 1  # the header


def test_the_export_refuses_outsiders_and_bad_filters(client, world):
    orders = spread(world)
    login_as(client, world.rita)
    assert refused(client.post(EXPORT, {}))[0] == 403
    login_as(client, world.alice)
    assert refused(client.post(EXPORT, {"campaign_id": orders["b"].campaign_id}))[0] == 404
    assert refused(client.post(EXPORT, {"from": "2026-13"}))[0] == 400


def _libreoffice_csv(content: bytes, tmp_path) -> list[list[str]]:
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(content)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile}",
         "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
        env={**os.environ, "HOME": str(tmp_path)})
    with (tmp_path / "ledger.csv").open(encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed on this machine")
def test_libreoffice_opens_the_file_with_the_pages_totals(client, world, tmp_path):
    from linli.inspections.ledger import LedgerQuery, ledger_figures

    orders = march(world)
    reject(world, orders["early"], "2026-03-19 15:00")
    client.force_login(world.alice)
    sheet = _libreoffice_csv(_xlsx(client.post(EXPORT, FIRST_HALF)), tmp_path)
    assert sheet[0] == HEADER
    lines = sheet[1:]
    summary = ledger_figures(actor=world.alice, query=LedgerQuery(
        first=date(2026, 1, 1), last=date(2026, 6, 30))).summary
    status = [line[8] for line in lines]
    assert len(lines) == summary.found.count == 6
    assert sum(s.startswith(("已整改", "已销号")) for s in status) == summary.rectified.count
    assert sum(s.startswith("逾期未整改") for s in status) == summary.overdue.count
    assert sum(not s.startswith("已销号") for s in status) == summary.open.count
    assert sum(s.startswith("已销号") for s in status) == summary.signed_off.count
    # Dates stay dates: LibreOffice shows them in the sheet's own format.
    assert [line[7] for line in lines][:2] == ["2026-03-05", "2026-03-10"]
    assert lines[1][10] == "2026-03-11"
