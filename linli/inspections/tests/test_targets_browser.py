"""Targets in real Chromium at phone width (375 px) on the demo: the grid worker adds a
premises found on patrol, then checks a workbook whose second row is wrong and sees the
problem by row and column, with nothing written. Every page fits the phone and nothing is
fetched from elsewhere."""

import pytest

from linli.accounts.models import RoleAssignment, User
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.inspections.models import Target
from linli.inspections.permissions import INSPECTORS
from linli.inspections.tests.test_targets_import import row, xlsx
from linli.orgs.models import Area, AreaKind

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _grid_of(username: str) -> Area:
    assignment = RoleAssignment.objects.filter(user=User.objects.get(username=username),
                                               role__in=INSPECTORS).select_related("area").first()
    assert assignment is not None and assignment.area.kind == AreaKind.GRID
    return assignment.area


def _add(page, grid: Area) -> Target:
    page.goto("/inspections/targets/")
    fits_phone(page, "the targets list")
    page.locator("#target-new-link").click()
    page.wait_for_url("**/inspections/targets/new/")
    fits_phone(page, "the new target form")
    page.select_option("select[name=area]", str(grid.pk))
    page.fill("input[name=name]", "巡查发现的小作坊")
    page.select_option("select[name=kind]", "workshop")
    page.fill("input[name=address]", "民族路 8 号")
    page.fill("input[name=contact_name]", "陈师傅")
    page.fill("input[name=contact_phone]", "1390013")  # too short: refused, input kept
    submit(page, "#target-submit")
    assert page.locator("#target-error").count() == 1
    assert page.input_value("input[name=name]") == "巡查发现的小作坊"
    fits_phone(page, "the refused form")
    page.fill("input[name=contact_phone]", "13900139000")
    _shot(page, "target-new")
    submit(page, "#target-submit")
    target = Target.objects.get(name="巡查发现的小作坊")
    assert page.url.endswith(f"/inspections/targets/{target.pk}/"), page.url
    assert "13900139000" not in page.content() and "9000" in page.content()
    fits_phone(page, "the target's page")
    return target


def _import_with_an_error(page, grid: Area, tmp_path) -> None:
    community = grid.parent
    assert community is not None
    path = tmp_path / "targets.xlsx"
    path.write_bytes(xlsx([
        row("街角商铺", community=community.name, grid=grid.name, estate="", kind="商铺"),
        row("坏类型", community=community.name, grid=grid.name, estate="", kind="城堡"),
    ]))
    page.goto("/inspections/targets/")
    page.locator("#targets-import-link").click()
    page.wait_for_url("**/inspections/targets/import/")
    fits_phone(page, "the import page")
    page.set_input_files("input[name=file]", str(path))
    submit(page, "#import-check")
    problems = page.locator("#import-problems tbody tr")
    assert problems.count() == 1
    cells = problems.first.locator("td").all_inner_texts()
    assert cells[:2] == ["3", "类型"] and "商铺" in cells[2]
    fits_phone(page, "the import's problems")
    _shot(page, "targets-import-errors")


@pytest.mark.usefixtures("demo_committed")
def test_a_grid_worker_adds_a_target_and_sees_an_import_error_by_row(new_page, live_server,
                                                                     tmp_path):
    grid = _grid_of("grid")
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "grid")
    target = _add(page, grid)
    assert target.grid == grid and target.contact_phone.reveal_unaudited() == "13900139000"
    before = Target.objects.count()
    _import_with_an_error(page, grid, tmp_path)
    assert Target.objects.count() == before
    assert elsewhere == []
