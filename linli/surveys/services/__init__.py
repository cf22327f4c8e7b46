"""The needs surveys' writes. Another app writes to surveys only through here."""

from linli.surveys.services.responses import response_submit
from linli.surveys.services.surveys import (
    QuestionData,
    SurveyData,
    add_quarterly_template,
    question_add,
    question_move,
    question_remove,
    question_update,
    survey_create,
    survey_transition,
    survey_update,
)

__all__ = ["QuestionData", "SurveyData", "add_quarterly_template", "question_add",
           "question_move", "question_remove", "question_update", "response_submit",
           "survey_create", "survey_transition", "survey_update"]
