"""Who hears about a case event, and what they read.

One rule per event action: it names the recipients and the message. The person who caused
the event is never told about it. Texts are English msgids rendered in each recipient's
language by `notifications.services.notify`; the inbox entry links to the case page.
Runs in a task after the event commits; running it twice notifies nobody twice
(`source_key` is the event).
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.functional import lazy
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.cases.models import Case, CaseEvent, LimitUnit, Rating
from linli.cases.selectors import publication
from linli.notifications.rules import Message, Rule, message, messages_for, messages_send, moment
from linli.orgs.models import Area, AreaKind, Unit

User = get_user_model()


def case_url(case_id: int) -> str:
    return f"/cases/{case_id}/"


def public_case_url(case: Case) -> str:
    """Supporters follow the case on its public page: the case page is not theirs to open."""
    return f"/public/{case.community_id}/cases/{case.pk}/"


# --- recipients -------------------------------------------------------------------------

def _ancestor_ids(case: Case) -> list[int]:
    return [int(part) for part in case.area_path.strip("/").split("/") if part]


def _holding(role: str, case: Case) -> Iterable:
    """Users holding `role` at or above the case's area: exactly who may act on it."""
    return User.objects.filter(assignments__role=role,
                               assignments__area_id__in=_ancestor_ids(case)).distinct()


def dispatchers(case: Case) -> Iterable:
    return _holding(Role.DISPATCHER, case)


def grid_workers(case: Case) -> Iterable:
    """Who verifies on site: the grid worker of the case's grid, or, for a case placed at
    the community itself, every grid worker of that community (`permissions`)."""
    if case.area.kind == AreaKind.COMMUNITY:
        return User.objects.filter(assignments__role=Role.GRID_WORKER,
                                   assignments__area__path__startswith=case.area_path
                                   ).distinct()
    return _holding(Role.GRID_WORKER, case)


def unit_members(case: Case) -> Iterable:
    if case.unit_id is None:
        return []
    return User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                               assignments__unit_id=case.unit_id).distinct()


def supervisors(case: Case) -> Iterable:
    """Leaders assigned at the area that supervises the case's unit, if it has one."""
    return supervisors_of(case.unit)


def supervisors_of(unit: Unit | None) -> Iterable:
    if unit is None or unit.supervisor_area_id is None:
        return []
    return User.objects.filter(assignments__role=Role.LEADER,
                               assignments__area_id=unit.supervisor_area_id).distinct()


def overdue_recipients(case: Case) -> list:
    """Who hears that a case is supervised, by the sweep or by hand: the unit, the case's
    dispatchers and the unit's supervisor."""
    return [*unit_members(case), *dispatchers(case), *supervisors(case)]


def members_of(unit_id: int | None) -> Iterable:
    if unit_id is None:
        return []
    return User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                               assignments__unit_id=unit_id).distinct()


def street_staff(case: Case) -> Iterable:
    """Dispatchers and leaders assigned at the street the case lies in (上报街道)."""
    streets = Area.objects.filter(pk__in=_ancestor_ids(case), kind=AreaKind.STREET)
    return User.objects.filter(assignments__role__in=[Role.DISPATCHER, Role.LEADER],
                               assignments__area__in=streets).distinct()


def notice_issuer(case: Case) -> list:
    """Whoever issued the case's latest supervision notice."""
    event = case.events.filter(action="notice").select_related("actor").last()
    return [event.actor] if event is not None and event.actor is not None else []


def reporter(case: Case) -> list:
    return [case.reporter] if case.reporter is not None else []


def duplicate_reporters(case: Case) -> Iterable:
    return User.objects.filter(reported_cases__master=case).distinct()


def supporters(case: Case) -> Iterable:
    """Residents who said "me too" (Supporter). Listed after everyone else an event tells:
    a supporter who also hears as a reporter or grid worker gets that message only
    (one notification per person and event)."""
    return User.objects.filter(supports__case=case).distinct()


