"""Topics: raised, supported, discussed, screened and carried out.

- `topic_raise`: a resident or staff raises a topic in a place they may choose
  (`selectors_topics.place_choices`), with photos (cleaned of EXIF) and PDF attachments;
  the community's `supporters_needed` is copied onto it.
- `topic_support`: a resident of the scope supports once (the database's unique constraint
  says so, 409); the count goes up atomically and the one support that reaches the number
  needed moves the topic onto the agenda (`qualify`), exactly once.
- `comment_add` / `comment_hide`: discussion while the topic is open; staff of the place
  hide a comment with a reason; nothing is deleted.
- `topic_transition` (agenda, merge, decline, complete) and `topic_refer` (a case reported
  in one step and linked) go through the workflow (`TOPICS.transition`).
- `progress_add`: notes on carrying out an adopted topic; `topic_adopted`: the raiser's
  points under the community's earning rules.

Every write is audited; refusals are ValidationFailed (400), PermissionDenied (403),
NotFound (404) or Conflict (409), each with a code.
"""

import contextlib
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.models import Category as CaseCategory
from linli.cases.models import Channel
from linli.cases.selectors import case_list
from linli.cases.services import case_report
from linli.core.audit import audit_record
from linli.core.documents import CleanPdf, pdfs_clean
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.images import MAX_FILES, CleanImage, images_clean
from linli.deliberation import selectors_topics
from linli.deliberation.events import topic_event
from linli.deliberation.models import (
    MAX_COMMENT,
    MAX_TEXT,
    Category,
    Comment,
    Progress,
    Supporter,
    Topic,
    TopicEvent,
    TopicFile,
    TopicState,
)
from linli.deliberation.permissions import is_staff, lives_in
from linli.deliberation.selectors import topics_visible
from linli.deliberation.transitions import CLOSED
from linli.deliberation.workflow import TOPICS
from linli.orgs.models import Area
from linli.people.models import Resident
from linli.points.models import EarningAction
from linli.points.services import points_earned
from linli.volunteering.selectors import task_list

MAX_TITLE = 80
MAX_REASON = 200
MAX_CASE_TEXT = 2000
MAX_BUDGET = Decimal("9999999999.99")
SCREENING_ACTIONS = ("agenda", "merge", "decline", "complete")
SUPPORTABLE = (TopicState.RAISED, TopicState.AGENDA)


def _visible_or_404(actor, topic: Topic) -> None:
    if not topics_visible(actor).filter(pk=topic.pk).exists():
        raise NotFound(_("No such topic in your places."))


