"""Rules for area codes (6-digit admin division, +3 street, +3 community, +3 grid) and
for the duty phones of handling units."""

import re

from django.utils.translation import gettext as _

from linli.orgs.models import CODE_LENGTH, KIND_RANK, AreaKind


def code_problem(kind: str, code: str, parent_kind: str | None,
                 parent_code: str | None) -> str | None:
    """A readable reason the code is wrong for this kind and parent, or None if it is fine."""
    expected = CODE_LENGTH.get(kind)
    if kind == "grid" and not code:
        return _("A grid needs its 15-digit grid code.")
    if not code:
        return None
    if expected is None:
        return None if len(code) <= 32 else _("A code is at most 32 characters.")
    if not code.isdigit() or len(code) != expected:
        return _("A %(kind)s code is exactly %(n)d digits; got %(code)s.") % {
            "kind": AreaKind(kind).label, "n": expected, "code": code}
    if parent_code and parent_kind in CODE_LENGTH and not code.startswith(parent_code):
        return _("The code %(code)s does not start with its parent's code %(parent)s.") % {
            "code": code, "parent": parent_code}
    if code[len(code) - 3:] == "000" and kind != "district":
        return _("The last three digits of a code are a sequence number from 001.")
    return None


def parent_problem(kind: str, parent_kind: str | None) -> str | None:
    """Districts are roots; street, community and grid sit exactly one level down;
    below a grid any deeper kind may follow (some buildings have no entrances)."""
    if kind == "district":
        return None if parent_kind is None else _("A district has no parent.")
    if parent_kind is None:
        return _("Only a district may be at the top of the tree.")
    if kind in ("street", "community", "grid"):
        if KIND_RANK[parent_kind] != KIND_RANK[kind] - 1:
            return _("A %(kind)s must sit directly under a %(parent)s.") % {
                "kind": AreaKind(kind).label,
                "parent": AreaKind(list(KIND_RANK)[KIND_RANK[kind] - 1]).label}
        return None
    if KIND_RANK[parent_kind] >= KIND_RANK[kind] or KIND_RANK[parent_kind] < KIND_RANK["grid"]:
        return _("A %(kind)s must sit under a grid or a smaller area.") % {
            "kind": AreaKind(kind).label}
    return None


# A duty phone: a mainland mobile, a landline with its area code (027-82800001, optionally
# an extension), or a short service number (110, 12345, 95598).
_MOBILE_RE = r"1[3-9]\d{9}"
_LANDLINE_RE = r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?"
_SERVICE_RE = r"\d{3,5}"
DUTY_PHONE_RE = re.compile(rf"^(?:{_MOBILE_RE}|{_LANDLINE_RE}|{_SERVICE_RE})$")


def normalize_duty_phone(phone: str) -> str:
    """Spaces and full-width digits or hyphens, as people type them, made plain."""
    table = str.maketrans("０１２３４５６７８９－—", "0123456789--")
    return re.sub(r"\s+", "", (phone or "").translate(table))


def duty_phone_problem(phone: str, typed: str = "") -> str | None:
    """Why `phone` (normalised) is no duty phone, naming it as the person `typed` it."""
    if not phone or DUTY_PHONE_RE.match(phone):
        return None
    return _("%(phone)s is not a phone number: give a mobile number, a landline with its "
             "area code (027-82800001) or a service number (12345).") % {
                 "phone": (typed or phone).strip()}
