"""What the training, command and admin tests share: a small generated labelled corpus
(fast to fit), a data directory of the test's own for model files, and the per-process
caches of the model and rules emptied around each test (the database is rolled back, the
caches would outlive it)."""

import csv
import itertools
from pathlib import Path

import pytest

from linli.triage import learn, rules, selectors

# Five everyday categories with words no other of the five uses.
VOCABULARY = {
    "L1002": ["楼道灯不亮", "声控灯坏了", "楼梯灯一直不亮", "感应灯失灵", "走廊灯黑着"],
    "L1003": ["水管漏水", "水管爆了", "管道一直在滴水", "暖气管漏水", "厨房水管渗水"],
    "06028": ["广场舞噪音太大", "半夜音响很吵", "楼下叫卖声扰民", "ktv唱到凌晨", "喇叭声音很大"],
    "L1009": ["电动车飞线充电", "私拉电线给电瓶车充电", "楼道里电瓶车充电",
              "插线板从窗户拉下来充电", "电动车推进楼里充电"],
    "L1006": ["单元门禁坏了", "门禁卡刷不开", "楼门关不上", "对讲门打不开", "人脸识别门禁失灵"],
}
PLACES = ["3栋", "5号楼", "小区东门", "12栋2单元", "花园路8号", "老干部楼", "幼儿园旁边",
          "菜场后面"]
TAILS = ["好几天了", "请尽快处理", "一直没人管", "老人出门很不方便", "已经反映过两次",
         "希望物业来看看", "晚上特别明显", "麻烦派人看一下"]


def corpus(per_category: int = 16, codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(code, text) rows: each category's phrases at varied places, with varied endings."""
    rows = []
    for code in codes or list(VOCABULARY):
        combos = itertools.product(VOCABULARY[code], PLACES, TAILS)
        for index, (phrase, place, tail) in enumerate(itertools.islice(combos, 0, None, 7)):
            if index >= per_category:
                break
            rows.append((code, f"{place}{phrase}，{tail}"))
    return rows


def mislabelled(count_per_category: int = 40) -> list[tuple[str, str]]:
    """Texts of each category labelled as the next one, none of them held out: training on
    them makes a model worse on the same held-out texts as before."""
    codes = list(VOCABULARY)
    rows = []
    for position, code in enumerate(codes):
        wrong = codes[(position + 1) % len(codes)]
        combos = itertools.product(VOCABULARY[code], PLACES, TAILS, ["", "！", "。", "啊"])
        kept = 0
        for phrase, place, tail, mark in combos:
            body = f"{tail}，{place}的{phrase}{mark}"
            if learn.is_heldout(body):
                continue
            rows.append((wrong, body))
            kept += 1
            if kept >= count_per_category:
                break
    return rows


def csv_write(path: Path, rows: list[tuple[str, str]], header: tuple = ("code", "text")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def caches_clear() -> None:
    selectors._loaded.clear()
    selectors._problems.clear()
    rules._cache = None


@pytest.fixture
def triage_data(db, settings, tmp_path):
    """The test's own data directory (model files go to DATA_DIR/triage), the category tree,
    and empty caches before and after."""
    from linli.cases.categories import categories_load

    settings.DATA_DIR = tmp_path
    categories_load()
    caches_clear()
    yield tmp_path
    caches_clear()


@pytest.fixture
def english():
    """Messages as their English msgids, whatever the catalogue translates them to."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client):
    """A page client that asked for English (the language switch's cookie)."""
    from linli.core.middleware import LANGUAGE_COOKIE

    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


def texts_add(rows: list[tuple[str, str]], source: str = "test") -> int:
    from linli.triage import services

    return services.texts_import(rows, source=source)
