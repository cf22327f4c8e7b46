"""Co-building agreements and property-service ratings; urls.py gathers `urlpatterns`. The
names `agreements`, `agreement`, `property`, `property_rate` and `supervision` are the
contract other parts link to.

- `agreements`: the agreements in scope (unit, term, state, the year's fulfilment rate
  with its colour) and the per-unit table for a chosen year; each figure links to the
  deliveries behind it (`agreement` with `?year=`).
- `agreement`: its commitments with the year's figures, the deliveries (record, void),
  commitments added or removed while nothing is delivered, ended early with a reason.
- `property_rate`: a resident rates their estate's property company once a month.
- `property`: per estate and month (12 months) the count, item averages and overall
  score, low months marked; `?estate=&month=` lists the ratings behind a figure.
- `supervision`: a low month's item, its ratings' comments, history, resolve.

A refused form shows the page again with the reason and the status the API would answer.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts import scope
from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import Area, AreaKind, Unit
from linli.party import permissions, rates
from linli.party import selectors_agreements as sel
from linli.party.events import timeline
from linli.party.forms_agreements import (
    AgreementForm,
    CommitmentForm,
    DeliveryForm,
    NoteForm,
    RatingForm,
    first_invalid,
)
from linli.party.models import SCORE_ITEMS, Commitment, PropertyRating
from linli.party.selectors import agreements_visible
from linli.party.services import agreements as svc
from linli.party.services.property import (
    month_of,
    property_company,
    property_rate,
    supervision_resolve,
)
from linli.party.workflow import AGREEMENTS, SUPERVISIONS

ITEM_LABELS = {item: getattr(PropertyRating._meta.get_field(item), "verbose_name", item)
               for item in SCORE_ITEMS}


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= today.year + 1:
        return int(raw)
    return today.year


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


# --- agreements ---------------------------------------------------------------------------

@login_required
@require_GET
def agreement_list(request):
    if not permissions.sees_joint_work(request.user):
        raise Http404
    user = request.user
    year = _year(request)
    as_of = rates.as_of_for(year, timezone.localdate())
    agreements = list(agreements_visible(user).select_related("unit", "community")
                      .order_by("-starts_on", "pk")[:200])
    in_year = [a for a in agreements if a.starts_on.year <= year <= a.ends_on.year]
    tallies = rates.agreement_tallies(in_year, year, as_of)
    units = rates.unit_tallies(in_year, year, as_of)
    unit_rows = [{"unit": u, "tally": units[u.pk],
                  "agreements": [(a, tallies[a.pk]) for a in in_year if a.unit_id == u.pk]}
                 for u in Unit.objects.filter(pk__in=units).order_by("name")]
    rows = [{"agreement": a, "tally": tallies.get(a.pk)} for a in agreements]
    return render(request, "party/agreements/list.html", {
        "rows": rows, "unit_rows": unit_rows, "year": year, "as_of": as_of,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "may_create": permissions.is_party_staff(user),
    })


def _communities(user) -> list[Area]:
    paths = scope.area_paths(user, permissions.PARTY)
    found = []
    for p in paths:
        found += list(Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=p))
        found += [a for a in Area.objects.filter(kind=AreaKind.COMMUNITY)
                  if p.startswith(a.path)]
    return sorted({a.pk: a for a in found}.values(), key=lambda a: a.path)


def _units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("name")[:300])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    user = request.user
    if not permissions.is_party_staff(user):
        raise Http404
    context: dict[str, Any] = {"communities": _communities(user), "units": _units(),
                               "frequencies": svc.Frequency.choices}
    if request.method == "GET":
        return render(request, "party/agreements/new.html", context)
    form = AgreementForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        d = form.cleaned_data
        community = Area.objects.filter(pk=d["community"]).first()
        unit = Unit.objects.filter(pk=d["unit"]).first()
        if community is None or unit is None:
            raise ValidationFailed(str(_("Choose the community and the unit.")),
                                   code="bad_unit")
        made = svc.agreement_create(
            actor=user, community=community, unit=unit, title=d["title"],
            signed_on=d["signed_on"], starts_on=d["starts_on"], ends_on=d["ends_on"],
            commitments=[svc.CommitmentIn(what=d["what"], for_whom=d["for_whom"],
                                          frequency=d["frequency"], times=d["times"])])
    except ApplicationError as exc:
        context |= {"error": exc, "posted": request.POST}
        return render(request, "party/agreements/new.html", context, status=exc.status)
    messages.success(request, str(_("The agreement is recorded.")))
    return redirect("party:agreement", made.pk)


def _detail_context(request, agreement) -> dict[str, Any]:
    user = request.user
    year = _year(request)
    as_of = rates.as_of_for(year, timezone.localdate())
    commitments = list(agreement.commitments.all())
    deliveries = list(sel.deliveries_of(agreement))
    counted = [d for d in deliveries if d.voided_at is None and d.delivered_on.year == year]
    tallies = []
    for c in commitments:
        days = [d.delivered_on for d in counted if d.commitment_id == c.pk]
        tallies.append((c, rates.commitment_tally(c, agreement, days, year, as_of)))
    total = rates.Tally()
    for _c, t in tallies:
        total.add(t)
    keeps = permissions.keeps(user, agreement.area_path)
    active = agreement.state == "active"
    return {
        "agreement": agreement, "year": year, "as_of": as_of, "tallies": tallies,
        "total": total, "deliveries": deliveries, "counted": counted,
        "shown": [d for d in deliveries if d.delivered_on.year == year],
        "may_deliver": active and svc.may_deliver(user, agreement),
        "may_edit": active and keeps and not deliveries,
        "actions": AGREEMENTS.actions_for(user, agreement), "keeps": keeps,
        "frequencies": svc.Frequency.choices, "today": timezone.localdate(),
        "history": timeline(agreement, show_actor=keeps),
    }


def _agreement(request, agreement_id: int):
    return sel.agreement_get(actor=request.user, agreement_id=agreement_id)


def render_agreement(request, agreement, error: ApplicationError | None = None):
    context = _detail_context(request, agreement)
    if error is not None:
        context |= {"error": error, "posted": request.POST}
    return render(request, "party/agreements/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def agreement_detail(request, agreement_id: int):
    return render_agreement(request, _agreement(request, agreement_id))


def _act(request, agreement_id: int, work, done: str):
    """Load (404 out of sight), run the service, show the page again if refused."""
    agreement = _agreement(request, agreement_id)
    try:
        work(agreement)
    except ApplicationError as exc:
        return render_agreement(request, _agreement(request, agreement_id), error=exc)
    messages.success(request, done)
    return redirect("party:agreement", agreement.pk)


def _commitment(agreement, raw: str) -> Commitment:
    pk = _int(raw or "")
    found = agreement.commitments.filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationFailed(str(_("Choose a commitment of this agreement.")),
                               code="bad_commitment")
    return found


@login_required
@require_POST
def agreement_deliver(request, agreement_id: int):
    def work(agreement):
        form = DeliveryForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        d = form.cleaned_data
        svc.delivery_record(actor=request.user, commitment=_commitment(
            agreement, str(d["commitment"])), delivered_on=d["delivered_on"],
            given=d["given"], people_served=d["people_served"] or 0)
    return _act(request, agreement_id, work, str(_("The delivery is recorded.")))


@login_required
@require_POST
def agreement_void(request, agreement_id: int):
    def work(agreement):
        pk = _int(request.POST.get("delivery", ""))
        delivery = sel.deliveries_of(agreement).filter(pk=pk).first() if pk else None
        if delivery is None:
            raise ValidationFailed(str(_("Choose a delivery of this agreement.")),
                                   code="bad_delivery")
        svc.delivery_void(actor=request.user, delivery=delivery,
                          reason=request.POST.get("reason", "")[:200])
    return _act(request, agreement_id, work, str(_("The delivery is voided.")))


@login_required
@require_POST
def agreement_commit(request, agreement_id: int):
    def work(agreement):
        form = CommitmentForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        d = form.cleaned_data
        svc.commitment_add(actor=request.user, agreement=agreement, item=svc.CommitmentIn(
            what=d["what"], for_whom=d["for_whom"], frequency=d["frequency"],
            times=d["times"]))
    return _act(request, agreement_id, work, str(_("The commitment is added.")))


@login_required
@require_POST
def agreement_uncommit(request, agreement_id: int):
    def work(agreement):
        svc.commitment_remove(actor=request.user, commitment=_commitment(
            agreement, request.POST.get("commitment", "")))
    return _act(request, agreement_id, work, str(_("The commitment is removed.")))


@login_required
@require_POST
def agreement_end(request, agreement_id: int):
    def work(agreement):
        form = NoteForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        svc.agreement_end(actor=request.user, agreement=agreement,
                          reason=form.cleaned_data["note"],
                          expected_version=form.cleaned_data["version"])
    return _act(request, agreement_id, work, str(_("The agreement is ended.")))


# --- property service -----------------------------------------------------------------------

def _home(user):
    """The resident's household, estate and company (any of them None)."""
    from linli.people.selectors import own_record

    record = own_record(user)
    if record is None:
        return None, None, None
    estate = record.household.dwelling.ancestor_of_kind(AreaKind.ESTATE)
    unit = property_company(estate) if estate is not None else None
    return record.household, estate, unit


