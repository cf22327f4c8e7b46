"""Every write to the points ledger.

`posting` is the one way points move. It is idempotent by key (a retried or duplicated
confirmation never pays twice), locks both accounts in id order (concurrent postings cannot
deadlock), checks the balance for a readable message, and leaves the final word to the
database: the entry trigger moves the balances and the CHECK refuses an overdraft.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.points import ledger_sql
from linli.points.models import (
    Account,
    AccountKind,
    CapPeriod,
    EarningRule,
    Entry,
    EntryKind,
)

MAX_POSTING = 1_000_000
_KINDS = frozenset(EntryKind.values)  # built once: `.values` rebuilds a list on each use


def account_for(*, kind: str, community, owner=None) -> Account:
    """The account of `owner` (a resident) or of the community (issuer, store, hold)."""
    account, _created = Account.objects.get_or_create(kind=kind, community=community,
                                                      owner=owner)
    return account


def _same_posting(entry: Entry, debit: Account, credit: Account, amount: int,
                  kind: str) -> bool:
    return (entry.debit_id, entry.credit_id, entry.amount, entry.kind) == (
        debit.pk, credit.pk, amount, kind)


def _check_amount(amount) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationFailed(_("A posting moves a positive whole number of points."),
                               code="bad_amount")
    if amount > MAX_POSTING:
        raise ValidationFailed(_("A posting moves at most %(n)d points.") % {"n": MAX_POSTING},
                               code="bad_amount")
    return amount


def _replay(key: str, debit: Account, credit: Account, amount: int, kind: str):
    existing = Entry.objects.filter(key=key).first()
    if existing is None:
        return None
    if not _same_posting(existing, debit, credit, amount, kind):
        raise Conflict(_("This posting key was already used for a different posting."),
                       code="idempotency_mismatch")
    return existing


def accounts_lock(*accounts: Account) -> dict[int, Account]:
    """Lock the accounts' rows in id order, the one order every writer uses, so concurrent
    postings cannot deadlock; returns the fresh rows by id. Needs a transaction."""
    return {a.pk: a for a in Account.objects.select_for_update().filter(
        pk__in=[a.pk for a in accounts]).order_by("pk")}


def _lock(debit: Account, credit: Account) -> Account:
    """Lock both rows in id order; return the fresh debit account."""
    return accounts_lock(debit, credit)[debit.pk]


def _check_posting(key: str, kind: str, debit: Account, credit: Account, amount) -> int:
    amount = _check_amount(amount)
    if not key or len(key) > 128:
        raise ValidationFailed(_("A posting needs a key of at most 128 characters."))
    if debit.pk == credit.pk:
        raise ValidationFailed(_("A posting moves points between two different accounts."))
    if kind not in _KINDS:
        raise ValidationFailed(_("Unknown kind of posting."))
    return amount


def _not_written(key: str, debit: Account, credit: Account, amount: int, kind: str,
                 reverses: Entry | None) -> Entry:
    """The INSERT skipped a duplicate: a replay (answered with the first entry), the key
    reused for something else, or an entry reversed twice under different keys."""
    existing = _replay(key, debit, credit, amount, kind)
    if existing is not None:
        return existing
    if reverses is not None:
        raise Conflict(_("This posting has already been reversed."), code="already_reversed")
    raise Conflict(_("This posting could not be written; try again."))


@transaction.atomic
def posting(*, key: str, kind: str, debit: Account, credit: Account, amount: int,
            memo: str = "", actor=None, source: str = "", reverses: Entry | None = None,
            earning_action: str = "") -> Entry:
    """Move `amount` points from `debit` to `credit`, once per `key`: a replay returns the
    first entry. On its own, four round trips (see ledger_sql): BEGIN, lock, INSERT, COMMIT;
    inside a caller's transaction, a savepoint around the lock and the INSERT."""
    amount = _check_posting(key, kind, debit, credit, amount)
    debit_kind, balance = ledger_sql.lock_accounts(
        min(debit.pk, credit.pk), max(debit.pk, credit.pk))[debit.pk]
    if debit_kind != AccountKind.ISSUER and balance < amount:
        # A replay of a posting that went through before the points were spent is still
        # a replay, not an overdraft.
        existing = _replay(key, debit, credit, amount, kind)
        if existing is not None:
            return existing
        raise ValidationFailed(_("Not enough points: the balance is %(balance)d, %(amount)d "
                                 "needed.") % {"balance": balance, "amount": amount},
                               code="insufficient_points")
    values = {"key": key, "kind": kind, "debit_id": debit.pk, "credit_id": credit.pk,
              "amount": amount, "memo": memo[:200],
              "reverses_id": reverses.pk if reverses is not None else None,
              "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
              "earning_action": earning_action, "source": source[:64],
              "created_at": timezone.now()}
    try:
        entry = ledger_sql.insert_entry(values, {"debit": debit, "credit": credit,
                                                 "reverses": reverses})
    except IntegrityError:
        # Only a CHECK can still fail here (the lock and the balance test make it
        # unreachable unless something wrote past the service); the transaction is
        # rolled back by the atomic block on the way out.
        raise ValidationFailed(_("Not enough points for this posting."),
                               code="insufficient_points") from None
    if entry is None:
        return _not_written(key, debit, credit, amount, kind, reverses)
    return entry


