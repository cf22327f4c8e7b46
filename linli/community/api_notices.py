"""The notices API (mounted under /api/community): the list, one notice (reading it as a
resident of its audience records the household's receipt), writing a draft, its files, the
moves (publish, withdraw), the read receipt and the read rate.

A notice named in the path is loaded through `selectors.notice_get`, so one out of sight
is a 404 before any service runs; the service then decides whether the caller may act
(403). Bad input: 400 with a `code`.
"""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.community import selectors_notices as notices
from linli.community import services
from linli.community.models import Notice
from linli.community.schemas_notices import (
    NoticeActionIn,
    NoticeDetailOut,
    NoticeIn,
    NoticeOut,
    NoticePatchIn,
    NoticeReadOut,
    NoticeReadsOut,
)
from linli.community.selectors import notice_get
from linli.community.workflow import NOTICES
from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.media import private_file
from linli.orgs.models import Area
from linli.people.models import CareTag

router = Router(tags=["community"])


def _notice(request, notice_id: int) -> Notice:
    return notice_get(actor=request.user, notice_id=notice_id)


def _detail(request, notice_id: int) -> Notice:
    """The notice with `is_read` and the caller's `allowed_actions` (NoticeDetailOut)."""
    notice = notices.with_read(Notice.objects.filter(pk=notice_id),
                               request.user).select_related("area", "care_tag").get()
    notice.allowed_actions = NOTICES.actions_for(request.user, notice)  # type: ignore[attr-defined]
    return notice


def _care_tag(code: str | None) -> CareTag | None:
    if not code:
        return None
    tag = CareTag.objects.filter(code=code).first()
    if tag is None:
        raise ValidationFailed(_("Unknown care tag."), code="bad_care_tag")
    return tag


@router.get("/notices", response=list[NoticeOut])
@paginate(Pages, page_size=20)
def notice_list(request):
    """Notices the caller sees: residents those out now at or above their dwellings (with
    `is_read`); staff every notice of their reach in every state. Pinned first."""
    return notices.notice_list(request.user)


@router.post("/notices", response={201: NoticeDetailOut})
def notice_create(request, payload: NoticeIn):
    """Write a draft notice to a place the caller manages (403 `scope_not_yours`
    otherwise). Publish it with POST /notices/{notice_id}/actions/publish; add files with
    POST /notices/{notice_id}/attachments."""
    notice = services.notice_create(
        actor=request.user, area=Area.objects.filter(pk=payload.area_id).first(),
        kind=payload.kind, title=payload.title, body=payload.body,
        care_tag=_care_tag(payload.care_tag), pinned=payload.pinned,
        publish_at=payload.publish_at, expires_at=payload.expires_at)
    return Status(201, _detail(request, notice.pk))


@router.get("/notices/{notice_id}", response=NoticeDetailOut)
def notice_detail(request, notice_id: Id):
    """The notice with its files and the moves the caller may take. A resident of its
    audience reading it records the household's read receipt."""
    notice = _notice(request, notice_id)
    services.notice_read(actor=request.user, notice=notice)
    return _detail(request, notice_id)


@router.patch("/notices/{notice_id}", response=NoticeDetailOut)
def notice_update(request, notice_id: Id, payload: NoticePatchIn):
    """Change a draft (staff managing its place); a published notice only `pinned` and
    `expires_at` (400 `published`); a withdrawn one nothing. An older
    `expected_version`: 409 `stale`."""
    notice = _notice(request, notice_id)
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("expected_version", None)
    changes = {k: v for k, v in sent.items() if k not in ("area_id", "care_tag")}
    if "area_id" in sent:
        changes["area"] = Area.objects.filter(pk=sent["area_id"]).first()
    if "care_tag" in sent:
        changes["care_tag"] = _care_tag(sent["care_tag"])
    for required in ("kind", "title", "body", "pinned"):
        if required in changes and changes[required] is None:
            raise ValidationFailed(_("%(field)s may not be null.") % {"field": required},
                                   code="invalid")
    services.notice_update(actor=request.user, notice=notice, changes=changes,
                           expected_version=version)
    return _detail(request, notice_id)


@router.post("/notices/{notice_id}/attachments", response={201: NoticeDetailOut})
def notice_attachments(request, notice_id: Id,
                       photos: Annotated[list[UploadedFile] | None, File()] = None,
                       attachments: Annotated[list[UploadedFile] | None, File()] = None):
    """Add `photos` (JPEG/PNG/WebP, location data removed) and `attachments` (PDF) to a
    draft (multipart): at most 5 files a notice, each up to 10 MB."""
    notice = _notice(request, notice_id)
    services.notice_files_add(actor=request.user, notice=notice, photos=photos or (),
                              attachments=attachments or ())
    return Status(201, _detail(request, notice_id))


@router.get("/notices/{notice_id}/attachments/{attachment_id}",
            url_name="community_notice_attachment",
            openapi_extra={"responses": {200: {
                "description": "The photo or PDF document.",
                "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                    "format": "binary"}}}}}})
def notice_attachment(request, notice_id: Id, attachment_id: Id):
    """An attachment of a notice the caller sees."""
    f = notices.file_get(notice=_notice(request, notice_id), attachment_id=attachment_id)
    return private_file(f.file, f.content_type)


@router.post("/notices/{notice_id}/actions/{action}", response=NoticeDetailOut)
def notice_act(request, notice_id: Id, action: str, payload: NoticeActionIn):
    """Move the notice (staff managing its place): publish (a draft; its expiry after its
    publishing time), withdraw (a published notice, a `note` with the reason). A state
    that does not allow it: 400; an older `expected_version`: 409 `stale`."""
    notice = _notice(request, notice_id)
    services.notice_transition(actor=request.user, notice=notice, action=action,
                               note=payload.note, expected_version=payload.expected_version)
    return _detail(request, notice_id)


@router.post("/notices/{notice_id}/read", response=NoticeReadOut)
def notice_read(request, notice_id: Id):
    """Record the caller's household's read receipt (first reader wins; again: the same
    receipt). `counted` is false for staff and anyone not of the audience."""
    made = services.notice_read(actor=request.user, notice=_notice(request, notice_id))
    return {"counted": made is not None, "at": made.at if made else None}


@router.get("/notices/{notice_id}/reads", response=NoticeReadsOut)
def notice_reads(request, notice_id: Id):
    """The read rate on exact numbers (staff serving the place; 403 otherwise) and, for an
    urgent notice, the households that have not read it by building."""
    notice = _notice(request, notice_id)
    if not notices.may_see_reads(request.user, notice):
        raise PermissionDenied(_("Only staff of the place see who has read."),
                               code="not_staff")
    rate = notices.read_rate(notice)
    unread = None
    if notices.may_see_unread(request.user, notice):
        unread = [u for _b, group in notices.unread_households(notice) for u in group]
    return {"read": rate.read, "audience": rate.audience, "percent": rate.percent,
            "unread": unread}
