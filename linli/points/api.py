"""The points API: balances and statements, corrections, the store and the earning rules.

Parse, call a selector or a service, serialize. Objects named in the path are loaded
through the selectors, so anything out of the caller's sight is a 404 before a service
runs; the service then decides whether the caller's role allows the write (403).
"""

import uuid
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.bounds import Id, Page, Pages
from linli.core.errors import ValidationFailed
from linli.points import catalogue, rules, selectors, store
from linli.points.models import Redemption
from linli.points.schemas import (
    AccountOut,
    CancelIn,
    ItemIn,
    ItemOut,
    ItemPatch,
    RedeemIn,
    RedemptionOut,
    RestockIn,
    ReverseIn,
    RuleIn,
    RuleOut,
    RulePatch,
    StatementOut,
)
from linli.points.services import entry_correct
from linli.points.statement import statement_page

router = Router(tags=["points"])
# Fields a PATCH may set to null on purpose (no limit, no cap); any other null is ignored.
NULLABLE = {"per_person_limit", "cap"}


def _changes(payload) -> dict:
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items()
            if v is not None or k in NULLABLE}


# --- balances and statements -------------------------------------------------------------

@router.get("/balance", response=list[AccountOut])
def balance(request):
    """The caller's own points: one account per community they earned points in."""
    return list(selectors.my_accounts(actor=request.user))


@router.get("/accounts", response=list[AccountOut])
@paginate(Pages, page_size=50)
def account_list(request, community_id: Id | None = None, q: str = "", mine: bool = False):
    """Points accounts the caller may read: their own (`mine=true` for only those) and, for
    staff, the residents' accounts in their communities."""
    if mine:
        return selectors.my_accounts(actor=request.user)
    community = (selectors.community_get(actor=request.user, community_id=community_id)
                 if community_id is not None else None)
    return selectors.account_list(actor=request.user, community=community, search=q)


@router.get("/accounts/{account_id}/statement", response=StatementOut)
def account_statement(request, account_id: Id, page: Page = 1):
    """Entries newest first, 50 a page, each with the balance just after it."""
    account = selectors.account_get(actor=request.user, account_id=account_id)
    statement = statement_page(account, page)
    return {"account": account, "page": statement.number, "pages": statement.num_pages,
            "count": statement.count, "entries": statement.lines}


@router.post("/entries/{entry_id}/reverse", response={201: dict})
def entry_reverse(request, entry_id: Id, payload: ReverseIn):
    """Staff correction of an earning or a grant: the same amount moves back, with `memo`."""
    entry = selectors.entry_get(actor=request.user, entry_id=entry_id)
    reversal = entry_correct(actor=request.user, entry=entry, memo=payload.memo)
    return Status(201, {"id": reversal.pk, "reverses_id": entry.pk, "amount": reversal.amount})


# --- the store ---------------------------------------------------------------------------

@router.get("/store/items", response=list[ItemOut])
@paginate(Pages, page_size=50)
def item_list(request, community_id: Id | None = None, all: bool = False):
    """The catalogue. Staff pass `all=true` to include items taken off offer."""
    community = (selectors.community_get(actor=request.user, community_id=community_id)
                 if community_id is not None else None)
    return selectors.item_list(actor=request.user, community=community, include_inactive=all)


@router.get("/store/items/{item_id}", response=ItemOut)
def item_detail(request, item_id: Id):
    return selectors.item_get(actor=request.user, item_id=item_id)


@router.post("/store/items", response={201: ItemOut})
def item_create(request, payload: ItemIn):
    data = payload.model_dump()
    community = selectors.community_get(actor=request.user,
                                        community_id=data.pop("community_id"))
    return Status(201, catalogue.item_create(actor=request.user, community=community, **data))


@router.patch("/store/items/{item_id}", response=ItemOut)
def item_update(request, item_id: Id, payload: ItemPatch):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    return catalogue.item_update(actor=request.user, item=item, **_changes(payload))


