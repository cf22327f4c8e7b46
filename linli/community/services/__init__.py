"""Every write of community life, one module per part, gathered here."""

from linli.community.services.activities import (
    ActivityData,
    activity_create,
    activity_new_code,
    activity_photos_add,
    activity_transition,
    activity_update,
)
from linli.community.services.honours import (
    board_create,
    board_update,
    entry_nominate,
    entry_photos_add,
    entry_transition,
    reply_add,
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
           "check_in_by_code", "check_in_by_staff", "entry_nominate", "entry_photos_add",
           "entry_transition", "places_release", "reply_add", "signup_cancel",
           "signup_create"]
