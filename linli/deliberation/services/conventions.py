"""Conventions (居民公约 / 管理公约): drafted by organisers (often from a topic), versioned,
adopted by a vote and published to their scope.

- `convention_create`: a title, a place the organiser serves and the first version's text.
- `version_add`: a new version (the full text and what changed), numbered 1, 2, ….
- `version_edit`: a draft version's text, until a vote on it goes beyond its draft (open,
  in 公示, standing or void): then it is frozen and a change is a new version.
- `version_adopted`: the vote on a version stands with a pass; the version comes into force
  and the residents of the place hear of it. Safe to call twice.
"""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linli.accounts.models import Role, RoleAssignment
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.tasks import enqueue
from linli.deliberation.models import Convention, ConventionVersion, Topic, VoteState
from linli.deliberation.permissions import is_organiser
from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.orgs.models import Area

MAX_TITLE = 80
MAX_TEXT = 20000
MAX_NOTE = 200
# A convention is for a place people live in together: a street down to a building.
PLACE_KINDS = ("street", "community", "grid", "estate", "building")
# A vote in one of these states leaves its version editable.
UNFROZEN = (VoteState.DRAFT, VoteState.CANCELLED)


def _clean(value: str, limit: int, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(what)s is required.") % {"what": what}, code="required")
    if len(value) > limit:
        raise ValidationFailed(_("%(what)s is too long (at most %(n)d characters).")
                               % {"what": what, "n": limit}, code="too_long")
    return value


def _check_organiser(actor, area: Area) -> None:
    if not is_organiser(actor, area):
        raise PermissionDenied(_("Only the dispatchers and leaders of the place draft its "
                                 "conventions."), code="not_organiser")


def version_frozen(version: ConventionVersion) -> bool:
    """A version is frozen once adopted or once a vote on it has gone beyond its draft."""
    return version.adopted_at is not None or version.votes.exclude(
        state__in=UNFROZEN).exists()


@transaction.atomic
def convention_create(*, actor, area: Area, title: str, text: str, note: str = "",
                      topic: Topic | None = None) -> Convention:
    """A convention of `area` with its first version. `topic` (one the actor sees, loaded
    through the selectors) is the topic it comes from, of the same or a related place."""
    _check_organiser(actor, area)
    if area.kind not in PLACE_KINDS:
        raise ValidationFailed(_("A convention is for a street, a community, a grid, an "
                                 "estate or a building."), code="bad_place")
    title = _clean(title, MAX_TITLE, _("The title"))
    text = _clean(text, MAX_TEXT, _("The text"))
    note = _clean(note, MAX_NOTE, _("The note"), required=False)
    if topic is not None and not (topic.area_path.startswith(area.path)
                                  or area.path.startswith(topic.area_path)):
        raise ValidationFailed(_("The topic is of another place."), code="bad_topic")
    convention = Convention.objects.create(area=area, area_path=area.path, title=title,
                                           topic=topic, created_by=actor)
    version = ConventionVersion.objects.create(convention=convention, number=1, text=text,
                                               note=note, created_by=actor)
    audit_record(actor=actor, action="deliberation.convention_create", obj=convention,
                 changes={"title": title, "topic": topic.pk if topic else None,
                          "version": version.number})
    return convention


@transaction.atomic
def version_add(*, actor, convention: Convention, text: str,
                note: str = "") -> ConventionVersion:
    """The next version: the full text and what changed (required from version 2 on)."""
    _check_organiser(actor, convention.area)
    text = _clean(text, MAX_TEXT, _("The text"))
    note = _clean(note, MAX_NOTE, _("What changed"))
    locked = Convention.objects.select_for_update().get(pk=convention.pk)  # numbers in turn
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.text.strip() == text:
        raise ValidationFailed(_("The text is the same as version %(n)d's: change it first.")
                               % {"n": latest.number}, code="unchanged")
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ConventionVersion.objects.create(convention=locked, number=number, text=text,
                                               note=note, created_by=actor)
    audit_record(actor=actor, action="deliberation.convention_version_add", obj=locked,
                 changes={"version": number, "note": note})
    return version


@transaction.atomic
def version_edit(*, actor, version: ConventionVersion, text: str,
                 note: str = "") -> ConventionVersion:
    """Correct a draft version that no vote has gone beyond its draft with."""
    convention = version.convention
    _check_organiser(actor, convention.area)
    text = _clean(text, MAX_TEXT, _("The text"))
    note = _clean(note, MAX_NOTE, _("What changed"), required=False)
    locked = ConventionVersion.objects.select_for_update().get(pk=version.pk)
    if version_frozen(locked):
        raise ValidationFailed(_("Version %(n)d has been put to a vote: it can no longer "
                                 "change. Add a new version instead.") % {"n": locked.number},
                               code="version_frozen")
    before = {"text": len(locked.text), "note": locked.note}
    locked.text, locked.note = text, note
    locked.save(update_fields=["text", "note"])
    audit_record(actor=actor, action="deliberation.convention_version_edit", obj=convention,
                 changes={"version": locked.number, "length": [before["text"], len(text)],
                          "note": [before["note"], note]})
    return locked


def _resident_accounts(area_path: str):
    users = RoleAssignment.objects.filter(role=Role.RESIDENT, area__path__startswith=area_path,
                                          user__is_active=True).values("user_id")
    from linli.accounts.models import User

    return User.objects.filter(pk__in=users)


@transaction.atomic
def version_adopted(version: ConventionVersion, now=None) -> None:
    """The vote on `version` stands with a pass: the version comes into force (unless a
    version adopted later already is), and the resident accounts of the place are told
    through the inbox. A second call changes nothing and tells nobody again."""
    now = now or timezone.now()
    convention = Convention.objects.select_for_update().get(pk=version.convention_id)
    locked = ConventionVersion.objects.select_for_update().get(pk=version.pk)
    changed = {}
    if locked.adopted_at is None:
        locked.adopted_at = now
        locked.save(update_fields=["adopted_at"])
        changed["adopted_at"] = now.isoformat()
    current = convention.adopted
    if current is None or (current.pk != locked.pk and (current.adopted_at or now) <= now):
        convention.adopted = locked
        convention.save(update_fields=["adopted"])
        changed["in_force"] = locked.number
    version.adopted_at = locked.adopted_at
    if not changed:
        return
    audit_record(actor=None, action="deliberation.convention_adopted", obj=convention,
                 changes={"version": locked.number, **changed})
    if "in_force" in changed:
        enqueue("deliberation.convention_notify", locked.pk)  # after commit; the demo mutes it


def convention_in_force_notify(version_id: int) -> None:
    """Tell the resident accounts of the place that a version is in force (the task)."""
    locked = ConventionVersion.objects.select_related("convention").get(pk=version_id)
    convention = locked.convention
    notify(recipients=_resident_accounts(convention.area_path),
           kind="deliberation.convention_adopted",
           title=Text(gettext_noop("A convention is in force: %(title)s"),
                      {"title": convention.title}),
           body=Text(gettext_noop("Version %(n)s of “%(title)s” was adopted by "
                                  "the vote and is now in force."),
                     {"n": locked.number, "title": convention.title}),
           link=reverse("deliberation:convention", args=[convention.pk]),
           subject=convention,
           source_key=f"deliberation.convention_adopted:{locked.pk}")
