"""Campaigns (排查行动): a coordinator chooses a checklist, areas and a period; the checklist's
active items are copied into the campaign so later edits of the template never change what
was asked. A campaign may later be renamed or have its end moved (never before today).

Who: dispatchers and leaders (coordinators) of every chosen area. Areas are communities
or places inside one (grids, estates, buildings ...), none inside another chosen one. The
campaign is held by the deepest area holding them all: its coordinators change it, and the
inspectors of every place it covers see it.

A schedule (`Schedule`) makes a campaign on a recurring day: the first Monday of each
month, the last Friday of every third month. `schedules_run` (beat, in tasks.py) makes the
campaigns that fall due, once per schedule and day however many workers run it.
"""

import calendar
import itertools
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.audit import audit_record, diff
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.inspections import permissions
from linli.inspections.models import Campaign, CampaignItem, Schedule, TargetKind, Template
from linli.orgs.models import KIND_ORDER, Area, AreaKind
from linli.orgs.paths import common_path

log = logging.getLogger(__name__)

MAX_NAME = 100
MAX_AREAS = 50
MAX_PERIOD_DAYS = 366  # a campaign runs a year at most


def today_of(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


# --- shared checks (campaigns and schedules) ----------------------------------------------

def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the campaign a name."), code="name_required")
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("A name is at most %(n)d characters.") % {"n": MAX_NAME},
                               code="name_too_long")
    return name


def check_template(template: Template) -> None:
    """A checklist to run: active, with at least one active item."""
    if not template.is_active:
        raise ValidationFailed(_("The checklist “%(name)s” is no longer in use.")
                               % {"name": template.name}, code="template_inactive")
    if not template.items.filter(is_active=True).exists():
        raise ValidationFailed(_("The checklist “%(name)s” has no check items in use.")
                               % {"name": template.name}, code="template_empty")


def clean_kinds(kinds: Sequence[str] | None, template: Template) -> list[str]:
    """None: the kinds the checklist is meant for (none listed: every kind)."""
    if kinds is None:
        return list(template.target_kinds)
    unknown = set(kinds) - set(TargetKind.values)
    if unknown:
        raise ValidationFailed(_("Unknown kind of target: %(kinds)s.")
                               % {"kinds": ", ".join(sorted(unknown))}, code="bad_target_kind")
    return sorted(set(kinds), key=TargetKind.values.index)


def _below_community(area: Area) -> bool:
    return KIND_ORDER.index(area.kind) >= KIND_ORDER.index(AreaKind.COMMUNITY)


def clean_areas(actor, areas: Sequence[Area]) -> tuple[list[Area], Area]:
    """The chosen areas, checked, and the area that holds them all. The system (actor
    None, a schedule's run) was checked when the schedule was made."""
    chosen = sorted({a.pk: a for a in areas}.values(), key=lambda a: a.path)
    if not chosen:
        raise ValidationFailed(_("Choose at least one area."), code="areas_required")
    if len(chosen) > MAX_AREAS:
        raise ValidationFailed(_("Choose at most %(n)d areas.") % {"n": MAX_AREAS},
                               code="too_many_areas")
    for area in chosen:
        if not _below_community(area):
            raise ValidationFailed(
                _("%(area)s is above a community: choose communities or grids.")
                % {"area": area.name}, code="area_too_high")
    for outer, inner in itertools.pairwise(chosen):
        # Sorted by path, a nested area follows its holder (or another nested one).
        if inner.path.startswith(outer.path):
            raise ValidationFailed(
                _("%(inner)s lies within %(outer)s: choose one of them.")
                % {"inner": inner.name, "outer": outer.name}, code="areas_overlap")
    if actor is not None:
        for area in chosen:
            if not permissions.is_coordinator_of(actor, area):
                raise PermissionDenied(
                    _("Only dispatchers and leaders of %(area)s run campaigns there.")
                    % {"area": area.name})
    holder = Area.objects.filter(path=common_path([a.path for a in chosen])).first()
    if holder is None:
        raise ValidationFailed(_("The areas lie in different districts."),
                               code="areas_apart")
    return chosen, holder