@transaction.atomic
def entry_reverse(*, actor, entry: Entry, memo: str) -> Entry:
    """Correct a posting by moving the same amount back; the original stays as it was."""
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationFailed(_("A reversal cannot itself be reversed; post a new entry."))
    if not memo.strip():
        raise ValidationFailed(_("Say why the posting is reversed."), code="note_required")
    if Entry.objects.filter(reverses=entry).exists():
        raise Conflict(_("This posting has already been reversed."), code="already_reversed")
    reversal = posting(key=f"reversal:{entry.pk}", kind=EntryKind.REVERSAL,
                       debit=entry.credit, credit=entry.debit, amount=entry.amount,
                       memo=memo, actor=actor, source=entry.source, reverses=entry)
    audit_record(actor=actor, action="points.reversed", object_type="points.entry",
                 object_id=entry.pk, object_label=entry.key, changes={"memo": memo})
    return reversal


def _period_start(now: datetime, period: str) -> datetime:
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start.replace(month=1) if period == CapPeriod.YEAR else start


def _earned_in_period(account: Account, rule: EarningRule, now: datetime) -> int:
    since = _period_start(now, rule.cap_period)
    earned = Entry.objects.filter(credit=account, earning_action=rule.action,
                                  created_at__gte=since).aggregate(total=Sum("amount"))
    reversed_ = Entry.objects.filter(reverses__credit=account,
                                     reverses__earning_action=rule.action,
                                     reverses__created_at__gte=since).aggregate(
                                         total=Sum("amount"))
    return (earned["total"] or 0) - (reversed_["total"] or 0)


@transaction.atomic
def points_award(*, actor, community, resident, amount: int, key: str, source: str = "",
                 memo: str = "") -> Entry:
    """Pay a resident a fixed `amount` from the community's issuer, once per `key`: a replay
    returns the first entry and writes nothing, the same key for another amount is a
    Conflict."""
    issuer = account_for(kind=AccountKind.ISSUER, community=community)
    account = account_for(kind=AccountKind.RESIDENT, community=community, owner=resident)
    _lock(issuer, account)  # two racing awards under one key: the second sees the first
    replay = Entry.objects.filter(key=key).exists()
    entry = posting(key=key, kind=EntryKind.EARN, debit=issuer, credit=account, amount=amount,
                    memo=memo, actor=actor, source=source)
    if not replay:
        audit_record(actor=actor, action="points.earned", obj=resident,
                     changes={"amount": entry.amount, "source": source},
                     area_path=community.path)
    return entry


@transaction.atomic
def points_earned(*, actor, community, resident, action: str, units: int, key: str,
                  source: str = "", memo: str = "") -> Entry | None:
    """Pay a resident for `units` of `action` under the community's rule, within its cap.
    Returns None when there is no active rule or the cap is already reached; a replayed
    key returns the first entry."""
    rule = EarningRule.objects.filter(community=community, action=action,
                                      is_active=True).first()
    if rule is None or units <= 0:
        return None
    account = account_for(kind=AccountKind.RESIDENT, community=community, owner=resident)
    existing = Entry.objects.filter(key=key).first()
    if existing is not None:
        return existing
    amount = rule.points_per_unit * units
    issuer = account_for(kind=AccountKind.ISSUER, community=community)
    if rule.cap is not None:
        # Lock before counting, so two earnings cannot both fit under the cap; same id
        # order as every posting, so this cannot deadlock with them.
        _lock(issuer, account)
        room = rule.cap - _earned_in_period(account, rule, timezone.now())
        amount = min(amount, max(room, 0))
    if amount <= 0:
        return None
    entry = posting(key=key, kind=EntryKind.EARN, debit=issuer, credit=account,
                    amount=amount, memo=memo, actor=actor, source=source,
                    earning_action=action)
    audit_record(actor=actor, action="points.earned", obj=resident,
                 changes={"amount": amount, "action": action, "source": source},
                 area_path=community.path)
    return entry


# The name before `points_award` joined it; callers on other branches still use it.


# Entries the desk may correct by hand; the store's own entries are undone by cancelling.
CORRECTABLE = (EntryKind.EARN, EntryKind.GRANT)


@transaction.atomic
def entry_correct(*, actor, entry: Entry, memo: str) -> Entry:
    """A staff correction: reverse an earning or a grant, with the reason. Held, redeemed
    and released points belong to a redemption, which the desk cancels instead."""
    from linli.points.permissions import can_run_store

    account = entry.credit
    if not can_run_store(actor, account.community):
        raise PermissionDenied(_("Only the community's staff can reverse postings."))
    if entry.kind not in CORRECTABLE:
        raise ValidationFailed(_("Only earnings and grants can be reversed here; cancel the "
                                 "redemption instead."), code="not_correctable")
    return entry_reverse(actor=actor, entry=entry, memo=memo)
