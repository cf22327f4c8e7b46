"""Who hears about a dual registration (双报到).

- reported: the party-work staff of the community (and above it) — a new registration to
  decide;
- accept / decline: the member (their account, or their registry record's);
- end: the member too (the posts it gave are left).
One message per event and person (a source key per event).
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role, User
from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.party.models import DualRegistration

MEMBER_HEARS = {
    "accept": (gettext_noop("Your dual registration is accepted"),
               gettext_noop("%(community)s accepted your registration. Thank you for "
                            "serving where you live.")),
    "decline": (gettext_noop("Your dual registration is declined"),
                gettext_noop("%(community)s declined your registration: %(reason)s")),
    "end": (gettext_noop("Your dual registration has ended"),
            gettext_noop("%(community)s ended your registration: %(reason)s")),
}


def party_staff(registration: DualRegistration):
    ids = [int(p) for p in registration.area_path.strip("/").split("/") if p]
    return User.objects.filter(assignments__role=Role.PARTY_WORKER,
                               assignments__area_id__in=ids).distinct()


def member_account(registration: DualRegistration) -> list:
    member = registration.member
    if member.user is not None:
        return [member.user]
    if member.resident is not None and member.resident.user is not None:
        return [member.resident.user]
    return []


def registration_event_notify(event) -> None:
    registration = (DualRegistration.objects.filter(pk=event.subject_id)
                    .select_related("member__user", "member__resident__user", "community")
                    .first())
    if registration is None:
        return
    link = reverse("party:registration", args=[registration.pk])
    key = f"party.registration:{event.pk}"
    if event.action == "report":
        notify(recipients=party_staff(registration), kind="party.registration_reported",
               title=Text(gettext_noop("A new dual registration")),
               body=Text(gettext_noop("%(member)s reported to %(community)s."),
                         {"member": registration.member.name,
                          "community": registration.community.name}),
               link=link, subject=registration, source_key=key)
        return
    if event.action not in MEMBER_HEARS:
        return
    title, body = MEMBER_HEARS[event.action]
    notify(recipients=member_account(registration), kind=f"party.registration_{event.action}",
           title=Text(title),
           body=Text(body, {"community": registration.community.name, "reason": event.note}),
           link=link, subject=registration, source_key=key)
