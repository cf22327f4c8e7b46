"""What the spec leaves open when filing, filled in as FixMyStreet does: a description that
may be left out when the answers or media say it, up to 4,000 characters, and a report
whose reporter placed no pin (address_id=#NOTPINPOINTED#)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.cases.models import Case
from linli.cases.tests.factories import category
from linli.open311.models import Submission
from linli.open311.tests.conftest import BASE, form, parsed


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def litter(o311):
    """A category that asks no required question."""
    return category("L2001", name_zh="乱扔垃圾", name_en="Litter", triage="minor")


def _post(client, body, fmt="json"):
    return client.post(f"{BASE}/requests.{fmt}", body)


def _png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "PNG")
    return SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")


def _refused(response, problems, status=400):
    assert response.status_code == status
    assert parsed(response) == [{"code": str(status), "description": p} for p in problems]
    assert (Case.objects.count(), Submission.objects.count()) == (0, 0)


def test_without_description_the_answers_describe_the_case(client, o311, settings):
    settings.LANGUAGE_CODE = "en"  # the site's language, whatever the app asked in
    body = form(o311, description=None)
    body["attribute[where][]"] = ["kitchen", "bath"]
    assert _post(client, body).status_code == 201
    assert Case.objects.get().description == ("Which floor?: 二楼; "
                                              "Where is the water?: 厨房、卫生间")


@pytest.mark.parametrize("media", ["file", "url"])
def test_without_description_media_is_enough(client, o311, litter, settings, media):
    settings.LANGUAGE_CODE = "en"
    extra = {"media": _png()} if media == "file" else {"media_url": "https://e.com/a.jpg"}
    body = form(o311, service_code=litter.code, description=None, **{"attribute[floor]": None},
                **extra)
    assert _post(client, body).status_code == 201
    assert Case.objects.get().description == "(see the photos)"


def test_a_made_description_is_in_the_sites_language(client, o311, litter, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    body = form(o311, service_code=litter.code, description="",
                media_url="https://e.com/a.jpg", **{"attribute[floor]": None})
    assert _post(client, body).status_code == 201
    assert Case.objects.get().description.strip()


@pytest.mark.parametrize("description", [None, "  ", "<p></p>"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_without_questions_or_media_a_description_is_required(client, o311, litter, fmt,
                                                              description):
    body = form(o311, service_code=litter.code, description=description,
                **{"attribute[floor]": None})
    _refused(_post(client, body, fmt), ["Describe the problem in description."])


def test_a_required_question_unanswered_is_the_only_problem(client, o311):
    body = form(o311, description=None, **{"attribute[floor]": None})
    _refused(_post(client, body), ["attribute[floor] is required: Which floor?"])


def test_a_description_of_4000_characters_is_kept_whole(client, o311):
    assert _post(client, form(o311, description="漏" * 4000)).status_code == 201
    assert len(Case.objects.get().description) == 4000


def test_a_description_longer_than_4000_is_refused(client, o311):
    _refused(_post(client, form(o311, description="漏" * 4001)),
             ["description is at most 4000 characters."])


@pytest.mark.parametrize("address_id", ["#NOTPINPOINTED#", "#notpinpointed#"])
def test_not_pinpointed_goes_to_the_community_with_its_address(client, o311, address_id):
    body = form(o311, address_id=address_id, address_string="花楼街 12 号附近")
    assert _post(client, body).status_code == 201  # the point beside it is not kept
    case = Case.objects.get()
    assert (case.area, case.address, case.lat, case.lng) == (
        o311.community_a, "花楼街 12 号附近", o311.community_a.lat, o311.community_a.lng)
    _xml = client.get(f"{BASE}/requests/{case.pk}.json")
    assert parsed(_xml)[0]["address"].endswith("花楼街 12 号附近")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_not_pinpointed_without_an_address_is_refused(client, o311, fmt):
    body = form(o311, lat=None, long=None, address_id="#NOTPINPOINTED#")
    _refused(_post(client, body, fmt), [
        "address_id #NOTPINPOINTED# means the reporter placed no pin: say where the problem "
        "is in address_string."])


def test_not_pinpointed_still_checks_a_point_sent(client, o311):
    body = form(o311, lat="north", address_id="#NOTPINPOINTED#", address_string="花楼街")
    _refused(_post(client, body), ["lat must be a number between -90 and 90."])
