"""The triage API: the categories a description most likely belongs to, for apps that
report (the same suggestions the report form shows)."""

from typing import Annotated

from ninja import Field, Query, Router, Schema

from linli.cases.services import MAX_DESCRIPTION
from linli.triage import selectors

router = Router(tags=["triage"])

# What a report's description may hold.
MAX_TEXT = MAX_DESCRIPTION


class TriageSuggestIn(Schema):
    text: Annotated[str, Field(max_length=MAX_TEXT, description=(
        f"The problem as the person describes it, up to {MAX_TEXT} characters."))] = ""


class TriageSuggestedOut(Schema):
    code: str
    name: str
    confidence: float = Field(ge=0, le=1, description="0 to 1")


class TriageSuggestionsOut(Schema):
    source: str = Field(description="`model` (learned from closed cases), `rules` (keyword "
                                    "rules) or `none` (nothing to go on)")
    model_version: int | None = None
    suggestions: list[TriageSuggestedOut]


@router.get("/suggest", response=TriageSuggestionsOut)
def triage_suggest(request, query: Query[TriageSuggestIn]):
    """Up to three active leaf categories for a description, best first. Text with nothing
    to go on (empty, only punctuation or emoji) answers `source: none` and no suggestions;
    a text over 4000 characters is refused (400 `invalid`, `details` names `text`)."""
    found = selectors.category_suggestions(query.text)
    return {"source": found.source, "model_version": found.model_version,
            "suggestions": [{"code": s.category.code, "name": s.category.name,
                             "confidence": round(s.confidence, 4)} for s in found.items]}
