"""The case lists as spreadsheets (cases/exporters.py through core/exports): the columns,
each list's filters exactly as its page applies them, scope, the overdue flag the page
shows, refusals and their audit, the background path, and the buttons on the pages."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from linli.cases import exporters
from linli.cases.models import Case, Channel, State
from linli.cases.services import case_report, case_transition
from linli.cases.tests.viewtools import body, login_as, refused
from linli.cases.tests.walking import case_in_state, leak_category, more_actors
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.exports.models import ExportJob, ExportState
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TITLES_ZH = ["编号", "标题", "类别", "区域", "地址", "上报时间", "来源", "优先级", "状态",
             "处置单位", "期限", "是否超期", "结案时间", "满意度"]
TITLES_EN = ["No.", "Title", "Category", "Area", "Address", "Reported at", "Source",
             "Priority", "State", "Handling unit", "Deadline", "Overdue", "Closed at",
             "Satisfaction"]


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def _report(world, *, area=None, days_ago=0, **extra) -> Case:
    return case_report(actor=extra.pop("actor", world.rita), category=leak_category(world),
                       area=area or world.dwelling_a,
                       description=extra.pop("description", "厨房水管漏水"),
                       now=timezone.now() - timedelta(days=days_ago), **extra)


def _sheet(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _export(client, user, english: bool = True, **data):
    client.force_login(user)
    if english:
        client.cookies["linli_language"] = "en"
    return client.post("/exports/new/cases/", data)


def _ids(sheet) -> list[int]:
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _rows_by_id(sheet) -> dict[int, dict[str, object]]:
    titles = [c.value for c in sheet[1]]
    return {row[0]: dict(zip(titles, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)}


# --- the exporter itself -------------------------------------------------------------------

def test_columns_are_the_street_offices_in_the_page_language(world):
    with translation.override("zh-hans"):
        prepared = exporters.prepare(world.alice, {"list": "queue"})
        assert [str(c.title) for c in prepared.columns] == TITLES_ZH
        assert prepared.filename == "案件队列"
    with translation.override("en"):
        assert [str(c.title) for c in prepared.columns] == TITLES_EN


def test_a_row_reads_like_the_page(world):
    case = case_in_state(world, State.DISPATCHED)
    Case.objects.filter(pk=case.pk).update(address="花楼街 12 号")
    with translation.override("zh-hans"):
        prepared = exporters.prepare(world.alice, {"list": "queue"})
        (row,) = list(prepared.rows())
    case.refresh_from_db()
    place = "花楼社区 花楼第一网格 花楼小区 1栋 1单元 101"
    assert row[:5] == [case.pk, case.title, "管道漏水", place, "花楼街 12 号"]
    assert row[5] == case.reported_at
    assert row[6:10] == ["居民（网页/应用）", "加急", "已派遣", "花楼物业"]
    assert row[10] == case.handle_due_at  # the deadline the light measures now
    assert row[11:] == ["否", None, ""]


def test_a_closed_and_rated_case_has_its_close_time_and_satisfaction(world):
    case = case_in_state(world, State.CLOSED)
    case = case_transition(actor=world.rita, case=case, action="rate", rating="basic")
    with translation.override("zh-hans"):
        (row,) = list(exporters.prepare(world.alice, {"list": "queue", "state": ""}).rows())
    assert row[8] == "已结案" and row[10] is None
    assert row[11] == "否"  # handled in time
    assert row[12] == case.closed_at and row[13] == "基本满意"


def test_the_overdue_flag_is_the_pages_red_light(client, world):
    late = _report(world, days_ago=40, description="老问题")  # acceptance long overdue
    fresh = _report(world, description="新问题")
    handling = case_in_state(world, State.IN_PROGRESS)
    page = body(login_as(client, world.alice).get("/cases/queue/"))
    rows_on_page = page.split('<div class="case-row"')[1:]
    red_on_page = {int(re.findall(r'id="case-(\d+)"', html)[0])
                   for html in rows_on_page if "light-red" in html}
    rows = _rows_by_id(_sheet(_export(client, world.alice, list="queue")))
    flagged = {pk for pk, row in rows.items() if row["Overdue"] == "yes"}
    assert flagged == red_on_page == {late.pk}
    assert rows[fresh.pk]["Overdue"] == rows[handling.pk]["Overdue"] == "no"
    # The queue's own "overdue" filter gives the same rows.
    overdue_only = _sheet(_export(client, world.alice, list="queue", overdue="yes"))
    assert _ids(overdue_only) == [late.pk]


def test_queue_filters_are_applied_as_on_the_page(client, world):
    a1 = _report(world, description="一网格的漏水")
    a2 = _report(world, area=world.grid_a2, actor=world.alice, description="二网格的漏水",
                 channel=Channel.HOTLINE)
    accepted = case_in_state(world, State.ACCEPTED)
    closed = case_in_state(world, State.CLOSED)
    page = body(login_as(client, world.alice).get("/cases/queue/"))
    default = _ids(_sheet(_export(client, world.alice, list="queue")))
    assert set(default) == {a1.pk, a2.pk, accepted.pk}  # the open ones, as on the page
    assert all(f'id="case-{pk}"' in page for pk in default)
    assert f'id="case-{closed.pk}"' not in page
    assert _ids(_sheet(_export(client, world.alice, list="queue", state="",
                               area=str(world.grid_a2.pk)))) == [a2.pk]
    assert _ids(_sheet(_export(client, world.alice, list="queue", state="closed"))) == [
        closed.pk]
    assert _ids(_sheet(_export(client, world.alice, list="queue", q="二网格"))) == [a2.pk]


def test_only_cases_in_the_actors_areas(client, world):
    mine = _report(world)
    theirs = _report(world, area=world.dwelling_b, actor=world.bob)
    assert _ids(_sheet(_export(client, world.alice, list="queue"))) == [mine.pk]
    assert _ids(_sheet(_export(client, world.bob, list="queue"))) == [theirs.pk]
    assert set(_ids(_sheet(_export(client, world.leo, list="queue")))) == {mine.pk, theirs.pk}


def test_the_unit_inbox_is_its_cases_waiting_for_handling(client, world):
    more_actors(world)
    dispatched = case_in_state(world, State.DISPATCHED)
    case_in_state(world, State.RESOLVED)
    _report(world)
    sheet = _sheet(_export(client, world.uma, list="unit"))
    assert _ids(sheet) == [dispatched.pk]
    assert _ids(_sheet(_export(client, world.uma, list="unit",
                               unit=str(world.unit_a.pk)))) == [dispatched.pk]
    assert _ids(_sheet(_export(client, world.ulla, list="unit"))) == []


def test_the_verify_list_and_my_cases(client, world):
    more_actors(world)
    resolved = case_in_state(world, State.RESOLVED)
    other = case_in_state(world, State.DISPATCHED)
    assert _ids(_sheet(_export(client, world.gina, list="verify"))) == [resolved.pk]
    assert _ids(_sheet(_export(client, world.gwen, list="verify"))) == []  # grid A2
    assert set(_ids(_sheet(_export(client, world.rita, list="mine")))) == {resolved.pk,
                                                                           other.pk}
    assert _ids(_sheet(_export(client, world.rex, list="mine"))) == []
    assert _ids(_sheet(_export(client, world.rita, list="mine", show="rate"))) == []


def test_the_job_reads_the_list_again_when_it_runs(world):
    """What was visible when asked but is not any more never reaches the file."""
    case = _report(world)
    job = ExportJob.objects.create(kind="cases", parameters={"list": "queue"},
                                   requested_by=world.alice, language="en")
    Case.objects.filter(pk=case.pk).update(area=world.dwelling_b,
                                           area_path=world.dwelling_b.path)
    from linli.core.exports.services import export_dir, export_job_run

    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ExportState.DONE and job.rows_done == 0
    assert load_workbook(export_dir() / job.stored_name).active.max_row == 1


# --- refusals ----------------------------------------------------------------------------

def test_a_foreign_area_is_refused_with_a_message_and_audited(client, world):
    _report(world)
    before = ExportJob.objects.count()
    response = _export(client, world.alice, list="queue", area=str(world.grid_b1.pk),
                       next="/cases/queue/?area=1")
    assert refused(response) == (403, "That area or unit is not one of yours: you can "
                                      "only export the cases of your own areas.")
    assert ExportJob.objects.count() == before
    entry = AuditEntry.objects.get(action="export.refused")
    assert (entry.actor, entry.changes) == (world.alice, {"kind": "cases",
                                                          "code": "out_of_scope"})
    foreign_unit = _export(client, world.alice, list="queue", unit=str(world.unit_b.pk))
    assert refused(foreign_unit)[0] == 403


def test_a_bad_filter_is_refused_by_its_name(client, world):
    response = _export(client, world.alice, list="queue", since="yesterday")
    assert refused(response) == (400, "These filters are not right: From. Correct them on "
                                      "the list, then export again.")


@pytest.mark.parametrize(("username", "which"), [
    ("rita", "queue"), ("uma", "queue"), ("nobody", "queue"), ("alice", "unit"),
    ("rita", "unit"), ("alice", "verify"), ("uma", "verify"), ("rita", "verify")])
def test_wrong_roles_are_refused(client, world, username, which):
    response = _export(client, getattr(world, username), list=which)
    assert refused(response)[0] == 403
    assert not ExportJob.objects.exists()
    assert AuditEntry.objects.filter(action="export.refused").count() == 1


def test_another_units_inbox_is_refused(client, world):
    more_actors(world)
    response = _export(client, world.ulla, list="unit", unit=str(world.unit_a.pk))
    assert refused(response) == (403, "You do not work for that unit: you can only export "
                                      "your own unit's inbox.")


@pytest.mark.parametrize("data", [{}, {"list": "everything"},
                                  {"list": "mine", "show": "all-of-them"}])
def test_an_unknown_list_is_refused(client, world, data):
    assert refused(_export(client, world.alice, **data))[0] == 400


def test_anonymous_is_sent_to_login(client):
    response = client.post("/exports/new/cases/", {"list": "queue"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()


def test_the_exporter_refuses_in_python_too(world):
    with pytest.raises(PermissionDenied):
        exporters.prepare(world.rita, {"list": "queue"})
    with pytest.raises(ValidationFailed):
        exporters.prepare(world.alice, {"list": "nothing"})


# --- audit, background, another person's file ---------------------------------------------------

def test_the_request_and_the_download_are_audited_where_the_area_admins_see_them(client,
                                                                                 world):
    _report(world)
    _sheet(_export(client, world.alice, list="queue", state="reported"))
    requested = AuditEntry.objects.get(action="export.requested")
    assert requested.area_path == world.community_a.path
    assert requested.changes["filters"] == {"list": "queue", "state": "reported"}
    assert requested.changes["rows"] == 1
    assert AuditEntry.objects.filter(action="export.downloaded", actor=world.alice).count() == 1


def test_a_large_list_goes_to_the_background_and_nobody_else_gets_it(
        client, world, settings, django_capture_on_commit_callbacks, monkeypatch):
    from linli.core.exports import writer

    settings.EXPORT_SYNC_ROWS = 1
    # Progress saved between the fetches of a streamed read (PostgreSQL: a named cursor).
    monkeypatch.setattr(exporters, "_CHUNK", 1)
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 1)
    cases = [_report(world, description=f"漏水{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = _export(client, world.alice, list="queue",
                           next="/cases/queue/?state=open")
    job = ExportJob.objects.get()
    assert response["Location"].startswith(f"/exports/{job.pk}/")
    page = body(client.get(response["Location"]))
    assert 'id="export-done"' in page and "3 rows" in page
    assert 'href="/cases/queue/?state=open"' in page
    sheet = _sheet(client.get(f"/exports/{job.pk}/download/"))
    assert _ids(sheet) == [c.pk for c in reversed(cases)]  # the page's order: newest first
    for other in (world.bob, world.leo, world.gina, world.rita):
        client.force_login(other)
        assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert AuditEntry.objects.filter(action="export.downloaded").count() == 1


# --- the buttons -----------------------------------------------------------------------------

def test_each_list_has_an_export_button_carrying_its_filters(client, world):
    more_actors(world)
    case_in_state(world, State.DISPATCHED)
    case_in_state(world, State.RESOLVED)
    queue = body(login_as(client, world.alice).get(
        f"/cases/queue/?state=&area={world.grid_a1.pk}&page=1"))
    form = re.findall(r'<form method="post" action="/exports/new/cases/".*?</form>', queue,
                      re.S)[0]
    assert 'name="list" value="queue"' in form
    assert f'name="area" value="{world.grid_a1.pk}"' in form
    assert 'name="state" value=""' in form and 'name="page"' not in form
    for user, url, which in [(world.uma, "/cases/unit/", "unit"),
                             (world.gina, "/cases/verify/", "verify"),
                             (world.rita, "/cases/mine/", "mine")]:
        html = body(login_as(client, user).get(url))
        assert f'name="list" value="{which}"' in html and 'id="export-xlsx"' in html


def test_the_queues_second_page_is_still_the_open_cases(client, world):
    """A bare ?page=2 keeps the default filter (it used to list every state)."""
    closed = case_in_state(world, State.CLOSED)
    html = body(login_as(client, world.alice).get("/cases/queue/?page=2"))
    assert f'id="case-{closed.pk}"' not in html
