"""Every write of community life, one module per part, gathered here."""

from linli.community.services.delivery import notice_deliver, notices_deliver
from linli.community.services.notices import (
    notice_create,
    notice_files_add,
    notice_read,
    notice_transition,
    notice_update,
)
from linli.community.services.signups import (
    check_in_by_code,
    check_in_by_staff,
    places_release,
    signup_cancel,
    signup_create,
)

__all__ = ["check_in_by_code", "check_in_by_staff", "notice_create", "notice_deliver",
           "notice_files_add", "notice_read", "notice_transition", "notice_update",
           "notices_deliver", "places_release", "signup_cancel", "signup_create"]
