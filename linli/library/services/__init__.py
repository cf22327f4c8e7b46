"""The service library's writes. Another app writes to the library only through here."""

from linli.library.services.bookings import (
    booking_create,
    booking_transition,
    check_eligible,
    room_book,
)
from linli.library.services.catalogue import (
    ServiceData,
    hours_set,
    room_add,
    service_create,
    service_set_active,
    service_update,
    slot_withdraw,
    slots_add,
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

__all__ = [
    "ProviderData", "ServiceData", "SkillsData", "TaskData", "booking_create",
    "booking_transition", "check_eligible", "contribution_record", "contribution_void",
    "hours_set", "need_post", "need_to_booking", "need_to_case", "need_to_task",
    "need_to_topic", "need_transition", "provider_create", "provider_relist",
    "provider_update", "provider_withdraw", "room_add", "room_book", "service_create",
    "service_set_active", "service_update", "skilled_register", "skills_offer",
    "skills_withdraw", "slot_withdraw", "slots_add",
]
