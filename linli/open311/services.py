"""Writes about Open311 itself: jurisdictions, API keys, the per-key rate limit.
Filing a request (a case) is in `intake.py`."""

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import RoleAssignment
from linli.cases.models import Category
from linli.core.audit import audit_record
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.open311 import permissions
from linli.open311.models import (
    LIST_TYPES,
    ApiKey,
    Datatype,
    Jurisdiction,
    RateCount,
    ServiceAttribute,
)
from linli.orgs.models import Area, AreaKind
from linli.orgs.services import area_insert

KEY_PREFIX = "o311_"
MAX_RATE = 10_000
_JURISDICTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_ATTRIBUTE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_communities(actor, communities: Sequence[Area]) -> None:
    if not communities:
        raise ValidationFailed(_("Choose at least one community."), code="no_community")
    if any(c.kind != AreaKind.COMMUNITY for c in communities):
        raise ValidationFailed(_("Choose communities, not other kinds of area."),
                               code="not_community")
    if not permissions.can_manage_communities(actor, communities):
        raise PermissionDenied(_("You administer only some of these communities."))


def _check_key_fields(app_name: str, rate_limit: int) -> str:
    app_name = (app_name or "").strip()
    if not app_name or len(app_name) > 100:
        raise ValidationFailed(_("Name the app in 1-100 characters."), code="bad_name")
    if not 1 <= rate_limit <= MAX_RATE:
        raise ValidationFailed(_("The rate limit is between 1 and %(most)d requests a "
                                 "minute.") % {"most": MAX_RATE}, code="bad_rate")
    return app_name


@transaction.atomic
def api_key_issue(*, actor, app_name: str, communities: Sequence[Area],
                  rate_limit: int = 60) -> tuple[ApiKey, str]:
    """A new key for an app, scoped to `communities`. Returns the key row and the key
    itself, which is shown this once and never stored."""
    communities = list(communities)
    app_name = _check_key_fields(app_name, rate_limit)
    _check_communities(actor, communities)
    # 48 random bits: a clash on the unique prefix is vanishingly rare.
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey.objects.create(app_name=app_name, prefix=prefix, key_hash=_hash(secret),
                                rate_limit=rate_limit,
                                created_by=actor if getattr(actor, "pk", None) else None)
    key.communities.set(communities)
    audit_record(actor=actor, action="open311.key_issued", obj=key,
                 changes={"app": app_name, "communities": [c.pk for c in communities],
                          "rate_limit": rate_limit})
    return key, f"{KEY_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_key_update(*, actor, api_key: ApiKey, app_name: str, communities: Sequence[Area],
                   rate_limit: int) -> ApiKey:
    communities = list(communities)
    if not permissions.can_manage_key(actor, api_key):
        raise PermissionDenied(_("You may not change this key."))
    app_name = _check_key_fields(app_name, rate_limit)
    _check_communities(actor, communities)
    before = {"app": api_key.app_name, "rate_limit": api_key.rate_limit,
              "communities": sorted(api_key.communities.values_list("pk", flat=True))}
    ApiKey.objects.filter(pk=api_key.pk).update(app_name=app_name, rate_limit=rate_limit)
    api_key.communities.set(communities)
    api_key.refresh_from_db()
    after = {"app": app_name, "rate_limit": rate_limit,
             "communities": sorted(c.pk for c in communities)}
    audit_record(actor=actor, action="open311.key_updated", obj=api_key,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return api_key


@transaction.atomic
def api_key_revoke(*, actor, api_key: ApiKey) -> None:
    if not permissions.can_manage_key(actor, api_key):
        raise PermissionDenied(_("You may not revoke this key."))
    if ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()):
        audit_record(actor=actor, action="open311.key_revoked", obj=api_key)
    api_key.refresh_from_db()


def api_key_lookup(raw: str) -> ApiKey | None:
    """The key a client sent, whatever its state; None if it names no key."""
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix, _sep, secret = raw[len(KEY_PREFIX):].partition("_")
    key = ApiKey.objects.filter(prefix=prefix).first() if prefix and secret else None
    if key is None or not secrets.compare_digest(key.key_hash, _hash(secret)):
        return None
    return key


def _count_up(api_key: ApiKey, minute: int) -> int:
    """Add one to the key's count for `minute` and return the count. The increment is a
    single UPDATE, so concurrent requests in any process never lose one."""
    rows = RateCount.objects.filter(api_key=api_key, minute=minute)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCount.objects.create(api_key=api_key, minute=minute, count=1)
        except IntegrityError:  # another request opened this minute first
            rows.update(count=F("count") + 1)
        else:
            # A new minute: the key's older counts are no longer needed.
            RateCount.objects.filter(api_key=api_key, minute__lt=minute).delete()
            return 1
    return rows.values_list("count", flat=True).get()