# --- messages ---------------------------------------------------------------------------

def _params(event: CaseEvent) -> dict[str, Any]:
    case = event.case
    # Lazy, so the category's name follows the language each recipient's text renders in.
    category = lazy(lambda: case.category.name, str)()
    return {"id": case.pk, "title": case.title, "note": event.note or "—",
            "category": category, "actor": str(event.actor) if event.actor else "—",
            "unit": case.unit.name if case.unit else "—",
            "due": moment(event.data.get("handle_due_at") or case.handle_due_at)}


def _public(case: Case, p: dict) -> dict:
    """A supporter reads the case as the public does: not the reporter's own title (it may
    name their flat)."""
    return {**p, "title": lazy(lambda: publication.public_title(case), str)()}


def _on_report(e: CaseEvent, p: dict) -> Message:
    return message("case.new", dispatchers(e.case), gettext_noop("New case #%(id)s: %(title)s"),
                   gettext_noop("A new %(category)s case was reported. "
                             "Please accept or reject it."), p)


def _on_dispatch(e: CaseEvent, p: dict) -> Message:
    return message("case.assigned", unit_members(e.case),
                   gettext_noop("New assignment: case #%(id)s %(title)s"),
                   gettext_noop("Please acknowledge it and handle it by %(due)s."), p)


def _on_return(e: CaseEvent, p: dict) -> Message:
    return message("case.returned", dispatchers(e.case),
                   gettext_noop("Case #%(id)s was returned: %(title)s"),
                   gettext_noop("%(actor)s returned it: %(note)s Please dispatch it again."), p)


def _on_resolve(e: CaseEvent, p: dict) -> list[Message]:
    return [
        message("case.verify", [*grid_workers(e.case), *reporter(e.case)],
                gettext_noop("Please verify case #%(id)s: %(title)s"),
                gettext_noop("%(unit)s reports it handled: %(note)s"), p),
        message("case.supported_resolved", supporters(e.case),
                gettext_noop("Case #%(id)s you support was handled"),
                gettext_noop("%(unit)s reports %(title)s handled: %(note)s It will be "
                             "checked on site before it is closed."), _public(e.case, p),
                link=public_case_url(e.case)),
    ]


def _on_fail(e: CaseEvent, p: dict) -> Message:
    return message("case.rework", unit_members(e.case),
                   gettext_noop("Rework: case #%(id)s %(title)s"),
                   gettext_noop("The check on site failed: %(note)s "
                             "Please handle it again by %(due)s."), p)


def _on_close(e: CaseEvent, p: dict) -> list[Message]:
    # Only the master's reporter may rate; reporters of merged duplicates just hear of it.
    return [
        message("case.rate", reporter(e.case),
                gettext_noop("Case #%(id)s is closed: please rate it"),
                gettext_noop("%(title)s has been handled and checked. "
                          "Tell us how satisfied you are."), p),
        message("case.closed", duplicate_reporters(e.case), gettext_noop("Case #%(id)s is closed"),
                gettext_noop("%(title)s, which your report was merged into, has been handled and "
                "checked."), p),
        message("case.supported_closed", supporters(e.case),
                gettext_noop("Case #%(id)s you support is closed"),
                gettext_noop("%(title)s has been handled and checked on site."),
                _public(e.case, p), link=public_case_url(e.case)),
    ]


def _on_advise(e: CaseEvent, p: dict) -> Message:
    return message("case.advised", reporter(e.case), gettext_noop("Advice on your report #%(id)s"),
                   gettext_noop("This is a matter for you to settle yourself. "
                             "Our advice: %(note)s"), p)


def _on_reject(e: CaseEvent, p: dict) -> Message:
    return message("case.rejected", reporter(e.case),
                   gettext_noop("Your report #%(id)s was not accepted"),
                   gettext_noop("Reason: %(note)s"), p)


