"""The service library's writes. Another app writes to the library only through here."""

from linli.library.services.bookings import (
    booking_create,
    booking_transition,
    check_eligible,
    room_book,
)
from linli.library.services.handover import (
    TaskData,
    need_to_booking,
    need_to_case,
    need_to_task,
    need_to_topic,
)
from linli.library.services.needs import need_post, need_transition
from linli.library.services.providers import (
    ProviderData,
    SkillsData,
    contribution_record,
    contribution_void,
    provider_create,
    provider_relist,
    provider_update,
    provider_withdraw,
    skilled_register,
    skills_offer,
    skills_withdraw,
)

__all__ = ["TaskData", "booking_create", "booking_transition", "check_eligible",
           "need_post", "need_to_booking", "need_to_case", "need_to_task", "need_to_topic",
           "need_transition", "room_book"]
__all__ += ["ProviderData", "SkillsData", "contribution_record", "contribution_void",
            "provider_create", "provider_relist", "provider_update", "provider_withdraw",
            "skilled_register", "skills_offer", "skills_withdraw"]
