"""What a survey move writes, or why it is refused (the kit's `effects`).

- open: the survey has a question and closes ahead.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.surveys.models import Survey


def _open(survey: Survey, actor, now: datetime, data: dict) -> dict[str, Any]:
    if not survey.questions.exists():
        raise ValidationFailed(_("Add a question before opening the survey."),
                               code="no_questions")
    if survey.closes_at <= now:
        raise ValidationFailed(_("The survey's closing time has passed: change it before "
                                 "opening."), code="closed")
    return {}


SURVEY_EFFECTS = {"open": _open}
