"""Every write of community life, one module per part, gathered here."""

from linli.community.services.activities import (
    ActivityData,
    activity_create,
    activity_new_code,
    activity_photos_add,
    activity_transition,
    activity_update,
)
from linli.community.services.delivery import notice_deliver, notices_deliver
from linli.community.services.honours import (
    board_create,
    board_update,
    entry_nominate,
    entry_photos_add,
    entry_transition,
    reply_add,
)
from linli.community.services.notices import (
    notice_create,
    notice_files_add,
    notice_read,
    notice_transition,
    notice_update,
)
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

__all__ = ["ActivityData", "activity_create", "activity_new_code", "activity_photos_add",
           "activity_transition", "activity_update", "board_create", "board_update",
           "building_scores_set", "check_in_by_code", "check_in_by_staff", "criterion_create",
           "criterion_update", "entry_nominate", "entry_photos_add", "entry_transition",
           "notice_create", "notice_deliver", "notice_files_add", "notice_read",
           "notice_transition", "notice_update", "notices_deliver", "places_release",
           "rating_create", "rating_publish", "rating_recompute", "reply_add", "score_set",
           "signup_cancel", "signup_create"]
