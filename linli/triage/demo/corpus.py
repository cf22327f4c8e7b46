"""The demo's triage history: about thirty descriptions per category, as residents, grid
workers and hotline operators write them, drawn from `phrases.py` by one seeded generator
(the same texts whatever day the demo is loaded). They stand for the labelled tickets a
street office brings from its earlier system (`linli triage import`)."""

import random

from linli.triage.demo.phrases import PHRASES

SEED = 2026
PER_CATEGORY = 30

PLACES = ("小区东门", "3号楼", "5栋楼下", "2单元门口", "我家楼下", "小区北门", "地下车库",
          "小区广场", "停车场", "路口", "楼后面", "幼儿园门口", "菜市场旁边", "12号楼东侧",
          "小区主路上", "老年活动中心旁边", "7号楼2单元", "南门岗亭边", "篮球场边上", "")
TIMES = ("好几天了", "三天了", "一个多星期了", "从昨天晚上开始", "已经半个月了", "今天早上发现",
         "最近一直这样", "反映过好几次", "", "")
ASKS = ("请尽快处理", "麻烦派人来看看", "希望有关部门管一管", "多次反映没人管", "谢谢", "急",
        "请社区协调解决", "盼复", "", "")


def _sentence(rng: random.Random, subjects, faults, effects) -> str:
    place, subject, fault = rng.choice(PLACES), rng.choice(subjects), rng.choice(faults)
    effect, when, ask = rng.choice(effects), rng.choice(TIMES), rng.choice(ASKS)
    at = f"{place}的" if place and rng.random() < 0.5 else place
    shapes = (
        f"{at}{subject}{fault}{when and '，' + when}，{effect}。{ask and ask + '！'}",
        f"来电反映：{at}{subject}{fault}，{effect}，{ask or '请处理'}。",
        f"巡查发现{at}{subject}{fault}，{effect}。",
        f"{subject}{fault}",
        f"{when}{at}{subject}一直{fault}，{effect}",
        f"你好，{at}{subject}{fault}了。{effect}，{ask or '谢谢'}",
    )
    weights = (5, 2, 2, 1, 2, 2)
    return rng.choices(shapes, weights)[0].strip("，")


def demo_corpus(per_category: int = PER_CATEGORY, seed: int = SEED) -> list[tuple[str, str]]:
    """(code, text) pairs, distinct within each category."""
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    for code, (subjects, faults, effects) in PHRASES.items():
        seen: set[str] = set()
        for _attempt in range(per_category * 5):
            text = _sentence(rng, subjects, faults, effects)
            if text not in seen:
                seen.add(text)
                rows.append((code, text))
            if len(seen) >= per_category:
                break
    return rows
