"""A survey as a move table (declared on the workflow kit in `workflow.py`).

Survey:  draft ─open (at least one question; closes ahead)─> open ─close─> closed
         (answers are taken while open, from `opens_at` to `closes_at`)
"""

from linli.core.workflow import move
from linli.surveys.models import SurveyState as S


class Who:
    ORGANISER = "organiser"  # staff at or above the survey's audience


SURVEYS = {
    "open": move({S.DRAFT}, S.OPEN, Who.ORGANISER, "opened_at"),
    "close": move({S.OPEN}, S.CLOSED, Who.ORGANISER, "closed_at"),
}
