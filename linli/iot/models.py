"""Devices, their messages and their alarms (docs/iot.md).

A device publishes on `linli/<community code>/<kind>/<identifier>/<telemetry|alarm|heartbeat>`.
Every message is handled once (ReceivedMessage: unique per device and message id); what
cannot be handled is logged with its reason (Rejection) and counted on the device. An
alarm has at most one open row per device and alarm type (a partial unique index), so two
messages a millisecond apart never open two; it opens a case through the one intake.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.cases.models import Case
from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area, Unit
from linli.people.models import CarePlan, Resident


class Kind(models.TextChoices):
    """Device kinds; the value is the kind's segment of the MQTT topic."""

    MANHOLE = "manhole", _("manhole cover tilt sensor")
    SMOKE = "smoke", _("smoke detector")
    GAS = "gas", _("gas detector")
    WATER_LEAK = "water_leak", _("water leak sensor")
    LIFT = "lift", _("lift fault monitor")
    DOOR = "door", _("door access")
    HELP_BUTTON = "help_button", _("help button")
    ENVIRONMENT = "environment", _("environmental sensor")


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    OFFLINE = "offline", _("offline")
    LOW_BATTERY = "low_battery", _("low battery")
    RETIRED = "retired", _("retired")


class Device(models.Model):
    """One device in the registry. `status` is derived from the facts beside it
    (services.health.status_of): retired, else offline, else low battery, else active."""

    identifier = models.CharField(_("identifier"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("place"))
    area_path = models.CharField(max_length=255, db_index=True)  # scope without a join
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    owner_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("owner unit"))
    # A help button belongs to one resident and the care plan it serves.
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("resident"))
    care_plan = models.ForeignKey(CarePlan, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("care plan"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    heartbeat_seconds = models.PositiveIntegerField(_("heartbeat timeout (seconds)"),
                                                    default=300)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    # Timer as data: when the device counts as offline unless it is heard from again.
    offline_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    offline_since = models.DateTimeField(_("offline since"), null=True, blank=True)
    battery = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)
    battery_low = models.BooleanField(default=False)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    # The per-device MQTT password, hashed as Mosquitto's password file wants it
    # (docs/iot.md, "Credentials"); the plain secret is shown once, when it is set.
    secret_hash = models.CharField(max_length=200, blank=True)
    messages_count = models.PositiveIntegerField(_("messages handled"), default=0)
    rejected_count = models.PositiveIntegerField(_("messages refused"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["community_id", "kind", "identifier"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"


class Source(models.TextChoices):
    ALARM = "alarm", _("the device's own alarm message")
    READING = "reading", _("a telemetry reading past a threshold")
    HEALTH = "health", _("the device's health (offline, battery)")


class Operator(models.TextChoices):
    GT = "gt", ">"
    GE = "ge", "≥"
    LT = "lt", "<"
    LE = "le", "≤"


class AlarmRule(models.Model):
    """What raises an alarm for a kind of device, as data an administrator edits (the
    admin site). `kind` blank: every kind (the health rules)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    alarm_type = models.CharField(_("alarm type"), max_length=24)
    name_zh = models.CharField(_("name"), max_length=64)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    metric = models.CharField(_("reading"), max_length=32, blank=True)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices,
                                blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=3,
                                    null=True, blank=True)
    # Debounce: the alarm is raised after this many breaching readings in a row, or once
    # the breach has lasted this many seconds (0: no time condition), whichever first.
    debounce_count = models.PositiveSmallIntegerField(_("readings in a row"), default=1)
    debounce_seconds = models.PositiveIntegerField(_("or lasting (seconds)"), default=0)
    # Repeat suppression: within this many minutes of the last alarm of this type on the
    # device, a new one joins it instead of raising another.
    suppress_minutes = models.PositiveIntegerField(_("suppress repeats (minutes)"),
                                                   default=30)
    # A reading back on the right side of the threshold clears the alarm.
    clears_itself = models.BooleanField(_("clears when the reading recovers"), default=True)
    opens_case = models.BooleanField(_("opens a case"), default=True)
    category_code = models.CharField(_("case category code"), max_length=16, blank=True)
    priority = models.CharField(_("case priority"), max_length=12, blank=True)
    # The alarm's own clock, in minutes on the clock (not working time): how soon someone
    # must acknowledge it. Help buttons: minutes; a lift fault: longer.
    respond_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"),
                                                  null=True, blank=True)
    is_emergency = models.BooleanField(_("emergency (help button)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["kind", "alarm_type"]
        constraints = [models.UniqueConstraint(fields=["kind", "alarm_type"],
                                               name="iot_one_rule_per_kind_and_type")]

    def __str__(self) -> str:
        return self.name_zh


class AlarmState(models.TextChoices):
    ACTIVE = "active", _("active")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    CLEARED = "cleared", _("cleared")


OPEN_ALARM = ~Q(state=AlarmState.CLEARED)


class Alarm(models.Model):
    """One alarm: active → acknowledged → cleared (workflow.ALARMS)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="alarms")
    rule = models.ForeignKey(AlarmRule, on_delete=models.PROTECT, related_name="+")
    alarm_type = models.CharField(_("alarm type"), max_length=24)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=AlarmState.choices,
                             default=AlarmState.ACTIVE)
    version = models.PositiveIntegerField(default=0)
    is_emergency = models.BooleanField(default=False)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3, null=True,
                                blank=True)
    detail = models.JSONField(default=dict, blank=True)  # what the message said
    opened_at = models.DateTimeField(_("raised"), db_index=True)
    device_at = models.DateTimeField(_("device time"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)  # the message's own stamp
    last_at = models.DateTimeField(_("last message"))
    repeats = models.PositiveIntegerField(_("repeats"), default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    attached = models.BooleanField(default=False)  # joined a case another alarm opened
    case_opened_at = models.DateTimeField(null=True, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)  # the case last heard of a repeat
    # The acknowledge clock (rule.respond_minutes), swept like every deadline.
    respond_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    respond_warn_at = models.DateTimeField(null=True, blank=True)
    respond_supervised_for = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["device", "alarm_type"], condition=OPEN_ALARM,
            name="iot_one_open_alarm_per_device_and_type")]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return f"{self.device.identifier}:{self.alarm_type}"

    def last_told_at(self):
        """When the alarm's case last heard of it: its opening, or the last repeat told."""
        return self.told_at or self.opened_at


class AlarmEvent(AppendOnlyModel):
    """One step of an alarm: raised, repeated, acknowledged, cleared, a case opened."""

    alarm = models.ForeignKey(Alarm, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["at", "id"]


class Condition(models.Model):
    """The debounce state of one rule on one device: how many breaching readings in a row
    and since when. A row per device and alarm type, updated under a row lock."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    alarm_type = models.CharField(max_length=24)
    breaches = models.PositiveIntegerField(default=0)
    since = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "alarm_type"],
                                               name="iot_one_condition_per_device_and_type")]


class ReceivedMessage(models.Model):
    """A message handled: its id, once per device (at-least-once delivery, handled once).
    Kept for LINLI_IOT_DEDUP_DAYS, then pruned."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "message_id"],
                                               name="iot_message_once_per_device")]


