"""The inbox API. Everyone reads and marks only their own notifications; another person's
notification id answers 404, like a missing one."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.notifications import selectors, services
from linli.notifications.models import Notification

CASE_SUBJECT = "cases.case"

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    subject_type: str
    subject_id: int | None
    case_id: int | None  # kept for older clients: subject_id when the subject is a case
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_case_id(obj: Notification) -> int | None:
        return obj.subject_id if obj.subject_type == CASE_SUBJECT else None


class ReadAllOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(Pages, page_size=50)
def notification_list(request, unread: bool | None = None):
    return selectors.notification_list(actor=request.user, unread=unread)


@router.post("/read-all", response=ReadAllOut)
def notifications_read_all(request):
    return {"marked": services.notifications_mark_all_read(actor=request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut)
def notification_read(request, notification_id: Id):
    notification = selectors.notification_get(actor=request.user,
                                              notification_id=notification_id)
    return services.notification_mark_read(actor=request.user, notification=notification)