@router.post("/store/items/{item_id}/image", response=ItemOut)
def item_image(request, item_id: Id, image: File[UploadedFile]):
    """Replace the item's picture (JPEG, PNG or WebP; its metadata is stripped)."""
    item = selectors.item_get(actor=request.user, item_id=item_id)
    return catalogue.item_update(actor=request.user, item=item, image=image)


@router.post("/store/items/{item_id}/restock", response=ItemOut)
def item_restock(request, item_id: Id, payload: RestockIn):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    return catalogue.item_restock(actor=request.user, item=item, quantity=payload.quantity,
                                  note=payload.note)


@router.delete("/store/items/{item_id}", response={204: None})
def item_delete(request, item_id: Id):
    """Only an item nobody ever redeemed; otherwise 409: take it off offer instead."""
    item = selectors.item_get(actor=request.user, item_id=item_id)
    catalogue.item_delete(actor=request.user, item=item)
    return Status(204, None)


@router.post("/store/items/{item_id}/redeem", response={200: RedemptionOut, 201: RedemptionOut})
def item_redeem(request, item_id: Id, payload: RedeemIn,
                idempotency_key: Annotated[str, Header(alias="Idempotency-Key")] = ""):
    """Redeem: the points are held and the stock taken until the desk hands it over. A retry
    with the same `Idempotency-Key` answers 200 with the first redemption."""
    item = selectors.item_get(actor=request.user, item_id=item_id)
    key = idempotency_key or f"api:{uuid.uuid4()}"
    replay = bool(idempotency_key) and Redemption.objects.filter(
        resident=request.user, key=key).exists()
    redemption = store.redemption_place(actor=request.user, item=item,
                                        quantity=payload.quantity, key=key)
    return Status(200 if replay else 201, redemption)


@router.get("/store/redemptions", response=list[RedemptionOut])
@paginate(Pages, page_size=50)
def redemption_list(request, state: str = "", mine: bool = False,
                    community_id: Id | None = None):
    """The caller's redemptions and, for the desk, those of their communities."""
    community = (selectors.community_get(actor=request.user, community_id=community_id)
                 if community_id is not None else None)
    return selectors.redemption_list(actor=request.user, state=state, mine=mine,
                                     community=community)


@router.post("/store/redemptions/{redemption_id}/cancel", response=RedemptionOut)
def redemption_cancel(request, redemption_id: Id, payload: CancelIn):
    redemption = selectors.redemption_get(actor=request.user, redemption_id=redemption_id)
    return store.redemption_cancel(actor=request.user, redemption=redemption,
                                   note=payload.note)


@router.post("/store/redemptions/{redemption_id}/complete", response=RedemptionOut)
def redemption_complete(request, redemption_id: Id):
    """The desk hands the item over."""
    redemption = selectors.redemption_get(actor=request.user, redemption_id=redemption_id)
    return store.redemption_complete(actor=request.user, redemption=redemption)


# --- earning rules -----------------------------------------------------------------------

@router.get("/rules", response=list[RuleOut])
def rule_list(request, community_id: Id | None = None):
    community = (selectors.community_get(actor=request.user, community_id=community_id)
                 if community_id is not None else None)
    return list(selectors.rule_list(actor=request.user, community=community))


@router.post("/rules", response={201: RuleOut})
def rule_create(request, payload: RuleIn):
    data = payload.model_dump()
    community = selectors.community_get(actor=request.user,
                                        community_id=data.pop("community_id"))
    return Status(201, rules.earning_rule_create(actor=request.user, community=community,
                                                 **data))


@router.patch("/rules/{rule_id}", response=RuleOut)
def rule_update(request, rule_id: Id, payload: RulePatch):
    rule = selectors.rule_get(actor=request.user, rule_id=rule_id)
    changes = _changes(payload)
    if not changes:
        raise ValidationFailed(_("Nothing to change."))
    return rules.earning_rule_update(actor=request.user, rule=rule, **changes)
