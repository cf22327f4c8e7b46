"""Category suggestions where people type: the report form's partial and the API, for
every kind of text a person may type, with keyword rules only (no learned model)."""

import pytest

from linli.cases.categories import categories_load
from linli.cases.tests.viewtools import body, login_as
from linli.triage.models import KeywordRule

LIGHT = "L1002"  # 楼道灯损坏, whose starting keywords include 楼道灯 and 灯不亮
PARTIAL = "/triage/suggest/"
API = "/api/triage/suggest"
ODD = ["", "   ", "！！！", "😡😡", "！" * 5000, "。，、" * 100, "\x00", "\u200b\ufeff"]


@pytest.fixture
def categories(db):
    categories_load()


def chips(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-category="')[1:]]


def test_anonymous_gets_neither_the_partial_nor_the_api(client, categories):
    response = client.get(PARTIAL, {"text": "楼道灯不亮"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    response = client.get(API, {"text": "楼道灯不亮"})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_the_rules_alone_suggest_the_stairwell_light_first(client, world, categories):
    login_as(client, world.rita)
    html = body(client.get(PARTIAL, {"text": "楼道灯不亮三天了"}))
    assert chips(html)[0] == LIGHT and 1 <= len(chips(html)) <= 3
    assert 'data-source="rules"' in html and "From keyword rules." in html
    assert "Stairwell light out" in html and "%" in html
    answer = client.get(API, {"text": "楼道灯不亮三天了"}).json()
    assert (answer["source"], answer["model_version"]) == ("rules", None)
    first = answer["suggestions"][0]
    assert (first["code"], first["name"]) == (LIGHT, "Stairwell light out")
    assert 0 < first["confidence"] <= 1
    assert len(answer["suggestions"]) <= 3


def test_the_chip_says_the_category_and_its_share_in_chinese(client, world, categories):
    client.force_login(world.rita)
    html = body(client.get(PARTIAL, {"text": "楼道灯不亮"}))
    percent = html.split(f'id="suggest-{LIGHT}"')[1].split("</button>")[0]
    assert "楼道灯损坏" in percent and "%</span>" in percent


@pytest.mark.parametrize("text", ODD)
def test_text_with_nothing_to_go_on_gives_nothing_and_no_error(client, world, categories,
                                                              text):
    login_as(client, world.rita)
    response = client.get(PARTIAL, {"text": text})
    assert response.status_code == 200 and chips(body(response)) == []
    assert "triage-suggestions" not in body(response)
    if len(text) <= 4000 and "\x00" not in text:
        answer = client.get(API, {"text": text}).json()
        assert answer == {"source": "none", "model_version": None, "suggestions": []}


def test_the_partial_reads_only_the_first_4000_characters(client, world, categories):
    login_as(client, world.rita)
    assert chips(body(client.get(PARTIAL, {"text": "楼道灯不亮" + "啊" * 5000})))[0] == LIGHT
    # A category named past the first 4000 characters is not read.
    assert chips(body(client.get(PARTIAL, {"text": "啊" * 4000 + "楼道灯不亮"}))) == []


def test_the_api_refuses_a_text_over_4000_characters(client, world, categories):
    login_as(client, world.rita)
    response = client.get(API, {"text": "楼" * 4001})
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    assert answer["details"][0]["field"] == "text"
    assert "4000" in answer["details"][0]["message"]
    assert client.get(API, {"text": "楼道灯不亮" + "啊" * 3995}).status_code == 200


def test_english_and_mixed_text(client, world, categories):
    login_as(client, world.rita)
    english = client.get(API, {"text": "the lift is broken"}).json()
    assert english["source"] == "rules"  # the English category names count as keywords
    assert english["suggestions"][0]["code"] == "01076"  # Lift fault
    mixed = client.get(API, {"text": "3楼 楼道灯 broken 😡 again!!"}).json()
    assert mixed["suggestions"][0]["code"] == LIGHT
    # A control character: the partial reads past it, the API refuses it (core/parser.py).
    assert chips(body(client.get(PARTIAL, {"text": "\x00楼道灯\x00坏了"})))[0] == LIGHT
    assert client.get(API, {"text": "\x00楼道灯"}).status_code == 400
    html = body(client.get(PARTIAL, {"text": "电梯 lift 坏了 😡"}))
    assert chips(html)[0] == "01076"  # 电梯 (lift)


def test_an_admins_own_keywords_replace_the_starting_ones(client, world, categories):
    from linli.cases.models import Category

    KeywordRule.objects.create(category=Category.objects.get(code="L1008"),
                               keywords="楼道灯\n灯不亮")
    KeywordRule.objects.create(category=Category.objects.get(code=LIGHT), keywords="吊灯")
    login_as(client, world.rita)
    assert client.get(API, {"text": "楼道灯不亮"}).json()["suggestions"][0]["code"] == "L1008"


def test_a_resident_a_dispatcher_and_a_grid_worker_all_get_suggestions(client, world,
                                                                         categories):
    for person in (world.rita, world.alice, world.gina):
        login_as(client, person)
        assert chips(body(client.get(PARTIAL, {"text": "楼道灯不亮"})))[0] == LIGHT


def test_the_report_form_asks_for_suggestions_as_the_description_is_typed(client, world,
                                                                          categories):
    login_as(client, world.rita)
    html = body(client.get("/cases/new/"))
    box = html.split('id="category-suggestions"')[1].split(">")[0]
    assert 'hx-get="/triage/suggest/"' in box and 'data-text-from="id_description"' in box
    assert 'hx-trigger="input changed delay:300ms from:#id_description"' in box
    # The description comes first, the picker (with the box above its list) after it.
    assert html.index('name="description"') < html.index('id="category-picker"')
    assert (html.index('id="category-picker"') < html.index('id="category-suggestions"')
            < html.index('id="category-list"'))
    assert "/static/linli/triage.js" in html and "<script>" not in html


def test_the_form_back_with_a_description_asks_at_once(client, world, categories):
    login_as(client, world.rita)
    html = body(client.post("/cases/new/", {"description": "楼道灯不亮", "idem": "k"}))
    assert 'hx-trigger="load, input changed delay:300ms from:#id_description"' in html


def test_the_source_line_says_when_the_model_suggested(client, world, categories,
                                                       monkeypatch):
    from linli.cases.models import Category
    from linli.triage import views
    from linli.triage.selectors import Suggested, Suggestions

    light = Category.objects.get(code=LIGHT)
    monkeypatch.setattr(views.selectors, "category_suggestions", lambda text: Suggestions(
        [Suggested(light, 0.92)], "model", 3))
    html = body(login_as(client, world.rita).get(PARTIAL, {"text": "楼道灯不亮"}))
    assert 'data-source="model"' in html and "Learned from cases closed here before." in html
    assert "92%" in html