def _rate_context(user) -> dict[str, Any]:
    household, estate, unit = _home(user)
    month = month_of(timezone.localdate())
    sheet = (PropertyRating.objects.filter(household=household, month=month).first()
             if household is not None else None)
    return {"household": household, "estate": estate, "unit": unit, "month": month,
            "sheet": sheet, "items": [(i, ITEM_LABELS[i]) for i in SCORE_ITEMS],
            "scores": [(ITEM_LABELS[i], getattr(sheet, i)) for i in SCORE_ITEMS]
            if sheet is not None else [], "stars": range(1, 6)}


@login_required
@require_http_methods(["GET", "POST"])
def rate(request):
    user = request.user
    if request.method == "GET":
        return render(request, "party/property/rate.html", _rate_context(user))
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(str(_("Give every item a score from 1 to 5.")),
                                   code="bad_score")
        d = form.cleaned_data
        property_rate(actor=user, scores={i: d[i] for i in SCORE_ITEMS},
                      comment=d["comment"])
    except ApplicationError as exc:
        context = _rate_context(user) | {"error": exc, "posted": request.POST}
        return render(request, "party/property/rate.html", context, status=exc.status)
    messages.success(request, str(_("Thank you: your rating is recorded.")))
    return redirect("party:property_rate")


@login_required
@require_GET
def results(request):
    user = request.user
    today = timezone.localdate()
    since = sel.months_back(today)
    ratings = sel.ratings_visible(user).filter(month__gte=since)
    figures = sel.month_figures(ratings)
    estates = {a.pk: a for a in Area.objects.filter(pk__in={f.estate_id for f in figures})}
    by_estate: dict[int, list] = {}
    for f in figures:
        by_estate.setdefault(f.estate_id, []).append(f)
    order = sorted(by_estate, key=lambda pk: estates[pk].path)
    tables = [{"estate": estates[pk], "months": by_estate[pk]} for pk in order]
    context: dict[str, Any] = {
        "tables": tables, "labels": [ITEM_LABELS[i] for i in SCORE_ITEMS],
        "open_items": list(sel.open_supervisions(user)[:50]), "since": since,
        "is_follower": sel.is_follower(user),
        "chart": [{"name": estates[pk].name,
                   "points": [[f.month.strftime("%Y-%m"), str(f.overall)]
                              for f in reversed(by_estate[pk])]} for pk in order],
    }
    estate_id, month = _int(request.GET.get("estate", "")), request.GET.get("month", "")
    if estate_id and len(month) == 7:
        try:
            first = date(int(month[:4]), int(month[5:]), 1)
        except ValueError:
            first = None
        if first is not None:
            behind = list(ratings.filter(estate_id=estate_id, month=first).order_by("pk"))
            context |= {"behind": behind, "behind_estate": estates.get(estate_id),
                        "behind_month": first,
                        "show_comments": any(permissions.follows(user, r.area_path)
                                             for r in behind[:1])}
    return render(request, "party/property/results.html", context)


