"""Points pages: a resident's statement, the staff's view of residents' statements, and
corrections (reversals). Parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.points import permissions, selectors
from linli.points.forms import ReverseForm
from linli.points.models import Account, AccountKind, EntryKind
from linli.points.services import CORRECTABLE, entry_correct
from linli.points.statement import statement_page


def require(condition: bool) -> None:
    """Pages of a role the person does not hold do not exist for them."""
    if not condition:
        raise Http404


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@login_required
def index(request):
    if permissions.is_store_staff(request.user):
        return redirect("points:desk")
    if permissions.is_ledger_reader(request.user):
        return redirect("points:accounts")
    return redirect("points:me")


def _statement_context(request, account: Account) -> dict:
    statement = statement_page(account, _page_number(request))
    # Each kind's label once per page, not once per row (`get_kind_display` rebuilds the
    # choices and translates again on every call).
    labels = {kind: str(capfirst(label)) for kind, label in EntryKind.choices}
    return {"statement": statement, "account": account,
            "rows": [(line, labels.get(line.entry.kind, line.entry.kind),
                      source_label(line.entry.source)) for line in statement.lines]}


# What a posting was for, as a resident reads it: "volunteering.claim:22" is a key, not
# words. Sources of other apps are shown as they are.
SOURCE_LABELS = {"volunteering.claim": gettext_lazy("volunteer work #%(n)s"),
                 "store.redemption": gettext_lazy("redemption #%(n)s"),
                 "library.booking": gettext_lazy("service booking #%(n)s")}


def source_label(source: str) -> str:
    prefix, _sep, number = source.partition(":")
    label = SOURCE_LABELS.get(prefix)
    if label is None or not number.isdigit():
        return source
    return str(label) % {"n": number}


@login_required
def me(request):
    """My points: the balance and the statement of one of my accounts (one per community
    I live in and earned points in)."""
    accounts = list(selectors.my_accounts(actor=request.user))
    chosen = request.GET.get("community", "")
    account = next((a for a in accounts if str(a.community_id) == chosen),
                   accounts[0] if accounts else None)
    context: dict = {"accounts": accounts, "account": account,
                     "communities": permissions.resident_communities(request.user)}
    if account is not None:
        context |= _statement_context(request, account)
        context["query"] = f"community={account.community_id}"
    return render(request, "points/me.html", context)


@login_required
def account_list(request):
    require(permissions.is_ledger_reader(request.user))
    communities = list(selectors.staff_communities(actor=request.user))
    community = next((c for c in communities
                      if str(c.pk) == request.GET.get("community", "")), None)
    search = request.GET.get("q", "").strip()[:50]
    accounts = selectors.account_list(actor=request.user, community=community, search=search)
    accounts = accounts.exclude(owner=request.user)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    query = f"community={community.pk if community else ''}&q={search}"
    return render(request, "points/accounts.html", {
        "page": page, "communities": communities, "community": community,
        "search": search, "query": query})


def render_account(request, account: Account, error: ApplicationError | None = None,
                   posted_entry: int | None = None):
    context = _statement_context(request, account) | {
        "can_reverse": permissions.can_run_store(request.user, account.community),
        "correctable": CORRECTABLE, "reverse_form": ReverseForm(),
        "error": error, "posted_entry": posted_entry}
    return render(request, "points/account.html", context,
                  status=error.status if error is not None else 200)


@login_required
def account_detail(request, account_id: int):
    account = selectors.account_get(actor=request.user, account_id=account_id)
    if account.owner_id == request.user.pk:
        return redirect(f"/points/me/?community={account.community_id}")
    return render_account(request, account)


def _resident_side(entry) -> Account:
    return entry.credit if entry.credit.kind == AccountKind.RESIDENT else entry.debit


@login_required
@require_POST
def entry_reverse(request, entry_id: int):
    entry = selectors.entry_get(actor=request.user, entry_id=entry_id)
    account = _resident_side(entry)
    form = ReverseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Say why the posting is reversed."))
        entry_correct(actor=request.user, entry=entry, memo=form.cleaned_data["memo"])
    except ApplicationError as exc:
        return render_account(request, account, error=exc, posted_entry=entry.pk)
    messages.success(request, _("The posting was reversed."))
    return redirect("points:account", account.pk)
