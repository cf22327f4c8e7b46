"""Posts with duties (设岗定责: list, create, assign, end a holding; a registered member
takes a post) and service hours (`service`: each in-service member's hours this year
against the target, who is behind, record and void a service record)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import Area
from linli.party import permissions
from linli.party import selectors_members as sel
from linli.party.forms_members import PickForm, PostForm, ServiceForm, VoidForm, first_invalid
from linli.party.services.posts import (
    holding_end,
    post_assign,
    post_create,
    post_take,
    service_record,
    service_void,
)
from linli.party.views_common import done, int_or_none, refused


def _links(user, communities: list[Area]) -> dict:
    """The volunteering tasks and activities of the staff's communities that the staff
    member sees through those apps' selectors (the service checks the community)."""
    from linli.community.selectors import activities_visible
    from linli.volunteering.selectors import task_list

    paths = [c.path for c in communities]

    def _ours(rows) -> list:
        return [r for r in rows if any(r.area_path.startswith(p) for p in paths)]

    return {"tasks": _ours(task_list(actor=user).order_by("-pk")[:100]),
            "activities": _ours(activities_visible(user).order_by("-pk")[:100])}


@login_required
@require_GET
def post_list(request):
    user = request.user
    staff = permissions.is_party_staff(user)
    member = permissions.own_member(user)
    if not staff and member is None:
        raise Http404
    posts = list(sel.post_list(actor=user))
    holdings: dict[int, list] = {}
    if staff:
        for h in (sel.PostHolding.objects.filter(post__in=posts, until__isnull=True)
                  .select_related("member")):
            holdings.setdefault(h.post_id, []).append(h)
    communities = sel.staff_communities(user)
    return render(request, "party/posts/list.html", {
        "rows": [(p, holdings.get(p.pk, [])) for p in posts], "is_staff": staff,
        "communities": communities, **(_links(user, communities) if staff else {}),
        "members": list(sel.member_list(actor=user)[:500]) if staff else [],
        "member": member})


@login_required
@require_POST
def post_new(request):
    from linli.community.models import Activity
    from linli.volunteering.models import Task

    form = PostForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        community = next((c for c in sel.staff_communities(request.user)
                          if c.pk == data["community"]), None)
        if community is None:
            raise ValidationFailed(str(_("Choose a community where you keep party work.")),
                                   code="bad_area")
        post_create(actor=request.user, community=community, name=data["name"],
                    duties=data["duties"], open_to_dual=data["open_to_dual"],
                    places=data["places"],
                    task=Task.objects.filter(pk=data["task"]).first() if data["task"] else None,
                    activity=(Activity.objects.filter(pk=data["activity"]).first()
                              if data["activity"] else None))
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:posts"))
    return done(request, _("The post is created."), "party:posts")


@login_required
@require_POST
def post_assign_view(request, post_id: int):
    post = sel.post_get(actor=request.user, post_id=post_id)
    try:
        member_id = int_or_none(request.POST.get("member")) or 0
        member = sel.member_list(actor=request.user).filter(pk=member_id).first()
        if member is None:
            raise ValidationFailed(str(_("Choose a member.")), code="invalid")
        post_assign(actor=request.user, post=post, member=member)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:posts"))
    return done(request, _("The post is assigned."), "party:posts")


@login_required
@require_POST
def post_end(request, post_id: int):
    post = sel.post_get(actor=request.user, post_id=post_id)
    form = PickForm(request.POST)
    form.is_valid()
    holding = post.holdings.filter(member_id=form.cleaned_data.get("member") or 0,
                                   until__isnull=True).first()
    try:
        if holding is None:
            raise ValidationFailed(str(_("This post is no longer held.")), code="ended")
        holding_end(actor=request.user, holding=holding)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:posts"))
    return done(request, _("The holding has ended."), "party:posts")


@login_required
@require_POST
def post_take_view(request, post_id: int):
    post = sel.post_get(actor=request.user, post_id=post_id)
    try:
        post_take(actor=request.user, post=post)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:me"))
    return done(request, _("You hold the post."), "party:me")


# --- service hours ------------------------------------------------------------------------

def _year(request) -> int:
    value = int_or_none(request.GET.get("year"))
    today = timezone.localdate()
    return value if value is not None and 2000 <= value <= today.year else today.year


@login_required
@require_GET
def service(request):
    user = request.user
    if not permissions.is_party_staff(user) and permissions.own_member(user) is None:
        raise Http404
    year = _year(request)
    rows = sel.service_summary(actor=user, year=year)
    staff = permissions.is_party_staff(user)
    return render(request, "party/service/list.html", {
        "year": year, "rows": rows, "behind": [r for r in rows if r.behind],
        "total": sum((r.total for r in rows), start=sel.Decimal(0)),
        "expected": sel.expected_hours(year, timezone.localdate()), "is_staff": staff,
        "records": list(sel.service_records(actor=user, year=year)[:100]),
        "posts": list(sel.post_list(actor=user)) if staff else [],
        "today": timezone.localdate()})


@login_required
@require_POST
def service_new(request):
    form = ServiceForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        member = sel.member_list(actor=request.user).filter(pk=data["member"]).first()
        if member is None:
            raise ValidationFailed(str(_("Choose a member.")), code="invalid")
        post = (sel.post_list(actor=request.user).filter(pk=data["post"]).first()
                if data["post"] else None)
        service_record(actor=request.user, member=member, served_on=data["served_on"],
                       hours=data["hours"], what=data["what"], post=post)
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:service"))
    return done(request, _("The service is recorded."), "party:service")


@login_required
@require_POST
def service_void_view(request, service_record_id: int):
    record = sel.service_record_get(actor=request.user, record_id=service_record_id)
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        service_void(actor=request.user, record=record, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return refused(request, exc, reverse("party:service"))
    return done(request, _("The record is void."), "party:service")


urlpatterns = [
    path("posts/", post_list, name="posts"),
    path("posts/new/", post_new, name="post_new"),
    path("posts/<int:post_id>/assign/", post_assign_view, name="post_assign"),
    path("posts/<int:post_id>/end/", post_end, name="post_end"),
    path("posts/<int:post_id>/take/", post_take_view, name="post_take"),
    path("service/", service, name="service"),
    path("service/new/", service_new, name="service_new"),
    path("service/<int:service_record_id>/void/", service_void_view, name="service_void"),
]
