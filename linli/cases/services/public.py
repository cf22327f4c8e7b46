"""Writes of the public case pages: a community's publication setting, and "me too"
(支持, 我也遇到): a resident joins a public case instead of reporting it again."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases import permissions
from linli.cases.models import Case, Publication, Supporter
from linli.cases.selectors.publication import SUPPORTABLE_STATES, can_read, is_resident_of
from linli.core.audit import audit_record, diff, snapshot
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind

PUBLICATION_FIELDS = ["is_published", "anonymous_allowed"]


@transaction.atomic
def publication_save(*, actor, community: Area, is_published: bool,
                     anonymous_allowed: bool) -> Publication:
    """Set whether `community` publishes its public cases, and to whom. Audited."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("Choose a community."), code="not_a_community")
    if not permissions.can_publish(actor, community):
        raise PermissionDenied(_("Only the community's administrator or leader may change "
                                 "what it publishes."))
    if anonymous_allowed and not is_published:
        raise ValidationFailed(_("Visitors who have not logged in can only see the public "
                                 "cases if the community publishes them. Tick both, or "
                                 "neither."), code="anonymous_needs_published")
    publication, created = Publication.objects.select_for_update().get_or_create(
        community=community)
    before = snapshot(publication, PUBLICATION_FIELDS)
    publication.is_published, publication.anonymous_allowed = is_published, anonymous_allowed
    publication.updated_by = actor
    publication.save()
    changes = diff(publication, PUBLICATION_FIELDS, {} if created else before)
    if changes:
        audit_record(actor=actor, action="publication.updated", obj=publication,
                     changes=changes, area_path=community.path)
    return publication


def _already() -> Conflict:
    return Conflict(_("You already said “me too” for this case; you are counted once."),
                    code="already_supported")


def _check_support(actor, case: Case) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to say “me too”."))
    if not case.is_public or not case.category.is_public or not can_read(actor,
                                                                          case.community):
        raise NotFound(_("No such public case."))
    if not is_resident_of(actor, case.community):
        raise PermissionDenied(_("Only residents of this community can say “me too” "
                                 "to its cases."), code="not_a_resident")
    if case.reporter_id == actor.pk:
        raise ValidationFailed(_("You reported this case yourself: you follow it already."),
                               code="own_case")
    if case.state not in SUPPORTABLE_STATES:
        raise ValidationFailed(_("This case is %(state)s: it can no longer be supported. If "
                                 "the problem is back, report it again.") % {
            "state": case.get_state_display()}, code="transition_not_allowed")


@transaction.atomic
def case_support(*, actor, case: Case) -> Supporter:
    """Count `actor` among the case's supporters, once; they hear when it is handled and
    closed (cases.notify). Refused, with nothing written, for a second time, a settled or
    private case, someone who may not read it or does not live in its community."""
    # Read the case again under a lock: its state may have moved since the page was drawn.
    locked = (Case.objects.select_for_update(of=("self",))
              .select_related("category", "community").filter(pk=case.pk).first())
    if locked is None:
        raise NotFound(_("No such public case."))
    _check_support(actor, locked)
    if Supporter.objects.filter(case=locked, user=actor).exists():
        raise _already()
    try:
        with transaction.atomic():  # a double click racing itself: the constraint decides
            supporter = Supporter.objects.create(case=locked, user=actor,
                                                 created_at=timezone.now())
    except IntegrityError:
        raise _already() from None
    audit_record(actor=actor, action="case.supported", obj=locked,
                 changes={"supporters": Supporter.objects.filter(case=locked).count()})
    return supporter