def check_period(starts_on: date, ends_on: date, today: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(_("The campaign ends before it starts."), code="ends_before_start")
    if ends_on < today:
        raise ValidationFailed(_("The end date has passed: choose today or later."),
                               code="ends_in_past")
    if (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(_("A campaign runs at most one year."), code="period_too_long")


# --- writes ------------------------------------------------------------------------------

def _copy_items(campaign: Campaign, template: Template) -> None:
    CampaignItem.objects.bulk_create([
        CampaignItem(campaign=campaign, template_item=item, position=item.position,
                     text=item.text, severity=item.severity, requirement=item.requirement)
        for item in template.items.filter(is_active=True)])


def campaign_write(*, actor, name: str, template: Template, areas: Sequence[Area],
                   starts_on: date, ends_on: date, target_kinds: Sequence[str] | None,
                   schedule: Schedule | None, today: date) -> Campaign:
    """The checks and the rows, without the transaction: `campaign_create` and a
    schedule's run (inside its savepoint) share it."""
    name = clean_name(name)
    check_template(template)
    chosen, holder = clean_areas(actor, areas)
    check_period(starts_on, ends_on, today)
    kinds = clean_kinds(target_kinds, template)
    campaign = Campaign.objects.create(
        name=name, topic=template.topic, template=template, area=holder,
        area_path=holder.path, target_kinds=kinds, starts_on=starts_on, ends_on=ends_on,
        schedule=schedule, created_by=actor)
    campaign.areas.set(chosen)
    _copy_items(campaign, template)
    audit_record(actor=actor, action="inspection.campaign_create", obj=campaign, changes={
        "template": template.name, "areas": [a.name for a in chosen],
        "starts_on": str(starts_on), "ends_on": str(ends_on), "target_kinds": kinds,
        "schedule": schedule.pk if schedule else None})
    return campaign


@transaction.atomic
def campaign_create(*, actor, name: str, template: Template, areas: Sequence[Area],
                    starts_on: date, ends_on: date, target_kinds: Sequence[str] | None = None,
                    schedule: Schedule | None = None, now: datetime | None = None) -> Campaign:
    if actor is None and schedule is None:
        raise PermissionDenied(_("Sign in to run a campaign."))
    return campaign_write(actor=actor, name=name, template=template, areas=areas,
                          starts_on=starts_on, ends_on=ends_on, target_kinds=target_kinds,
                          schedule=schedule, today=today_of(now))


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, name: str | None = None,
                    ends_on: date | None = None, now: datetime | None = None) -> Campaign:
    """Rename it, or move its end (later, or earlier but not before today)."""
    campaign = Campaign.objects.select_for_update().select_related("area").get(pk=campaign.pk)
    if not permissions.is_coordinator_of(actor, campaign.area):
        raise PermissionDenied(_("Only dispatchers and leaders of %(area)s change this "
                                 "campaign.") % {"area": campaign.area.name})
    before = {"name": campaign.name, "ends_on": campaign.ends_on}
    if name is not None:
        campaign.name = clean_name(name)
    if ends_on is not None and ends_on != campaign.ends_on:
        check_period(campaign.starts_on, ends_on, today_of(now))
        campaign.ends_on = ends_on
    changes = diff(campaign, ["name", "ends_on"], before)
    if changes:
        campaign.save(update_fields=["name", "ends_on"])
        audit_record(actor=actor, action="inspection.campaign_update", obj=campaign,
                     changes=changes)
    return campaign


def campaign_length(starts_on: date, days: int) -> date:
    """The last day of a campaign of `days` days starting `starts_on`."""
    return starts_on + timedelta(days=days - 1)


# --- recurring schedules -----------------------------------------------------------------

LAST = 5  # ordinal 5: the last such weekday of the month


def _day_in_month(year: int, month: int, ordinal: int, weekday: int) -> date:
    """The `ordinal`th `weekday` of the month (ordinal 5: the last one)."""
    first = date(year, month, 1)
    if ordinal == LAST:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def _month_plus(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def next_occurrence(after: date, ordinal: int, weekday: int, every_months: int) -> date:
    """The first day of the rule after `after`: the month of `after` is one of the rule's
    months, then every `every_months`th month from it. A schedule advances from the day it
    last fell on; a new one starts from yesterday with every_months 1, so its first campaign
    is the next matching day (today included)."""
    year, month = after.year, after.month
    while True:
        day = _day_in_month(year, month, ordinal, weekday)
        if day > after:
            return day
        year, month = _month_plus(year, month, every_months)


def _check_rule(ordinal: int, weekday: int, every_months: int, duration_days: int) -> None:
    rules = [(1 <= ordinal <= LAST, _("Choose the first to fourth, or the last, week."),
              "bad_ordinal"),
             (0 <= weekday <= 6, _("Choose a weekday."), "bad_weekday"),
             (1 <= every_months <= 12, _("Repeat every 1 to 12 months."), "bad_every_months"),
             (1 <= duration_days <= 90, _("A recurring campaign lasts 1 to 90 days."),
              "bad_duration")]
    for ok, message, code in rules:
        if not ok:
            raise ValidationFailed(message, code=code)


def _first_on(schedule: Schedule, today: date) -> date:
    return next_occurrence(today - timedelta(days=1), schedule.ordinal, schedule.weekday, 1)


@transaction.atomic
def schedule_create(*, actor, name: str, template: Template, areas: Sequence[Area],
                    ordinal: int, weekday: int, every_months: int, duration_days: int,
                    target_kinds: Sequence[str] | None = None,
                    now: datetime | None = None) -> Schedule:
    name = clean_name(name)
    check_template(template)
    chosen, holder = clean_areas(actor, areas)
    _check_rule(ordinal, weekday, every_months, duration_days)
    schedule = Schedule(name=name, template=template, area=holder, area_path=holder.path,
                        target_kinds=clean_kinds(target_kinds, template), ordinal=ordinal,
                        weekday=weekday, every_months=every_months,
                        duration_days=duration_days, created_by=actor)
    schedule.next_on = _first_on(schedule, today_of(now))
    schedule.save()
    schedule.areas.set(chosen)
    audit_record(actor=actor, action="inspection.schedule_create", obj=schedule, changes={
        "template": template.name, "areas": [a.name for a in chosen],
        "rule": [ordinal, weekday, every_months, duration_days],
        "next_on": str(schedule.next_on)})
    return schedule


RULE = ["ordinal", "weekday", "every_months", "duration_days"]
FIELDS = ["name", "is_active", "next_on", *RULE]


@transaction.atomic
def schedule_update(*, actor, schedule: Schedule, name: str | None = None,
                    is_active: bool | None = None, ordinal: int | None = None,
                    weekday: int | None = None, every_months: int | None = None,
                    duration_days: int | None = None,
                    now: datetime | None = None) -> Schedule:
    """Rename, pause or resume, or change the rule. A new rule or a resumed schedule counts
    from today: no campaign is made for a day missed while it was paused."""
    schedule = Schedule.objects.select_for_update().select_related("area", "template").get(
        pk=schedule.pk)
    if not permissions.is_coordinator_of(actor, schedule.area):
        raise PermissionDenied(_("Only dispatchers and leaders of %(area)s change this "
                                 "recurring campaign.") % {"area": schedule.area.name})
    before = {f: getattr(schedule, f) for f in FIELDS}
    if name is not None:
        schedule.name = clean_name(name)
    for field, value in zip(RULE, (ordinal, weekday, every_months, duration_days),
                            strict=True):
        if value is not None:
            setattr(schedule, field, value)
    _check_rule(schedule.ordinal, schedule.weekday, schedule.every_months,
                schedule.duration_days)
    resumed = is_active is True and not schedule.is_active
    if is_active is not None:
        schedule.is_active = is_active
    if resumed:
        check_template(schedule.template)
    if resumed or any(getattr(schedule, f) != before[f] for f in RULE):
        schedule.next_on = _first_on(schedule, today_of(now))
    changes = diff(schedule, FIELDS, before)
    if changes:
        schedule.save(update_fields=FIELDS)
        audit_record(actor=actor, action="inspection.schedule_update", obj=schedule,
                     changes=changes)
    return schedule


def _campaign_name(schedule: Schedule, day: date) -> str:
    # Named in the site's language whoever (or whatever) runs the sweep.
    with translation.override(settings.LANGUAGE_CODE):
        month = _("%(year)d-%(month)d") % {"year": day.year, "month": day.month}
    return f"{schedule.name[:MAX_NAME - len(month) - 1]} {month}"


def _skip(schedule: Schedule, day: date, reason: str) -> None:
    log.warning("inspections: schedule %s skipped its campaign of %s: %s",
                schedule.pk, day, reason)
    audit_record(actor=None, action="inspection.schedule_skip", obj=schedule,
                 changes={"day": str(day), "reason": reason})


def _run_one(schedule: Schedule, today: date) -> bool:
    """Claim the schedule's due day (a conditional update: one worker wins), then make the
    campaign in a savepoint: the constraint campaign_once_per_schedule_day stops a second
    campaign for the day if a changed rule ever brings the schedule back to it."""
    day = schedule.next_on
    following = next_occurrence(day, schedule.ordinal, schedule.weekday, schedule.every_months)
    claimed = Schedule.objects.filter(pk=schedule.pk, next_on=day, is_active=True).update(
        next_on=following)
    if not claimed:
        return False
    ends_on = campaign_length(day, schedule.duration_days)
    if ends_on < today:  # missed while no sweeper ran: nobody could inspect within it
        _skip(schedule, day, "ended")
        return False
    try:
        with transaction.atomic():
            campaign_write(actor=None, name=_campaign_name(schedule, day),
                           template=schedule.template, areas=list(schedule.areas.all()),
                           starts_on=day, ends_on=ends_on,
                           target_kinds=schedule.target_kinds, schedule=schedule,
                           today=today)
    except IntegrityError:
        return False
    except ValidationFailed as exc:  # the checklist was retired or emptied since
        _skip(schedule, day, exc.code)
        return False
    return True


def schedules_run(now: datetime | None = None) -> int:
    """Make the campaigns of every active schedule due by today; the number made. Safe to
    run twice and from several workers at once."""
    today = today_of(now)
    made = 0
    due = Schedule.objects.filter(is_active=True, next_on__lte=today).select_related(
        "template").order_by("next_on", "id")
    for schedule in due:
        while schedule.next_on <= today:
            with transaction.atomic():
                made += _run_one(schedule, today)
            refreshed = Schedule.objects.filter(pk=schedule.pk, is_active=True).first()
            if refreshed is None or refreshed.next_on == schedule.next_on:
                break
            schedule.next_on = refreshed.next_on
    return made
