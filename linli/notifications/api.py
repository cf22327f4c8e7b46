"""The inbox API. Everyone reads and marks only their own notifications; another person's
notification id answers 404, like a missing one."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from linli.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    case_id: int | None
    created_at: datetime
    read_at: datetime | None


class ReadAllOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(PageNumberPagination, page_size=50)
def notification_list(request, unread: bool | None = None):
    return selectors.notification_list(actor=request.user, unread=unread)


@router.post("/read-all", response=ReadAllOut)
def notifications_read_all(request):
    return {"marked": services.notifications_mark_all_read(actor=request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut)
def notification_read(request, notification_id: int):
    notification = selectors.notification_get(actor=request.user,
                                              notification_id=notification_id)
    return services.notification_mark_read(actor=request.user, notification=notification)
