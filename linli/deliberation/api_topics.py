"""The topics API (mounted under /api/deliberation): the list with the list page's filters,
raising a topic and adding its files, one topic with the moves the caller may take,
support, comments and their moderation, the screening moves and the progress notes.

Parse, call a selector or a service, serialize. A topic named in the path is loaded through
`selectors_topics.topic_get_scoped`, so one out of scope is a 404 before any service runs;
the service then decides whether the caller may act (403). A topic's files are served by
the page URL /deliberation/topics/{topic_id}/files/{index}/ (`files[].url`).
"""

from typing import Annotated

from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.cases.models import Category as CaseCategory
from linli.core.bounds import Id, Pages
from linli.core.listing import filter_words, unknown_value
from linli.deliberation import selectors_topics, services
from linli.deliberation.models import Category, Topic, TopicState
from linli.deliberation.schemas_topics import (
    CommentIn,
    CommentOut,
    HideIn,
    ProgressIn,
    TopicActionIn,
    TopicDetailOut,
    TopicIn,
    TopicOut,
    TopicProgressOut,
)
from linli.orgs.models import Area

router = Router(tags=["deliberation"])


def _topic(request, topic_id: int) -> Topic:
    return selectors_topics.topic_get_scoped(actor=request.user, topic_id=topic_id)


@router.get("/topics", response=list[TopicOut])
@paginate(Pages, page_size=20)
def topic_list(request, state: Annotated[list[str] | None, Query()] = None,
               category: str = "", area_id: Id | None = None, search: str = ""):
    """Topics the caller may see (residents: at or above their dwelling; staff: in, under
    or above their areas), open ones first, newest first. `state` repeats or takes a comma
    list; `area_id` keeps that place and everything under it; `search` looks in the
    title. An unknown state or category: 400."""
    if category and category not in Category.values:
        raise unknown_value("category")
    filters = selectors_topics.TopicFilters(
        state=filter_words(state, TopicState.values, "state"), category=category,
        area_id=area_id, search=search.strip()[:80])
    return selectors_topics.topic_list(actor=request.user, filters=filters)


@router.post("/topics", response={201: TopicDetailOut})
def topic_raise(request, payload: TopicIn):
    """Raise a topic in a place the caller lives in or serves (403 `place_not_yours`
    otherwise). Add photos and PDF documents with POST /topics/{topic_id}/files. The
    number of supporters it needs is the community's rule when it is raised."""
    area = Area.objects.filter(pk=payload.area_id).first()
    topic = services.topic_raise(actor=request.user, area=area, title=payload.title,
                                 category=payload.category, description=payload.description)
    return Status(201, _topic(request, topic.pk))


@router.post("/topics/{topic_id}/files", response={201: TopicDetailOut})
def topic_files(request, topic_id: Id,
                photos: Annotated[list[UploadedFile] | None, File()] = None,
                attachments: Annotated[list[UploadedFile] | None, File()] = None):
    """Add `photos` (JPEG/PNG/WebP up to 10 MB, location data removed) and `attachments`
    (PDF up to 10 MB) to a topic (multipart): by whoever raised it or staff of the place,
    while it is open; at most 9 files a topic (400 `too_many_files`)."""
    topic = _topic(request, topic_id)
    services.topic_files_add(actor=request.user, topic=topic, photos=photos or (),
                             attachments=attachments or ())
    return Status(201, _topic(request, topic_id))


@router.get("/topics/{topic_id}", response=TopicDetailOut)
def topic_detail(request, topic_id: Id):
    """The topic with its files, its public history and the moves the caller may take."""
    return _topic(request, topic_id)


@router.post("/topics/{topic_id}/support", response=TopicDetailOut)
def topic_support(request, topic_id: Id):
    """Support the topic (residents of its place, once: a second time 409
    `already_supported`). The support that reaches the number needed puts it on the
    agenda. Support is not withdrawn."""
    topic = _topic(request, topic_id)
    services.topic_support(actor=request.user, topic=topic)
    return _topic(request, topic_id)


@router.get("/topics/{topic_id}/comments", response=list[CommentOut])
@paginate(Pages, page_size=50)
def comment_list(request, topic_id: Id):
    """The discussion, oldest first. A hidden comment's text is null except for its
    author; the moderator's reason is shown to all."""
    topic = _topic(request, topic_id)
    return selectors_topics.comments_shown(request.user, topic)


@router.post("/topics/{topic_id}/comments", response={201: CommentOut})
def comment_add(request, topic_id: Id, payload: CommentIn):
    """Comment (residents and staff of the place) while the topic is not closed (400
    `topic_closed`); at most 1000 characters."""
    topic = _topic(request, topic_id)
    comment = services.comment_add(actor=request.user, topic=topic, text=payload.text)
    return Status(201, _shown(request, topic, comment.pk))


def _shown(request, topic: Topic, comment_id: int) -> dict:
    return next(c for c in selectors_topics.comments_shown(request.user, topic)
                if c["id"] == comment_id)


@router.post("/topics/{topic_id}/comments/{comment_id}/hide", response=CommentOut)
def comment_hide(request, topic_id: Id, comment_id: Id, payload: HideIn):
    """Hide a comment with a reason (staff of the place; 409 `already_hidden`). Nothing is
    deleted: its author still reads it with the reason."""
    topic = _topic(request, topic_id)
    comment = selectors_topics.comment_get(actor=request.user, topic=topic,
                                           comment_id=comment_id)
    services.comment_hide(actor=request.user, topic=topic, comment=comment,
                          reason=payload.reason)
    return _shown(request, topic, comment.pk)


@router.post("/topics/{topic_id}/actions/{action}", response=TopicDetailOut)
def topic_act(request, topic_id: Id, action: str, payload: TopicActionIn):
    """Move the topic (staff of its place): agenda; merge (`into_id`, another open topic
    of the same or a wider place); refer (grid workers and dispatchers: `category_id`, a
    case is reported with the topic's description and place and linked as `case_id`);
    decline (a `note`, published); complete (an adopted topic carried out, a `note`).
    A state that does not allow it: 400; `expected_version` older than the topic's: 409
    `stale`."""
    topic = _topic(request, topic_id)
    if action == "refer":
        category = (CaseCategory.objects.filter(pk=payload.category_id).first()
                    if payload.category_id is not None else None)
        services.topic_refer(actor=request.user, topic=topic, category=category,
                             note=payload.note, expected_version=payload.expected_version)
    else:
        services.topic_transition(actor=request.user, topic=topic, action=action,
                                  note=payload.note,
                                  expected_version=payload.expected_version,
                                  into_id=payload.into_id)
    return _topic(request, topic_id)


@router.get("/topics/{topic_id}/progress", response=list[TopicProgressOut])
@paginate(Pages, page_size=50)
def progress_list(request, topic_id: Id):
    """Notes on carrying out an adopted topic, oldest first."""
    return _topic(request, topic_id).progress.all()


@router.post("/topics/{topic_id}/progress", response={201: TopicProgressOut})
def progress_add(request, topic_id: Id, payload: ProgressIn):
    """Note progress on an adopted topic (staff of the place; 400 `not_adopted`
    otherwise): what was done, a case or volunteering task the caller sees, an amount in
    yuan."""
    topic = _topic(request, topic_id)
    made = services.progress_add(actor=request.user, topic=topic, note=payload.note,
                                 case_id=payload.case_id, task_id=payload.task_id,
                                 budget=payload.budget)
    return Status(201, made)