def _on_merge(e: CaseEvent, p: dict) -> Message:
    # The reporter of the duplicate follows the master from now on: tell them where.
    params = {**p, "master": e.data.get("master", "—")}
    return message("case.merged", reporter(e.case),
                   gettext_noop("Your report #%(id)s was merged into case #%(master)s"),
                   gettext_noop("The same problem was reported before and is handled as case "
                             "#%(master)s. Follow its progress there; you will hear when it "
                             "is closed."), params)


def _on_rate(e: CaseEvent, p: dict) -> Message:
    case = e.case
    rating = e.data.get("rating") or case.rating
    params = {**p, "rating": Rating(rating).label if rating in Rating.values else "—",
              "comment": case.rating_comment or "—"}
    return message("case.rated", [*unit_members(case), *dispatchers(case)],
                   gettext_noop("Case #%(id)s was rated: %(rating)s"),
                   gettext_noop("The reporter rated %(title)s %(rating)s. "
                             "Comment: %(comment)s"), params)


def _on_reopen(e: CaseEvent, p: dict) -> Message:
    return message("case.reopened", dispatchers(e.case), gettext_noop("Case #%(id)s was reopened"),
                   gettext_noop("The reporter was not satisfied: %(note)s"), p)


def _on_remark(e: CaseEvent, p: dict) -> Message:
    return message("case.remark", [*dispatchers(e.case), *unit_members(e.case)],
                   gettext_noop("Case #%(id)s: an update from the reporter"),
                   gettext_noop("The reporter writes about %(title)s: %(note)s"), p)


def _on_extension_request(e: CaseEvent, p: dict) -> Message:
    unit = e.data.get("unit") or ""
    params = {**p, "amount": e.data.get("amount", "—"),
              "limit_unit": LimitUnit(unit).label if unit in LimitUnit.values else unit}
    return message("case.extension_requested", dispatchers(e.case),
                   gettext_noop("More time asked for case #%(id)s"),
                   gettext_noop("%(actor)s asks for %(amount)s %(limit_unit)s more: %(note)s"),
                   params)


def _on_extension_decision(e: CaseEvent, p: dict) -> Message:
    if e.data.get("approved"):
        params = {**p, "due": moment(e.data.get("handle_due_at") or e.case.handle_due_at)}
        return message("case.extension_decided", unit_members(e.case),
                       gettext_noop("More time granted for case #%(id)s"),
                       gettext_noop("The new deadline is %(due)s."), params)
    return message("case.extension_decided", unit_members(e.case),
                   gettext_noop("More time refused for case #%(id)s"),
                   gettext_noop("%(note)s Please keep to the deadline %(due)s."), p)


def _on_supervise(e: CaseEvent, p: dict) -> Message:
    recipients = overdue_recipients(e.case)
    params = {**p, "due": moment(e.data.get("due_at"))}
    if e.data.get("deadline") == "accept":
        return message("case.supervised", recipients,
                       gettext_noop("Overdue: case #%(id)s %(title)s"),
                       gettext_noop("It was due to be accepted by %(due)s."), params)
    return message("case.supervised", recipients, gettext_noop("Overdue: case #%(id)s %(title)s"),
                   gettext_noop("It was due to be handled by %(due)s."), params)


def _on_urge(e: CaseEvent, p: dict) -> Message:
    return message("case.urged", overdue_recipients(e.case),
                   gettext_noop("Urged: case #%(id)s %(title)s"),
                   gettext_noop("%(actor)s urges %(unit)s to handle it (due %(due)s). "
                                "Note: %(note)s"), p)


def _on_notice(e: CaseEvent, p: dict) -> Message:
    params = {**p, "respond_by": moment(e.data.get("respond_by"))}
    return message("case.notice", overdue_recipients(e.case),
                   gettext_noop("Supervision notice: case #%(id)s %(title)s"),
                   gettext_noop("%(actor)s issued a supervision notice: %(note)s "
                                "%(unit)s must answer on the case page by %(respond_by)s."),
                   params)