class Reason(models.TextChoices):
    BAD_TOPIC = "bad_topic", _("the topic is not one of Linli's")
    TOO_LARGE = "too_large", _("the message is too large")
    MALFORMED = "malformed", _("the payload is not a JSON object")
    MISSING = "missing", _("the payload lacks a field it needs")
    UNKNOWN_DEVICE = "unknown_device", _("no such device")
    WRONG_TOPIC = "wrong_topic", _("the topic names another community or kind")
    RETIRED = "retired", _("the device is retired")
    FUTURE = "future", _("the device time is too far in the future")
    STALE = "stale", _("the device time is too far in the past")
    REPLAYED = "replayed", _("the message id was handled already")
    UNKNOWN_TYPE = "unknown_type", _("no rule for this alarm type")


class Rejection(models.Model):
    """A message not handled, with the reason: logged, counted on the device, nothing else
    changes. Kept as long as telemetry."""

    at = models.DateTimeField(db_index=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    topic = models.CharField(max_length=255)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="rejections")
    community_code = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class Telemetry(models.Model):
    """One telemetry message's readings; kept LINLI_IOT_TELEMETRY_DAYS (TelemetryHour keeps
    the hourly rollup longer)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()  # the device's time
    received_at = models.DateTimeField(db_index=True)
    values = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["device", "at"])]


class TelemetryHour(models.Model):
    """The hourly rollup per device: for each reading, [count, min, max, sum]."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    messages = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "hour"],
                                               name="iot_one_rollup_per_device_hour")]


class AccessCount(models.Model):
    """Door access events per entrance (device) per hour: counts only, never a face, card
    number or any personal identifier."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "hour"],
                                               name="iot_one_access_count_per_hour")]


class WelfareWatch(models.Model):
    """Opt-in: a care-plan resident whose door has shown no activity for `quiet_hours`
    raises a welfare check for the grid worker. Recorded with the resident's consent."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="watches",
                               verbose_name=_("door"))
    area_path = models.CharField(max_length=255, db_index=True)
    quiet_hours = models.PositiveSmallIntegerField(_("quiet for (hours)"), default=24)
    consent_reference = models.CharField(_("consent"), max_length=200)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    consent_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Timer as data: when the quiet becomes a concern; claimed once per quiet spell.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    checked_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("welfare watch")
        verbose_name_plural = _("welfare watches")
        constraints = [models.UniqueConstraint(
            fields=["resident", "device"], condition=Q(withdrawn_at__isnull=True),
            name="iot_one_open_watch_per_resident_and_door")]