def rate_check(api_key: ApiKey, now: datetime | None = None) -> None:
    """At most `rate_limit` requests per key per clock minute, refused ones included. The
    count is kept in the database (not a per-process cache), so the limit holds however
    many web processes serve the site."""
    now = now or timezone.now()
    if _count_up(api_key, int(now.timestamp() // 60)) > api_key.rate_limit:
        raise RateLimited(_("Too many requests with this api_key; try again in a minute."))


def api_key_check(raw: str, community: Area) -> ApiKey:
    """The key for a write into `community`: valid, not revoked, scoped to it, within its
    rate. A wrong key and a key of another community are both a 403."""
    key = api_key_lookup((raw or "").strip())
    if key is None or key.revoked_at is not None:
        raise PermissionDenied(_("Missing, invalid or revoked api_key."), code="bad_api_key")
    if not key.communities.filter(pk=community.pk).exists():
        raise PermissionDenied(_("This api_key may not file requests in this jurisdiction."),
                               code="api_key_scope")
    rate_check(key)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def _other_jurisdictions(jurisdiction: Jurisdiction | None) -> QuerySet[Jurisdiction]:
    rows = Jurisdiction.objects.select_related("community")
    return rows.exclude(pk=jurisdiction.pk) if jurisdiction and jurisdiction.pk else rows


def _check_jurisdiction(actor, jurisdiction: Jurisdiction | None, jurisdiction_id: str,
                        community: Area) -> None:
    if not _JURISDICTION_ID.match(jurisdiction_id):
        raise ValidationFailed(_("A jurisdiction id is 1-100 letters, digits, dots, dashes "
                                 "or underscores, such as hualou.example.gov.cn."),
                               code="bad_jurisdiction_id")
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("A jurisdiction is one community."), code="not_community")
    areas = [community] + ([jurisdiction.community] if jurisdiction else [])
    if not all(permissions.can_manage_jurisdiction(actor, area) for area in areas):
        raise PermissionDenied(_("You do not administer this community."))
    others = _other_jurisdictions(jurisdiction)
    if others.filter(jurisdiction_id__iexact=jurisdiction_id).exists():
        raise ValidationFailed(_("This jurisdiction id is taken."), code="taken")
    if others.filter(community=community).exists():
        raise ValidationFailed(_("This community is already published."), code="taken")


def _staffed(community: Area) -> bool:
    """Whether anyone holds a role on the community, above it or below it: anyone who
    would then see what is filed there in a queue."""
    around = Q(area_id__in=community.ancestor_ids) | Q(area__path__startswith=community.path)
    return RoleAssignment.objects.filter(around).exists()


def _check_sandbox(community: Area, is_default: bool) -> None:
    if is_default:
        raise ValidationFailed(_("A sandbox cannot be the default jurisdiction: the default "
                                 "answers apps on the production endpoint."),
                               code="sandbox_default")
    if _staffed(community):
        raise ValidationFailed(_("A sandbox needs a community nobody staffs, or test "
                                 "requests would reach a real queue: use `linli "
                                 "open311_jurisdiction add-sandbox`, which makes one."),
                               code="sandbox_staffed")


@transaction.atomic
def jurisdiction_save(*, actor, jurisdiction: Jurisdiction | None, jurisdiction_id: str,
                      community: Area, is_default: bool = False,
                      is_active: bool = True, is_sandbox: bool = False) -> Jurisdiction:
    """Publish `community` under `jurisdiction_id` (a new row when `jurisdiction` is
    None). Making it the default takes the default from any other. A sandbox is served
    only at the test endpoint, on a community nobody staffs."""
    jurisdiction_id = (jurisdiction_id or "").strip()
    _check_jurisdiction(actor, jurisdiction, jurisdiction_id, community)
    if is_sandbox:
        _check_sandbox(community, is_default)
    if is_default:
        current = _other_jurisdictions(jurisdiction).filter(is_default=True)
        if not all(permissions.can_manage_jurisdiction(actor, j.community) for j in current):
            raise PermissionDenied(_("Another community is the default; only its "
                                     "administrators can take that from it."))
        current.update(is_default=False)
    row = jurisdiction or Jurisdiction()
    row.jurisdiction_id, row.community, row.is_default = jurisdiction_id, community, is_default
    row.is_active, row.is_sandbox = is_active, is_sandbox
    row.save()
    audit_record(actor=actor, action="open311.jurisdiction_saved", obj=row,
                 changes={"jurisdiction_id": jurisdiction_id, "community": community.pk,
                          "is_default": is_default, "is_active": is_active,
                          "is_sandbox": is_sandbox},
                 area_path=community.path)
    return row


def _check_values(datatype: str, values) -> list[dict[str, str]]:
    if datatype not in LIST_TYPES:
        if values:
            raise ValidationFailed(_("Only list questions have choices."), code="bad_values")
        return []
    ok = isinstance(values, list) and values and all(
        isinstance(v, dict) and str(v.get("key", "")).strip() and str(v.get("name", "")).strip()
        for v in values)
    if not ok:
        raise ValidationFailed(_('List questions need choices: [{"key": "1", "name": "…"}].'),
                               code="bad_values")
    keys = [str(v["key"]).strip() for v in values]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(_("Each choice needs its own key."), code="bad_values")
    return [{"key": k, "name": str(v["name"]).strip()} for k, v in zip(keys, values,
                                                                          strict=True)]


@transaction.atomic
def attribute_save(*, actor, attribute: ServiceAttribute | None, category: Category,
                   code: str, datatype: str, description: str, order: int,
                   required: bool = False, variable: bool = True,
                   datatype_description: str = "", values=None) -> ServiceAttribute:
    """Add or change one of a category's Open311 questions."""
    if not permissions.can_manage_services(actor):
        raise PermissionDenied(_("Only administrators of the whole tree set these questions."))
    if category is None or category.is_group:
        raise ValidationFailed(_("Questions belong to a specific category."))
    if not _ATTRIBUTE_CODE.match(code or "") or datatype not in Datatype.values:
        raise ValidationFailed(_("A code is 1-50 letters, digits, - or _, with a known "
                                 "type."), code="bad_code")
    if not (description or "").strip() or order < 1:
        raise ValidationFailed(_("Write the question, and give it a positive order."))
    row = attribute or ServiceAttribute()
    row.category, row.code, row.datatype, row.order = category, code, datatype, order
    row.description, row.datatype_description = description.strip(), datatype_description
    row.required, row.variable = required, variable
    row.values = _check_values(datatype, values)
    others = ServiceAttribute.objects.filter(category=category).exclude(pk=row.pk)
    if others.filter(code=code).exists() or others.filter(order=order).exists():
        raise ValidationFailed(_("This category already has a question with this code or "
                                 "order."), code="taken")
    row.save()
    audit_record(actor=actor, action="open311.attribute_saved", obj=row,
                 changes={"category": category.code, "code": code, "datatype": datatype})
    return row


# The sandbox tree: codes no real area has (real district codes start 1-8), so nothing a
# site imports collides with it, and no routes, so no category sends its cases anywhere.
SANDBOX_DISTRICT = ("999999", "Open311 sandbox")
SANDBOX_STREET = ("999999001", "Open311 sandbox street")


def _sandbox_parent(kind: str, code: str, name: str, parent: Area | None) -> Area:
    found = Area.objects.filter(code=code).first()
    return found or area_insert(kind=kind, name=name, parent=parent, code=code)


def _sandbox_community(name: str) -> Area:
    district = _sandbox_parent(AreaKind.DISTRICT, *SANDBOX_DISTRICT, None)
    street = _sandbox_parent(AreaKind.STREET, *SANDBOX_STREET, district)
    taken = set(Area.objects.filter(parent=street).values_list("code", flat=True))
    number = next(n for n in range(1, 1000) if f"{street.code}{n:03d}" not in taken)
    return area_insert(kind=AreaKind.COMMUNITY, name=name, parent=street,
                       code=f"{street.code}{number:03d}")


@transaction.atomic
def sandbox_add(*, actor, jurisdiction_id: str) -> Jurisdiction:
    """A sandbox jurisdiction on a community of its own in the sandbox tree (made on first
    use, reused after). Running it again for the same id returns the same jurisdiction."""
    jurisdiction_id = (jurisdiction_id or "").strip()
    found = Jurisdiction.objects.filter(jurisdiction_id__iexact=jurisdiction_id).first()
    if found is not None:
        if not found.is_sandbox:
            raise ValidationFailed(_("%(id)s is a production jurisdiction, not a sandbox.")
                                   % {"id": jurisdiction_id}, code="taken")
        return found
    if not _JURISDICTION_ID.match(jurisdiction_id):
        raise ValidationFailed(_("A jurisdiction id is 1-100 letters, digits, dots, dashes "
                                 "or underscores, such as hualou.example.gov.cn."),
                               code="bad_jurisdiction_id")
    community = _sandbox_community(f"Sandbox {jurisdiction_id}"[:100])
    return jurisdiction_save(actor=actor, jurisdiction=None, jurisdiction_id=jurisdiction_id,
                             community=community, is_sandbox=True)
