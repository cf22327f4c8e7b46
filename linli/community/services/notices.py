"""Notices (公告): writing them, their files, their moves and the read receipts.

- `notice_create` / `notice_update`: staff who manage the place (`permissions.manages`)
  write a notice to a street, community, grid, estate or building, maybe only for a care
  group. A draft changes freely; a published notice only its pin and its expiry (what
  residents read must not change under them); a withdrawn one not at all.
- `notice_files_add`: photos (EXIF stripped) and PDFs, at most 5 a notice, each ≤ 10 MB.
- `notice_transition`: publish / withdraw through `workflow.NOTICES`; a notice published
  whose time has come is delivered to the inboxes at once (the sweep does the scheduled).
- `notice_read`: the reader's household's receipt, first reader wins, idempotent; only a
  resident of the audience counts (staff reading do not).
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community.models import (
    MAX_TEXT,
    Notice,
    NoticeFile,
    NoticeKind,
    NoticeRead,
    NoticeState,
)
from linli.community.permissions import manages
from linli.community.workflow import NOTICES
from linli.core.audit import audit_record
from linli.core.documents import CleanPdf, pdfs_clean
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.images import CleanImage, images_clean
from linli.orgs.models import Area

AREA_KINDS = ("street", "community", "grid", "estate", "building")
MAX_TITLE = 80
MAX_FILES = 5
DELIVER_TASK = "community.notice_deliver"
WHILE_PUBLISHED = {"pinned", "expires_at"}  # what a published notice may still change


def _area(actor, area: Area | None) -> Area:
    if area is None or area.kind not in AREA_KINDS:
        raise ValidationFailed(_("Choose a street, community, grid, estate or building."),
                               code="bad_area")
    if not manages(actor, area):
        raise PermissionDenied(_("You may publish notices only to places you manage."),
                               code="scope_not_yours")
    return area


def _text(value: str | None, limit: int, name: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("Write the %(name)s.") % {"name": name},
                               code=f"{code}_required")
    if len(value) > limit:
        raise ValidationFailed(_("The %(name)s is at most %(n)d characters.") % {
            "name": name, "n": limit}, code=f"{code}_too_long")
    return value


def _kind(kind: str) -> str:
    if kind not in NoticeKind.values:
        raise ValidationFailed(_("Choose the kind of notice."), code="bad_kind")
    return kind


def _times(publish_at: datetime, expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= publish_at:
        raise ValidationFailed(_("The notice must expire after it is published."),
                               code="bad_expiry")


def _aware(value: datetime | None) -> datetime | None:
    """An aware time in a sensible range (a year 1 would overflow on its way to UTC)."""
    if value is None:
        return None
    if not 2000 <= value.year <= 2999:
        raise ValidationFailed(_("Give a time between the years 2000 and 2999."),
                               code="bad_time")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# --- files -----------------------------------------------------------------------------------

def _check_files(already: int, photos: Sequence, attachments: Sequence
                 ) -> tuple[list[CleanImage], list[CleanPdf]]:
    """Every file checked before anything is written: all pass or none."""
    if already + len(photos) + len(attachments) > MAX_FILES:
        raise ValidationFailed(_("A notice has at most %(n)d photos and attachments.") % {
            "n": MAX_FILES}, code="too_many_files")
    return images_clean(photos), pdfs_clean(attachments)


def _store_files(actor, notice: Notice, images: list[CleanImage],
                 pdfs: list[CleanPdf]) -> None:
    for image in images:
        full, _thumb = image.files(uuid.uuid4().hex)
        NoticeFile.objects.create(notice=notice, file=full, content_type=image.content_type,
                                  name=f"photo.{image.extension}", added_by=actor)
    for pdf in pdfs:
        NoticeFile.objects.create(
            notice=notice, file=ContentFile(pdf.content, name=f"{uuid.uuid4().hex}.pdf"),
            content_type="application/pdf", name=pdf.name, added_by=actor)


# --- writing ---------------------------------------------------------------------------------

@transaction.atomic
def notice_create(*, actor, area: Area | None, kind: str, title: str, body: str,
                  care_tag=None, pinned: bool = False, publish_at: datetime | None = None,
                  expires_at: datetime | None = None, photos: Sequence = (),
                  attachments: Sequence = (), now: datetime | None = None) -> Notice:
    """A draft notice to `area` (publish it with `notice_transition`). `publish_at`
    defaults to now; a time ahead schedules it."""
    now = now or timezone.now()
    area = _area(actor, area)
    publish_at = _aware(publish_at) or now
    expires_at = _aware(expires_at)
    values = {"kind": _kind(kind), "title": _text(title, MAX_TITLE, _("title"), "title"),
              "body": _text(body, MAX_TEXT, _("text"), "text")}
    _times(publish_at, expires_at)
    images, pdfs = _check_files(0, photos, attachments)
    notice = Notice.objects.create(area=area, area_path=area.path, care_tag=care_tag,
                                   pinned=bool(pinned), publish_at=publish_at,
                                   expires_at=expires_at, created_by=actor, **values)
    _store_files(actor, notice, images, pdfs)
    audit_record(actor=actor, action="notice.create", obj=notice,
                 changes={"title": notice.title, "kind": notice.kind},
                 area_path=notice.area_path)
    return notice


@transaction.atomic
def notice_update(*, actor, notice: Notice, changes: dict[str, Any],
                  expected_version: int | None = None) -> Notice:
    """Change a draft (anything but its place's kind rules still apply), or a published
    notice's pin and expiry. `changes` holds only what the caller sends."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if not manages(actor, locked.area):
        raise PermissionDenied(_("You may not do this with this notice."))
    if expected_version is not None and expected_version != locked.version:
        raise Conflict(_("This changed since you opened it. Reload the page and check "
                         "before you act."), code="stale")
    if locked.state == NoticeState.WITHDRAWN:
        raise ValidationFailed(_("A withdrawn notice cannot be changed."), code="withdrawn")
    if locked.state == NoticeState.PUBLISHED and set(changes) - WHILE_PUBLISHED:
        raise ValidationFailed(_("A published notice changes only its pin and its expiry."),
                               code="published")
    values = _checked(actor, locked, changes)
    Notice.objects.filter(pk=locked.pk).update(version=F("version") + 1, **values)
    locked.refresh_from_db()
    audit_record(actor=actor, action="notice.update", obj=locked,
                 changes={k: str(v) for k, v in values.items() if k != "area"},
                 area_path=locked.area_path)
    return locked


def _checked(actor, notice: Notice, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "area" in changes:
        area = _area(actor, changes["area"])
        values |= {"area": area, "area_path": area.path}
    if "kind" in changes:
        values["kind"] = _kind(changes["kind"])
    if "title" in changes:
        values["title"] = _text(changes["title"], MAX_TITLE, _("title"), "title")
    if "body" in changes:
        values["body"] = _text(changes["body"], MAX_TEXT, _("text"), "text")
    if "care_tag" in changes:
        values["care_tag"] = changes["care_tag"]
    if "pinned" in changes:
        values["pinned"] = bool(changes["pinned"])
    if "publish_at" in changes:
        values["publish_at"] = _aware(changes["publish_at"]) or timezone.now()
    if "expires_at" in changes:
        values["expires_at"] = _aware(changes["expires_at"])
    _times(values.get("publish_at", notice.publish_at),
           values.get("expires_at", notice.expires_at))
    if (notice.state == NoticeState.PUBLISHED and values.get("expires_at")
            and values["expires_at"] <= timezone.now()):
        raise ValidationFailed(_("The new expiry must lie ahead."), code="bad_expiry")
    return values


@transaction.atomic
def notice_files_add(*, actor, notice: Notice, photos: Sequence = (),
                     attachments: Sequence = ()) -> Notice:
    """Attach photos and PDFs to a draft (what residents read must not change)."""
    if not manages(actor, notice.area):
        raise PermissionDenied(_("You may not do this with this notice."))
    if notice.state != NoticeState.DRAFT:
        raise ValidationFailed(_("Attach files while the notice is a draft."),
                               code="not_draft")
    if not photos and not attachments:
        raise ValidationFailed(_("Choose a photo or a PDF document."), code="files_required")
    images, pdfs = _check_files(notice.files.count(), photos, attachments)
    _store_files(actor, notice, images, pdfs)
    return notice


@transaction.atomic
def notice_transition(*, actor, notice: Notice, action: str, note: str = "",
                      expected_version: int | None = None,
                      now: datetime | None = None) -> Notice:
    """Publish or withdraw. Publishing a draft whose time has passed publishes it now (so
    residents see it at the top); its delivery follows the publish (NOTICE_AFTER)."""
    now = now or timezone.now()
    if (action == "publish" and notice.state == NoticeState.DRAFT
            and notice.publish_at < now and manages(actor, notice.area)):
        Notice.objects.filter(pk=notice.pk, state=NoticeState.DRAFT).update(publish_at=now)
        notice.publish_at = now
    NOTICES.transition(actor=actor, obj=notice, action=action, note=note,
                       expected_version=expected_version, now=now)
    return notice


# --- read receipts ---------------------------------------------------------------------------

def notice_read(*, actor, notice: Notice, now: datetime | None = None) -> NoticeRead | None:
    """The reader's household's receipt (the first reader's stays). None when the reader
    is not a resident of the notice's audience (staff, another place, the notice not out)."""
    from linli.community.selectors_notices import audience_record, is_out

    now = now or timezone.now()
    if not is_out(notice, now):
        return None
    record = audience_record(actor, notice)
    if record is None:
        return None
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, household_id=record.household_id, user=actor, at=now)],
        ignore_conflicts=True)
    return NoticeRead.objects.get(notice=notice, household_id=record.household_id)
