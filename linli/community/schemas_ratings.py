"""Shapes of the ratings API (最美楼栋). Parsing and presentation only: the rules live in
services/ratings.py and selectors_ratings.py."""

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from linli.core.bounds import Id

# --- in ------------------------------------------------------------------------------------


class RatingIn(Schema):
    community_id: Id = Field(description="A community the caller keeps the rating of.")
    month: date = Field(description="The first day of the month rated; not a month to come.")


class RatingScoreIn(Schema):
    building_id: Id = Field(description="A building of the rating's community.")
    criterion_id: Id = Field(description="A manual criterion of the rating.")
    score: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2,
                           description="0 to the criterion's most points, two decimals.")


class CriterionIn(Schema):
    community_id: Id
    name: str = Field(min_length=1, max_length=40)
    max_score: int = Field(ge=1, le=100)
    source: str = Field("manual", max_length=16,
                        description="manual, participation or cases.")
    position: int | None = Field(None, ge=0, le=1000, description="Default: at the end.")
    is_active: bool = True


class CriterionUpdateIn(Schema):
    name: str = Field(min_length=1, max_length=40)
    max_score: int = Field(ge=1, le=100)
    source: str = Field(max_length=16, description="manual, participation or cases.")
    position: int = Field(ge=0, le=1000)
    is_active: bool = True


# --- out -----------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    community_id: int
    name: str
    max_score: int
    source: str
    position: int
    is_active: bool


class RatingOut(Schema):
    id: int
    community_id: int
    community_name: str
    month: date
    state: str
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_community_name(obj) -> str:
        return obj["community_name"] if isinstance(obj, dict) else obj.community.name

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("community:rating", args=[obj["id"] if isinstance(obj, dict) else obj.pk])


class RatingCellOut(Schema):
    criterion_id: int
    score: Decimal
    figure: str = Field(description="Computed criteria: the figure (took part/residents, "
                        "or the number of cases); manual: empty.")
    figure_text: str


class RatingRowOut(Schema):
    rank: int
    top: bool = Field(description="One of the month's 最美楼栋 (the first three).")
    building_id: int
    building_name: str
    total: Decimal
    scores: list[RatingCellOut]


class RatingDetailOut(RatingOut):
    criteria: list[CriterionOut]
    ranking: list[RatingRowOut]
    can_score: bool = Field(description="The caller may score, recompute and publish.")
