"""The residents import's "check only" (a dry run): the same check, every problem by row
and column, nothing written; the sample file's people are obviously made up (issue #11
item 8)."""

import pytest
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.orgs.imports.reader import ImportRejected
from linli.people.exporting import SAMPLE_ROWS, sample_bytes
from linli.people.imports import resident_import
from linli.people.models import Household, ImportJob, Resident
from linli.people.sheet import HEADERS, ID_NUMBER, NAME, PHONE
from linli.people.tests.sheets import PLACE_B, read, row, xlsx
from linli.people.tests.test_import import family
from linli.people.validators import id_number_problem, phone_problem

pytestmark = pytest.mark.django_db
URL = reverse("people:import")


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("residents.xlsx", xlsx(rows))


def test_the_service_checks_and_writes_nothing(world):
    report = resident_import(actor=world.alice, filename="f.xlsx", content=xlsx(family()),
                             check_only=True)
    assert report.check_only and report.rows == 3 and report.residents_created == 0
    assert not Resident.objects.exists() and not Household.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("resident.import_checked", {"rows": 3})


def test_a_check_lists_every_problem_and_writes_nothing(world):
    rows = [*family(), row(PLACE_B, head="赵博"), row(head="王五", id_number="123")]
    with pytest.raises(ImportRejected) as caught:
        resident_import(actor=world.alice, filename="f.xlsx", content=xlsx(rows),
                        check_only=True)
    problems = {(p["row"], p["column"]) for p in caught.value.details}
    assert (5, "房屋") in problems and (6, "公民身份号码") in problems
    assert not Resident.objects.exists()


def test_the_page_offers_check_only_first(client, world):
    client.force_login(world.alice)
    body = client.get(URL).content.decode()
    assert body.index('id="import-check"') < body.index('id="import-run"')
    assert 'name="mode" value="check"' in body


@pytest.mark.parametrize("mode", ["check", ""])  # no button named: the safe one
def test_a_checked_job_says_so_and_registers_nobody(client, world, mode,
                                                   django_capture_on_commit_callbacks):
    client.cookies["linli_language"] = "en"
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _upload(family()), "mode": mode})
    job = ImportJob.objects.get()
    assert job.check_only and job.state == "done"
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-checked"' in page and "Checked 3 rows: all are right." in page
    assert 'id="import-done"' not in page and not Resident.objects.exists()
    assert "check only" in client.get(URL).content.decode()  # in "my recent imports"


def test_a_checked_job_lists_problems_by_row(client, world, django_capture_on_commit_callbacks):
    client.cookies["linli_language"] = "en"
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _upload([row(PLACE_B, head="赵博")]),
                                     "mode": "check"})
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-failed"' in page and "<td>2</td><td>房屋</td>" in page
    assert "This was a check only: nothing was written." in page
    assert not Resident.objects.exists()


@pytest.mark.parametrize("who", ["uma", "rita", "leo", "nobody"])
def test_a_check_is_refused_like_an_import(client, world, who):
    client.force_login(getattr(world, who))
    assert client.post(URL, {"file": _upload(family()), "mode": "check"}).status_code == 404
    assert not ImportJob.objects.exists()


def test_the_anonymous_cannot_check(client, world):
    response = client.post(URL, {"file": _upload(family()), "mode": "check"})
    assert response.url.startswith("/accounts/login/") and not ImportJob.objects.exists()


def test_the_sample_people_are_obviously_made_up_yet_valid():
    titles, rows = read(sample_bytes())
    assert titles == HEADERS and len(rows) == len(SAMPLE_ROWS) == 2
    for cells in rows:
        assert cells[NAME].startswith("示例")
        assert id_number_problem(cells[ID_NUMBER]) is None
        assert cells[ID_NUMBER][6:14] == "19900101"
        assert phone_problem(cells[PHONE]) is None and cells[PHONE].startswith("1380000000")


def test_the_sample_checks_cleanly_in_the_world(world):
    report = resident_import(actor=world.alice, filename="s.xlsx", content=sample_bytes(),
                             check_only=True)
    assert report.rows == 2 and not Resident.objects.exists()
