"""What an app sent beside the description (answers, media link) shows on the case page,
to the staff who handle the case only."""

from linli.cases.models import Case
from linli.open311.tests.conftest import BASE, form


def _file(client, world) -> Case:
    body = form(world, media_url="https://img.example.com/leak.jpg")
    body["attribute[where][]"] = ["kitchen", "bath"]
    assert client.post(f"{BASE}/requests.json", body).status_code == 201
    return Case.objects.get()


def test_the_dispatcher_sees_the_answers_and_the_media_link(client, o311):
    case = _file(client, o311)
    client.force_login(o311.alice)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    section = page[page.index('id="open311-submitted"'):]
    assert "街坊" in section
    assert "<dt>Which floor?</dt><dd>二楼</dd>" in section
    assert "<dt>Where is the water?</dt><dd>厨房、卫生间</dd>" in section
    assert 'href="https://img.example.com/leak.jpg" rel="noopener noreferrer nofollow"' in section


def test_residents_and_other_channels_show_no_such_section(client, o311):
    from linli.cases.services import case_report

    case = _file(client, o311)
    client.force_login(o311.rita)
    response = client.get(f"/cases/{case.pk}/")
    assert 'id="open311-submitted"' not in response.content.decode()
    own = case_report(actor=o311.rita, category=o311.leak, area=o311.dwelling_a,
                      description="水管漏水")
    client.force_login(o311.alice)
    assert 'id="open311-submitted"' not in client.get(f"/cases/{own.pk}/").content.decode()
