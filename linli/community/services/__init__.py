"""Every write of community life, one module per part, gathered here."""

from linli.community.services.signups import (
    check_in_by_code,
    check_in_by_staff,
    places_release,
    signup_cancel,
    signup_create,
)

__all__ = ["check_in_by_code", "check_in_by_staff", "places_release", "signup_cancel",
           "signup_create"]