def _supervision(request, supervision_id: int):
    return sel.supervision_get(actor=request.user, supervision_id=supervision_id)


def render_supervision(request, item, error: ApplicationError | None = None):
    user = request.user
    ratings = list(PropertyRating.objects.filter(estate=item.estate, month=item.month)
                   .order_by("pk"))
    figures = sel.month_figures(PropertyRating.objects.filter(estate=item.estate,
                                                              month=item.month))
    staff = permissions.follows(user, item.area_path)
    context = {"item": item, "figures": figures[0] if figures else None,
               "labels": [ITEM_LABELS[i] for i in SCORE_ITEMS],
               "comments": [r.comment for r in ratings if r.comment] if staff else [],
               "actions": SUPERVISIONS.actions_for(user, item),
               "history": timeline(item, show_actor=staff)}
    if error is not None:
        context |= {"error": error, "posted": request.POST}
    return render(request, "party/property/supervision.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def supervision_detail(request, supervision_id: int):
    return render_supervision(request, _supervision(request, supervision_id))


@login_required
@require_POST
def supervision_act(request, supervision_id: int):
    item = _supervision(request, supervision_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        supervision_resolve(actor=request.user, item=item, note=form.cleaned_data["note"],
                            expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return render_supervision(request, _supervision(request, supervision_id), error=exc)
    messages.success(request, str(_("The supervision item is resolved.")))
    return redirect("party:supervision", item.pk)


urlpatterns = [
    path("agreements/", agreement_list, name="agreements"),
    path("agreements/new/", agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/", agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/deliver/", agreement_deliver,
         name="agreement_deliver"),
    path("agreements/<int:agreement_id>/void/", agreement_void, name="agreement_void"),
    path("agreements/<int:agreement_id>/commit/", agreement_commit, name="agreement_commit"),
    path("agreements/<int:agreement_id>/uncommit/", agreement_uncommit,
         name="agreement_uncommit"),
    path("agreements/<int:agreement_id>/end/", agreement_end, name="agreement_end"),
    path("property/", results, name="property"),
    path("property/rate/", rate, name="property_rate"),
    path("property/supervision/<int:supervision_id>/", supervision_detail,
         name="supervision"),
    path("property/supervision/<int:supervision_id>/resolve/", supervision_act,
         name="supervision_resolve"),
]
