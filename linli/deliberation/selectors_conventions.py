"""Reads of conventions. Staff of a place see every convention of it, drafts too; its
residents see the conventions in force and their adopted versions only. A convention or a
version out of the actor's sight is a 404, exactly like a missing one."""

import difflib
from dataclasses import dataclass

from django.db.models import Case, F, Max, Q, QuerySet, Value, When
from django.http import Http404

from linli.deliberation.models import Convention, ConventionVersion, Vote, VoteState
from linli.deliberation.permissions import is_organiser, is_staff
from linli.deliberation.selectors import conventions_visible, resident_q, staff_q

STATES = ("in_force", "draft")


def conventions_for(actor, state: str = "") -> QuerySet[Convention]:
    """In force first, then drafts (to staff only); by title. `state`: "in_force" (a
    version adopted) or "draft" (none yet, or a newer version not adopted)."""
    qs = conventions_visible(actor).filter(
        staff_q(actor) | (resident_q(actor) & Q(adopted__isnull=False)))
    qs = qs.annotate(latest=Max("versions__number"))
    if state == "in_force":
        qs = qs.filter(adopted__isnull=False)
    elif state == "draft":
        qs = qs.filter(Q(adopted__isnull=True) | Q(adopted__number__lt=F("latest")))
    in_force_first = Case(When(adopted__isnull=False, then=Value(0)), default=Value(1))
    return qs.select_related("area", "adopted").order_by(in_force_first, "title", "pk")


def convention_get(*, actor, convention_id: int) -> Convention:
    found = conventions_for(actor).filter(pk=convention_id).first()
    if found is None:
        raise Http404
    return found


def sees_drafts(actor, convention: Convention) -> bool:
    return is_staff(actor, convention.area)


def may_draft(actor, convention: Convention) -> bool:
    return is_organiser(actor, convention.area)


def versions_for(actor, convention: Convention) -> QuerySet[ConventionVersion]:
    qs = convention.versions.select_related("created_by")
    if not sees_drafts(actor, convention):
        qs = qs.filter(adopted_at__isnull=False)
    return qs.order_by("number")


def version_get(*, actor, convention: Convention, version_id: int) -> ConventionVersion:
    found = versions_for(actor, convention).filter(pk=version_id).first()
    if found is None:
        raise Http404
    return found


def adopting_vote(version: ConventionVersion | None) -> Vote | None:
    """The vote whose standing pass brought `version` into force."""
    if version is None:
        return None
    return version.votes.filter(state=VoteState.STANDS, passed=True).order_by(
        "-stood_at").first()


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added", "removed"
    text: str


def diff_lines(old: str, new: str) -> list[Line]:
    """A line diff of `new` against `old` (difflib), for a phone: one column."""
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [Line(kinds[row[0]], row[2:]) for row in difflib.ndiff(
        old.splitlines(), new.splitlines()) if row[0] in kinds]


def compared(actor, convention: Convention) -> tuple[ConventionVersion | None,
                                                     ConventionVersion | None]:
    """(the latest version the actor sees, the one it is compared with): the latest
    against the one in force, or against the one before it when the latest is in force."""
    versions = list(versions_for(actor, convention))
    if len(versions) < 2:
        return (versions[-1] if versions else None), None
    latest = versions[-1]
    base = convention.adopted if convention.adopted_id and convention.adopted_id != latest.pk \
        else versions[-2]
    return latest, base
