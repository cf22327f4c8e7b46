"""The demo's public case pages: the first community publishes its public cases to everyone,
the second to its own residents only (log in to see them), and a few residents have said
"me too" to open cases near them, so the counts are not all zero."""

from linli.accounts.models import Role, RoleAssignment
from linli.cases.models import Case, Publication
from linli.cases.selectors.public import public_q
from linli.cases.selectors.publication import SUPPORTABLE_STATES
from linli.cases.services.public import case_support
from linli.core.demo import DemoContext
from linli.orgs.models import Area

SUPPORTED_CASES = 4  # per community: the newest open public cases get a supporter or two


def _publish(community: Area, anonymous: bool) -> None:
    # Written directly: the demo loads without an acting admin (the service needs one).
    Publication.objects.update_or_create(community=community, defaults={
        "is_published": True, "anonymous_allowed": anonymous})


def _support(community: Area) -> None:
    residents = [a.user for a in RoleAssignment.objects.filter(
        role=Role.RESIDENT, area__path__startswith=community.path).select_related("user")
        .order_by("user__username")]
    cases = Case.objects.filter(public_q(), community=community,
                                state__in=SUPPORTABLE_STATES).select_related(
        "category", "community").order_by("-reported_at")[:SUPPORTED_CASES]
    for i, case in enumerate(cases):
        for user in residents[i % 2: i % 2 + 2]:
            if user.pk != case.reporter_id:
                case_support(actor=user, case=case)


def demo_publications(communities: list[Area]) -> None:
    for index, community in enumerate(communities):
        _publish(community, anonymous=index == 0)
        _support(community)


def demo_step_public(demo: DemoContext) -> None:
    demo_publications(demo.tree.communities)


DEMO_STEPS = [(45, demo_step_public)]
