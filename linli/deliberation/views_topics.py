"""The topics pages (议题). `urlpatterns` is gathered by urls.py; the names `topics`,
`topic_new` and `topic` are the contract other parts link to.

- `topics`: the list with filters (state, category, place, words of the title), open
  topics first, with the counts by state.
- `topic_new`: raise a topic with photos and PDF documents.
- `topic`: the topic (description, files, supporters n/needed with the support button,
  the public history, the comments with the comment form) and for staff the screening
  forms (only the moves `TOPICS.actions_for` offers), moderation and progress.
- POST actions: support, comment, hide a comment, a move, progress, more files.
- `topic_file` / `topic_thumb`: a file by its position, only to who sees the topic.

A refused form shows the page again with the reason and the status the API would answer,
the person's text kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.cases.models import Category as CaseCategory
from linli.cases.selectors import leaf_categories
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.images import MAX_FILES
from linli.core.listing import known_filters, query_without_page
from linli.core.media import private_file
from linli.deliberation import selectors_topics, services
from linli.deliberation.forms_topics import (
    FILTERS,
    CommentForm,
    HideForm,
    ProgressForm,
    TopicActionForm,
    TopicFilterForm,
    TopicForm,
    first_invalid,
)
from linli.deliberation.models import Category, Topic, TopicState
from linli.deliberation.permissions import is_staff, lives_in
from linli.deliberation.selectors import topics_visible
from linli.deliberation.transitions import CLOSED
from linli.deliberation.workflow import TOPICS
from linli.orgs.models import Area
from linli.orgs.paths import ancestor_paths

PAGE_SIZE = 20
RELOAD_CODES = {"stale", "conflict"}
PAGE_ACTIONS = ("agenda", "merge", "refer", "decline", "complete")
ACTION_LABELS = {"agenda": _("Put on the agenda"), "merge": _("Merge into another topic"),
                 "refer": _("Refer to a case"), "decline": _("Decline with a reason"),
                 "complete": _("Mark as carried out")}
EVENT_LABELS = {"raise": _("Raised"), "qualify": _("Reached its supporters"),
                "agenda": _("Put on the agenda"), "merge": _("Merged"),
                "refer": _("Referred to a case"), "decline": _("Declined"),
                "vote_opened": _("Vote opened"), "vote_ended": _("Vote ended without result"),
                "adopt": _("Adopted"), "reject": _("Not adopted"),
                "complete": _("Carried out")}
DONE = {"agenda": _("The topic is on the agenda."), "merge": _("The topic was merged."),
        "refer": _("A case was reported and linked."), "decline": _("The topic was declined."),
        "complete": _("The topic is marked as carried out.")}


# --- the list ----------------------------------------------------------------------------

@login_required
@require_GET
def topic_list(request):
    user = request.user
    places = Area.objects.filter(pk__in=topics_visible(user).values("area_id")).order_by(
        "depth", "path")
    form = TopicFilterForm(known_filters(request, FILTERS) or None, places=places)
    error = None
    if form.is_bound and not form.is_valid():
        error = ValidationFailed(form.first_error(), code="invalid")
        topics = Topic.objects.none()
    else:
        data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
        topics = selectors_topics.topic_list(actor=user, filters=selectors_topics.TopicFilters(
            state=data.get("state") or None, category=data.get("category") or "",
            area_id=data.get("area_id"), search=(data.get("search") or "").strip()))
    counts = dict(topics_visible(user).values_list("state").annotate(n=Count("pk")))
    open_count = sum(n for state, n in counts.items() if state not in CLOSED)
    page = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deliberation/topics/list.html", {
        "form": form, "page": page, "query": query_without_page(request), "error": error,
        "open_count": open_count, "all_count": sum(counts.values()),
        "can_raise": selectors_topics.place_choices(user).exists(),
    }, status=400 if error else 200)


# --- raising -----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request):
    user = request.user
    places = list(selectors_topics.place_choices(user))
    error = None
    if request.method == "POST":
        form = TopicForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(first_invalid(form), code="invalid")
            data = form.cleaned_data
            topic = services.topic_raise(
                actor=user, area=Area.objects.filter(pk=data["area"]).first(),
                title=data["title"], category=data["category"],
                description=data["description"], photos=request.FILES.getlist("photos"),
                attachments=request.FILES.getlist("attachments"))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, str(_("Your topic is raised: residents may support "
                                            "it now.")))
            return redirect("deliberation:topic", topic.pk)
    return render(request, "deliberation/topics/new.html", {
        "places": places, "categories": Category.choices, "error": error,
        "posted": request.POST if error else {}, "max_files": MAX_FILES,
    }, status=error.status if error else 200)


# --- one topic ---------------------------------------------------------------------------

def _state(value: str) -> str:
    return str(TopicState(value).label) if value in TopicState.values else ""


def _history(topic: Topic) -> list[dict[str, Any]]:
    return [{"event": e, "label": EVENT_LABELS.get(e.action, e.action),
             "from": _state(e.from_state), "to": _state(e.to_state)}
            for e in selectors_topics.public_events(topic)]


def _files(topic: Topic) -> tuple[list, list]:
    photos: list[dict] = []
    documents: list[dict] = []
    for index, f in enumerate(topic.files.order_by("pk")):
        (photos if f.thumbnail else documents).append({"index": index, "file": f})
    return photos, documents


def _detail_context(user, topic: Topic) -> dict[str, Any]:
    actions = [a for a in TOPICS.actions_for(user, topic) if a in PAGE_ACTIONS]
    staff = is_staff(user, topic.area)
    photos, documents = _files(topic)
    needed = max(topic.supporters_needed, 1)
    context: dict[str, Any] = {
        "topic": topic, "raiser": selectors_topics.raiser_name(user, topic),
        "photos": photos, "documents": documents, "events": _history(topic),
        "comments": [c | {"form": f"hide-{c['id']}"}
                     for c in selectors_topics.comments_shown(user, topic)],
        "actions": [(a, ACTION_LABELS[a]) for a in actions], "is_staff": staff,
        "percent": min(100, topic.supporter_count * 100 // needed),
        "supported": selectors_topics.supports(user, topic),
        "can_support": (lives_in(user, topic.area)
                        and topic.state in (TopicState.RAISED, TopicState.AGENDA)),
        "can_comment": ((lives_in(user, topic.area) or staff) and topic.state not in CLOSED),
        "can_add_files": ((staff or topic.raised_by_id == user.pk)
                          and topic.state not in CLOSED),
        "progress": list(topic.progress.all()), "max_files": MAX_FILES,
        "can_progress": staff and topic.state == TopicState.ADOPTED,
        "merged_into": (topics_visible(user).filter(pk=topic.merged_into_id).first()
                        if topic.merged_into_id else None),
        **selectors_topics.topic_links(user, topic),
    }
    if "merge" in actions:
        context["merge_targets"] = (topics_visible(user).exclude(pk=topic.pk)
                                    .exclude(state__in=sorted(CLOSED))
                                    .filter(area_path__in=_above(topic)).order_by("-pk")[:50])
    if "refer" in actions:
        context["category_groups"] = leaf_categories()
    return context


def _above(topic: Topic) -> list[str]:
    return ancestor_paths(topic.area_path)


def render_detail(request, topic: Topic, error: ApplicationError | None = None,
                  form_id: str = ""):
    context = _detail_context(request.user, topic)
    if error is not None:
        context |= {"error": error, "error_reload": error.code in RELOAD_CODES,
                    "posted": request.POST, "form_id": form_id}
    return render(request, "deliberation/topics/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, topic_id: int) -> Topic:
    return selectors_topics.topic_get_scoped(actor=request.user, topic_id=topic_id)


@login_required
@require_GET
def topic_detail(request, topic_id: int):
    return render_detail(request, _get(request, topic_id))


@login_required
@require_POST
def topic_support(request, topic_id: int):
    topic = _get(request, topic_id)
    try:
        services.topic_support(actor=request.user, topic=topic)
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id="support")
    messages.success(request, str(_("Thank you for your support.")))
    return redirect("deliberation:topic", topic.pk)


@login_required
@require_POST
def topic_comment(request, topic_id: int):
    topic = _get(request, topic_id)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.comment_add(actor=request.user, topic=topic, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id="comment")
    return redirect(f"{topic_url(topic)}#comments")


@login_required
@require_POST
def comment_hide(request, topic_id: int, comment_id: int):
    topic = _get(request, topic_id)
    comment = selectors_topics.comment_get(actor=request.user, topic=topic,
                                           comment_id=comment_id)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.comment_hide(actor=request.user, topic=topic, comment=comment,
                              reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id=f"hide-{comment.pk}")
    messages.success(request, str(_("The comment is hidden.")))
    return redirect(f"{topic_url(topic)}#comments")


@login_required
@require_POST
def topic_act(request, topic_id: int, action: str):
    topic = _get(request, topic_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = TopicActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        if action == "refer":
            category = (CaseCategory.objects.filter(pk=data["category"]).first()
                        if data["category"] else None)
            services.topic_refer(actor=request.user, topic=topic, category=category,
                                 note=data["note"], expected_version=data["version"])
        else:
            services.topic_transition(actor=request.user, topic=topic, action=action,
                                      note=data["note"], expected_version=data["version"],
                                      into_id=data["into"])
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    return redirect("deliberation:topic", topic.pk)


@login_required
@require_POST
def progress_add(request, topic_id: int):
    topic = _get(request, topic_id)
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        services.progress_add(actor=request.user, topic=topic, note=data["note"],
                              case_id=data["case"], task_id=data["task"],
                              budget=data["budget"])
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id="progress")
    messages.success(request, str(_("Progress noted.")))
    return redirect(f"{topic_url(topic)}#progress")


@login_required
@require_POST
def topic_files_add(request, topic_id: int):
    topic = _get(request, topic_id)
    try:
        services.topic_files_add(actor=request.user, topic=topic,
                                 photos=request.FILES.getlist("photos"),
                                 attachments=request.FILES.getlist("attachments"))
    except ApplicationError as exc:
        return render_detail(request, topic, error=exc, form_id="files")
    messages.success(request, str(_("Files added.")))
    return redirect("deliberation:topic", topic.pk)


def topic_url(topic: Topic) -> str:
    return reverse("deliberation:topic", args=[topic.pk])


# --- files -------------------------------------------------------------------------------

@login_required
@require_GET
def topic_file(request, topic_id: int, index: int):
    f = selectors_topics.topic_file(actor=request.user, topic_id=topic_id, index=index)
    response = private_file(f.file, f.content_type)
    if f.content_type == "application/pdf":
        response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def topic_thumb(request, topic_id: int, index: int):
    f = selectors_topics.topic_file(actor=request.user, topic_id=topic_id, index=index)
    if not f.thumbnail:
        raise Http404
    return private_file(f.thumbnail, f.content_type)


urlpatterns: list = [
    path("topics/", topic_list, name="topics"),
    path("topics/new/", topic_new, name="topic_new"),
    path("topics/<int:topic_id>/", topic_detail, name="topic"),
    path("topics/<int:topic_id>/support/", topic_support, name="topic_support"),
    path("topics/<int:topic_id>/comments/", topic_comment, name="topic_comment"),
    path("topics/<int:topic_id>/comments/<int:comment_id>/hide/", comment_hide,
         name="comment_hide"),
    path("topics/<int:topic_id>/act/<str:action>/", topic_act, name="topic_act"),
    path("topics/<int:topic_id>/progress/", progress_add, name="topic_progress"),
    path("topics/<int:topic_id>/files/", topic_files_add, name="topic_files"),
    path("topics/<int:topic_id>/files/<int:index>/", topic_file, name="topic_file"),
    path("topics/<int:topic_id>/files/<int:index>/thumb/", topic_thumb, name="topic_thumb"),
]