def _text(value: str, limit: int, *, empty: str, too_long: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(empty, code=f"{code}_required")
    if len(value) > limit:
        raise ValidationFailed(too_long, code=f"{code}_too_long")
    return value


# --- files -----------------------------------------------------------------------------------

def _check_files(topic: Topic | None, photos: Sequence, attachments: Sequence
                 ) -> tuple[list[CleanImage], list[CleanPdf]]:
    """Every file checked before anything is written: all pass or none."""
    already = topic.files.count() if topic is not None else 0
    if already + len(photos) + len(attachments) > MAX_FILES:
        raise ValidationFailed(_("A topic has at most %(n)d photos and attachments.") % {
            "n": MAX_FILES}, code="too_many_files")
    clean = [p for p in photos if isinstance(p, CleanImage)]
    images = clean + images_clean([p for p in photos if not isinstance(p, CleanImage)])
    return images, pdfs_clean(attachments)


def _store_files(actor, topic: Topic, images: list[CleanImage],
                 pdfs: list[CleanPdf]) -> list[TopicFile]:
    made = []
    for image in images:
        full, thumb = image.files(uuid.uuid4().hex)
        made.append(TopicFile.objects.create(
            topic=topic, file=full, thumbnail=thumb, content_type=image.content_type,
            name=f"photo.{image.extension}", added_by=actor))
    for pdf in pdfs:
        made.append(TopicFile.objects.create(
            topic=topic, file=ContentFile(pdf.content, name=f"{uuid.uuid4().hex}.pdf"),
            content_type="application/pdf", name=pdf.name, added_by=actor))
    return made


# --- raising ---------------------------------------------------------------------------------

def topic_raise(*, actor, area: Area | None, title: str, category: str, description: str,
                photos: Sequence = (), attachments: Sequence = (),
                now: datetime | None = None) -> Topic:
    """Raise a topic in `area` (a building, estate, community or street the actor may
    choose), with photos (JPEG/PNG/WebP, EXIF removed) and PDF attachments."""
    now = now or timezone.now()
    if area is None or not selectors_topics.place_choices(actor).filter(pk=area.pk).exists():
        raise PermissionDenied(_("Choose a place you live in or serve: your building, "
                                 "estate, community or street."), code="place_not_yours")
    title = _text(title, MAX_TITLE, empty=_("Give the topic a title."),
                  too_long=_("The title is at most 80 characters."), code="title")
    description = _text(description, MAX_TEXT, empty=_("Describe the topic."),
                        too_long=_("The description is at most 4000 characters."),
                        code="description")
    if category not in Category.values:
        raise ValidationFailed(_("Choose a category."), code="bad_category")
    images, pdfs = _check_files(None, photos, attachments)
    # counting imports this module (topic_adopted): its rules are read when needed.
    from linli.deliberation.services.counting import community_rules

    with transaction.atomic():
        topic = Topic.objects.create(
            area=area, area_path=area.path, title=title, description=description,
            category=category, raised_by=actor, raised_by_staff=is_staff(actor, area),
            supporters_needed=community_rules(area).supporters_needed)
        _store_files(actor, topic, images, pdfs)
        topic_event(topic, actor=actor, action="raise", from_state="",
                    to_state=topic.state, at=now)
        audit_record(actor=actor, action="topic.raise", obj=topic,
                     changes={"title": title, "category": category, "area": area.pk,
                              "files": len(images) + len(pdfs)},
                     area_path=topic.area_path)
    return topic


def topic_files_add(*, actor, topic: Topic, photos: Sequence = (),
                    attachments: Sequence = ()) -> list[TopicFile]:
    """More photos or attachments, by the raiser or staff of the place, while open."""
    _visible_or_404(actor, topic)
    if topic.raised_by_id != getattr(actor, "pk", None) and not is_staff(actor, topic.area):
        raise PermissionDenied(_("Only whoever raised the topic or staff add files to it."),
                               code="not_raiser")
    if topic.state in CLOSED:
        raise ValidationFailed(_("This topic is closed."), code="topic_closed")
    if not photos and not attachments:
        raise ValidationFailed(_("Choose a photo or a PDF document."), code="files_required")
    images, pdfs = _check_files(topic, photos, attachments)
    with transaction.atomic():
        made = _store_files(actor, topic, images, pdfs)
        audit_record(actor=actor, action="topic.files", obj=topic,
                     changes={"files": len(made)}, area_path=topic.area_path)
    return made


# --- support ---------------------------------------------------------------------------------

def topic_support(*, actor, topic: Topic, now: datetime | None = None) -> Topic:
    """Support once; the support that reaches the number needed puts the topic on the
    agenda (the system move `qualify`). Returns the topic reloaded."""
    now = now or timezone.now()
    _visible_or_404(actor, topic)
    if not lives_in(actor, topic.area):
        raise PermissionDenied(_("Only residents of this place support its topics."),
                               code="not_resident")
    if topic.state not in SUPPORTABLE:
        raise ValidationFailed(_("This topic no longer collects support."),
                               code="not_collecting")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Supporter.objects.create(topic=topic, user=actor)
        except IntegrityError:
            raise Conflict(_("You already support this topic: each resident supports it "
                             "once."), code="already_supported") from None
        Topic.objects.filter(pk=topic.pk).update(supporter_count=F("supporter_count") + 1)
        topic.refresh_from_db()
        audit_record(actor=actor, action="topic.support", obj=topic,
                     changes={"supporters": topic.supporter_count},
                     area_path=topic.area_path)
        if (topic.state == TopicState.RAISED
                and topic.supporter_count >= topic.supporters_needed):
            # The count's UPDATE holds the row until commit: only one support sees it
            # reach the number while the topic is still raised. The claim checks again.
            with contextlib.suppress(Conflict):
                TOPICS.system_move(topic, "qualify", now,
                                   data={"supporters": topic.supporter_count})
            topic.refresh_from_db()
    return topic


# --- discussion ------------------------------------------------------------------------------

def comment_add(*, actor, topic: Topic, text: str) -> Comment:
    _visible_or_404(actor, topic)
    if not (lives_in(actor, topic.area) or is_staff(actor, topic.area)):
        raise PermissionDenied(_("Only residents and staff of this place comment."),
                               code="not_resident")
    if topic.state in CLOSED:
        raise ValidationFailed(_("This topic is closed: comments are no longer taken."),
                               code="topic_closed")
    text = _text(text, MAX_COMMENT, empty=_("Write a comment."),
                 too_long=_("A comment is at most 1000 characters."), code="text")
    with transaction.atomic():
        comment = Comment.objects.create(topic=topic, author=actor, text=text)
        audit_record(actor=actor, action="topic.comment", obj=comment,
                     changes={"topic": topic.pk}, area_path=topic.area_path)
    return comment


def comment_hide(*, actor, topic: Topic, comment: Comment, reason: str,
                 now: datetime | None = None) -> Comment:
    """Staff of the place hide a comment with a reason; its author still reads it."""
    now = now or timezone.now()
    _visible_or_404(actor, topic)
    if comment.topic_id != topic.pk:
        raise NotFound(_("No such comment on this topic."))
    if not is_staff(actor, topic.area):
        raise PermissionDenied(_("Only staff of this place moderate its comments."),
                               code="not_staff")
    reason = _text(reason, MAX_REASON, empty=_("Give the reason for hiding the comment."),
                   too_long=_("The reason is at most 200 characters."), code="reason")
    with transaction.atomic():
        hidden = Comment.objects.filter(pk=comment.pk, hidden_at=None).update(
            hidden_at=now, hidden_by=actor, hidden_reason=reason)
        if not hidden:
            raise Conflict(_("This comment is already hidden."), code="already_hidden")
        audit_record(actor=actor, action="topic.comment_hide", obj=comment,
                     changes={"topic": topic.pk, "reason": reason},
                     area_path=topic.area_path)
    comment.refresh_from_db()
    return comment


# --- screening and the outcome ---------------------------------------------------------------

def topic_transition(*, actor, topic: Topic, action: str, note: str = "",
                     expected_version: int | None = None, into_id: int | None = None,
                     now: datetime | None = None) -> TopicEvent:
    """agenda, merge (into another topic the actor sees, `into_id`), decline (a published
    reason) or complete (an adopted topic carried out, a note). Refer: `topic_refer`."""
    _visible_or_404(actor, topic)
    if action == "refer":
        raise ValidationFailed(_("Refer a topic with its own form, choosing a category."),
                               code="unknown_action")
    if action not in SCREENING_ACTIONS:
        TOPICS.check(actor, topic, action, note or "", expected_version)  # 400 or 403
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    data: dict = {}
    if action == "merge":
        TOPICS.check(actor, topic, action, (note or "").strip(), expected_version)
        into = (topics_visible(actor).filter(pk=into_id).first()
                if into_id is not None else None)
        if into is None:
            raise ValidationFailed(_("Choose another topic to merge this one into."),
                                   code="merge_target")
        data["into"] = into
    with transaction.atomic():
        event = TOPICS.transition(actor=actor, obj=topic, action=action, note=note,
                                  expected_version=expected_version, now=now, data=data)
        if action == "complete":
            Topic.objects.filter(pk=topic.pk).update(outcome=event.note)
            topic.refresh_from_db()
    return event


def _leaf(category: CaseCategory | None) -> CaseCategory:
    if category is None or category.is_group or not category.is_active or not category.triage:
        raise ValidationFailed(_("Choose a specific, active category for the case."),
                               code="bad_category")
    return category


def topic_refer(*, actor, topic: Topic, category: CaseCategory | None, note: str = "",
                expected_version: int | None = None, now: datetime | None = None
                ) -> TopicEvent:
    """Refer the topic to the case loop: a case is reported in one step (the topic's
    description and place) and linked. Grid workers and dispatchers of the place."""
    now = now or timezone.now()
    note = (note or "").strip()
    _visible_or_404(actor, topic)
    TOPICS.check(actor, topic, "refer", note, expected_version)
    category = _leaf(category)
    if topic.area.kind == "street":
        raise ValidationFailed(_("A case is reported within a community: this topic is "
                                 "placed at the street."), code="bad_area")
    description = topic.description
    if note:
        description = f"{description}\n{note}"
    with transaction.atomic():
        case = case_report(actor=actor, category=category, area=topic.area,
                           description=description[:MAX_CASE_TEXT], title=topic.title[:100],
                           channel=Channel.GRID_PATROL, now=now)
        return TOPICS.transition(actor=actor, obj=topic, action="refer", note=note,
                                 expected_version=expected_version, now=now,
                                 data={"case": case})


# --- carrying out ----------------------------------------------------------------------------

def _budget(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("The amount is a number of yuan."), code="bad_amount") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise ValidationFailed(_("The amount is zero or more yuan."), code="bad_amount")
    return amount


def progress_add(*, actor, topic: Topic, note: str, case_id: int | None = None,
                 task_id: int | None = None, budget=None) -> Progress:
    """A note on carrying out an adopted topic, with a case and a volunteering task the
    staff member sees, and an amount in yuan."""
    _visible_or_404(actor, topic)
    if not is_staff(actor, topic.area):
        raise PermissionDenied(_("Only staff of this place note progress."), code="not_staff")
    if topic.state != TopicState.ADOPTED:
        raise ValidationFailed(_("Progress is noted on an adopted topic."),
                               code="not_adopted")
    note = _text(note, MAX_TEXT, empty=_("Write what was done."),
                 too_long=_("The note is at most 4000 characters."), code="note")
    case = None
    if case_id is not None:
        case = case_list(actor=actor).filter(pk=case_id).first()
        if case is None:
            raise ValidationFailed(_("No such case in your areas."), code="bad_case")
    task = None
    if task_id is not None:
        task = task_list(actor=actor).filter(pk=task_id).first()
        if task is None:
            raise ValidationFailed(_("No such volunteering task in your areas."),
                                   code="bad_task")
    amount = _budget(budget)
    with transaction.atomic():
        made = Progress.objects.create(topic=topic, by=actor, note=note, case=case,
                                       task=task, budget=amount)
        audit_record(actor=actor, action="topic.progress", obj=topic,
                     changes={"progress": made.pk, "case": case_id, "task": task_id,
                              "budget": str(amount) if amount is not None else None},
                     area_path=topic.area_path)
    return made


def topic_adopted(topic, now) -> None:
    """The topic was adopted: its raiser, when they are a registry resident
    (`Resident.user`), earns the points of the community's rule for an adopted proposal,
    once (the key). The points account belongs to the resident's login."""
    community = topic.area.ancestor_of_kind("community")
    if community is None or not Resident.objects.filter(user_id=topic.raised_by_id).exists():
        return
    points_earned(actor=None, community=community, resident=topic.raised_by,
                  action=EarningAction.ADOPTED_PROPOSAL, units=1,
                  key=f"deliberation-topic-{topic.pk}", source=f"deliberation.topic:{topic.pk}")
