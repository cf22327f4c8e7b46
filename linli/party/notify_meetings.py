"""Who hears of joint resolutions (联席会议决议).

- The owner unit's people: a new resolution (`add`, with its due date), one sent back (the
  reason), and the supervision notice (督办) of an overdue one.
- Party-work staff of the resolution's place: a resolution reported done (what was done),
  and the supervision notice.

Meetings themselves notify nobody: their people are at the table. One message per event
and person (a source key per event); the actor never hears of their own act.
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role, User
from linli.notifications.rules import message, messages_for, messages_send, moment
from linli.party.models import Resolution


def unit_people(resolution: Resolution):
    return User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                               assignments__unit_id=resolution.owner_unit_id,
                               is_active=True).distinct()


def party_staff(resolution: Resolution):
    """Party-work staff at the resolution's place or above it."""
    ids = [int(p) for p in resolution.area_path.strip("/").split("/") if p.isdigit()]
    return User.objects.filter(assignments__role=Role.PARTY_WORKER,
                               assignments__area_id__in=ids, is_active=True).distinct()


def _short(resolution: Resolution) -> str:
    text = resolution.text
    return text if len(text) <= 40 else text[:40] + "…"


def _params(event, resolution: Resolution) -> dict:
    return {"text": _short(resolution), "unit": resolution.owner_unit.name,
            "due": moment(resolution.due_at), "note": event.note,
            "meeting": resolution.meeting.title}


def _added(event, r: Resolution):
    return message("party.resolution_add", unit_people(r),
                   gettext_noop("A joint resolution for your unit"),
                   gettext_noop("The joint meeting \"%(meeting)s\" resolved: %(text)s. "
                                "Due %(due)s."), _params(event, r))


def _sent_back(event, r: Resolution):
    return message("party.resolution_send_back", unit_people(r),
                   gettext_noop("A joint resolution was sent back"),
                   gettext_noop("\"%(text)s\" was sent back: %(note)s"), _params(event, r))


def _reported(event, r: Resolution):
    return message("party.resolution_report_done", party_staff(r),
                   gettext_noop("A joint resolution was reported done"),
                   gettext_noop("%(unit)s reported \"%(text)s\" done: %(note)s"),
                   _params(event, r))


def _supervised(event, r: Resolution):
    title = gettext_noop("An overdue joint resolution is supervised")
    body = gettext_noop("\"%(text)s\" (%(unit)s) was due %(due)s and is not done.")
    return [message("party.resolution_supervise", unit_people(r), title, body,
                    _params(event, r)),
            message("party.resolution_supervise", party_staff(r), title, body,
                    _params(event, r))]


RULES = {"add": _added, "send_back": _sent_back, "report_done": _reported,
         "supervise": _supervised}


def meeting_event_notify(event) -> None:
    if event.subject != "resolution":
        return
    resolution = (Resolution.objects.filter(pk=event.subject_id)
                  .select_related("owner_unit", "meeting").first())
    if resolution is None:
        return
    found = messages_for(RULES, event, resolution)
    messages_send(found, subject=resolution,
                  link=reverse("party:resolution", args=[resolution.pk]),
                  source_key=f"party.resolution:{event.pk}")
