"""Every write of community life, one module per part, gathered here."""

from linli.community.services.ratings import (
    building_scores_set,
    criterion_create,
    criterion_update,
    rating_create,
    rating_publish,
    rating_recompute,
    score_set,
)
from linli.community.services.signups import (
    check_in_by_code,
    check_in_by_staff,
    places_release,
    signup_cancel,
    signup_create,
)

__all__ = ["building_scores_set", "check_in_by_code", "check_in_by_staff", "criterion_create",
           "criterion_update", "places_release", "rating_create", "rating_publish",
           "rating_recompute", "score_set", "signup_cancel", "signup_create"]
