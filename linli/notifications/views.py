"""The inbox page. Marking read works as a plain form post and, with HTMX, swaps the row."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.core.errors import NotFound
from linli.core.redirects import local_url
from linli.notifications import selectors, services


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(actor=request.user,
                                                unread=True if unread_only else None)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only,
        "unread_count": selectors.unread_count(actor=request.user)})


def _safe_link(request, link: str) -> str | None:
    return local_url(request, link) or None


@login_required
@require_POST
def read(request, notification_id: int):
    try:
        notification = selectors.notification_get(actor=request.user,
                                                  notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    notification = services.notification_mark_read(actor=request.user,
                                                   notification=notification)
    if request.POST.get("open") and _safe_link(request, notification.link):
        return redirect(notification.link)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_row.html", {"n": notification})
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_mark_all_read(actor=request.user)
    return redirect("notifications:inbox")
