"""The residents spreadsheet: its column titles and the words used in its cells.

Import (`imports/`) and export (`exporting.py`) share this layout, so an unmasked export
imports back unchanged. The dwelling is named by the path of area names from the community
down (社区 > 网格 > 小区 > 楼栋 > 单元 > 房屋), exactly as the area tree spells them; a level the
tree does not have there (a building without entrances) is left empty. docs/people-import.md
describes the file for the people who fill it in.
"""

from linli.orgs.models import AreaKind
from linli.people.models import Gender, Relation, Tenure

COMMUNITY, GRID, ESTATE = "社区", "网格", "小区"
BUILDING, ENTRANCE, DWELLING = "楼栋", "单元", "房屋"
HEAD_NAME, RELATION, NAME = "户主姓名", "与户主关系", "姓名"
ID_NUMBER, PHONE, BIRTH_DATE, GENDER = "公民身份号码", "联系电话", "出生日期", "性别"
TENURE, MOVED_IN, MOVED_OUT = "产权/租住", "迁入日期", "迁出日期"

# The place columns and the kind of area each names, from the community down.
PLACE_COLUMNS: list[tuple[str, str]] = [
    (COMMUNITY, AreaKind.COMMUNITY), (GRID, AreaKind.GRID), (ESTATE, AreaKind.ESTATE),
    (BUILDING, AreaKind.BUILDING), (ENTRANCE, AreaKind.ENTRANCE), (DWELLING, AreaKind.DWELLING),
]
HEADERS: list[str] = [title for title, _kind in PLACE_COLUMNS] + [
    HEAD_NAME, RELATION, NAME, ID_NUMBER, PHONE, BIRTH_DATE, GENDER, TENURE, MOVED_IN, MOVED_OUT,
]
# Place levels a row may leave empty because the tree has no such level there.
OPTIONAL_PLACES = frozenset({ESTATE, BUILDING, ENTRANCE})
REQUIRED_CELLS = (COMMUNITY, GRID, DWELLING, HEAD_NAME, RELATION, NAME, TENURE)

# What the export writes (first) and what the import also accepts.
RELATION_WORDS: dict[str, list[str]] = {
    Relation.HEAD: ["户主", "本人"],
    Relation.SPOUSE: ["配偶", "妻", "夫", "妻子", "丈夫"],
    Relation.CHILD: ["子女", "子", "女", "儿子", "女儿"],
    Relation.PARENT: ["父母", "父亲", "母亲"],
    Relation.GRANDCHILD: ["孙子女", "孙子", "孙女", "外孙子", "外孙女", "外孙子女"],
    Relation.OTHER: ["其他"],
}
TENURE_WORDS: dict[str, list[str]] = {
    Tenure.OWNER: ["产权", "自有", "业主"],
    Tenure.TENANT: ["租住", "租赁", "租户"],
    Tenure.OTHER: ["其他"],
}
GENDER_WORDS: dict[str, list[str]] = {Gender.MALE: ["男"], Gender.FEMALE: ["女"]}


def _reverse(words: dict[str, list[str]]) -> dict[str, str]:
    return {word: value for value, spelled in words.items() for word in spelled}


RELATION_OF = _reverse(RELATION_WORDS)
TENURE_OF = _reverse(TENURE_WORDS)
GENDER_OF = _reverse(GENDER_WORDS)


def word(words: dict[str, list[str]], value: str) -> str:
    """The word the export writes for a stored value ("" for none)."""
    return words[value][0] if value in words else ""