def _on_answer_notice(e: CaseEvent, p: dict) -> Message:
    case = e.case
    title = (gettext_noop("Supervision notice answered late: case #%(id)s")
             if e.data.get("late") else gettext_noop("Supervision notice answered: case #%(id)s"))
    return message("case.notice_answered",
                   [*notice_issuer(case), *dispatchers(case), *supervisors(case)], title,
                   gettext_noop("%(unit)s answers: %(note)s"), p)


def _on_notice_overdue(e: CaseEvent, p: dict) -> Message:
    case = e.case
    params = {**p, "respond_by": moment(e.data.get("due_at"))}
    return message("case.notice_overdue", [*overdue_recipients(case), *notice_issuer(case)],
                   gettext_noop("Supervision notice unanswered: case #%(id)s"),
                   gettext_noop("%(unit)s was to answer the supervision notice on "
                                "%(title)s by %(respond_by)s and has not."), params)


def _on_reassign(e: CaseEvent, p: dict) -> list[Message]:
    case = e.case
    old = {**p, "old_unit": e.data.get("supervised_unit") or "—"}
    old_id = e.data.get("unit_id")
    old_unit = Unit.objects.filter(pk=old_id).first() if old_id else None
    return [
        message("case.assigned", unit_members(case),
                gettext_noop("New assignment: case #%(id)s %(title)s"),
                gettext_noop("Please acknowledge it and handle it by %(due)s."), p),
        message("case.reassigned", [*members_of(old_id), *supervisors_of(old_unit),
                                    *dispatchers(case), *supervisors(case)],
                gettext_noop("Case #%(id)s was reassigned to %(unit)s"),
                gettext_noop("%(actor)s took it from %(old_unit)s: %(note)s"), old),
    ]


def _on_escalate(e: CaseEvent, p: dict) -> Message:
    case = e.case
    return message("case.escalated",
                   [*street_staff(case), *unit_members(case), *supervisors(case)],
                   gettext_noop("Escalated to the street: case #%(id)s %(title)s"),
                   gettext_noop("%(actor)s escalated it to the street: %(note)s"), p)


def _on_device_alarm(e: CaseEvent, p: dict) -> Message:
    return message("case.device_alarm", [*unit_members(e.case), *dispatchers(e.case)],
                   gettext_noop("The device alarmed again: case #%(id)s %(title)s"),
                   gettext_noop("%(note)s"), p)


RULES: dict[str, Rule] = {
    "report": _on_report, "dispatch": _on_dispatch, "return": _on_return,
    "resolve": _on_resolve, "fail": _on_fail, "close": _on_close, "advise": _on_advise,
    "reject": _on_reject, "merge": _on_merge, "rate": _on_rate, "reopen": _on_reopen,
    "remark": _on_remark,
    "extension_request": _on_extension_request,
    "extension_approve": _on_extension_decision, "extension_deny": _on_extension_decision,
    "supervise": _on_supervise, "urge": _on_urge, "notice": _on_notice,
    "answer_notice": _on_answer_notice, "notice_overdue": _on_notice_overdue,
    "reassign": _on_reassign, "escalate": _on_escalate,
    "route": _on_dispatch, "device_alarm": _on_device_alarm,
}


def event_messages(event: CaseEvent) -> list[Message]:
    """The rule's messages for `event`, without its actor; empty if nobody hears of it."""
    return messages_for(RULES, event, _params(event))


def case_event_notify(event_id: int) -> None:
    event = (CaseEvent.objects.select_related("case", "case__area", "case__unit",
                                              "case__category", "case__reporter", "actor")
             .filter(pk=event_id).first())
    if event is None:
        return
    messages_send(event_messages(event), subject=event.case, link=case_url(event.case_id),
                  source_key=f"case_event:{event.pk}")
