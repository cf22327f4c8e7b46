"""The in-app inbox (one Notification per recipient) and its deliveries to other channels.

A Notification row *is* the in-app message. Each active channel gets one Delivery row per
notification; the unique (notification, channel) pair and a conditional claim on the row
mean a retried or duplicated task never sends the same message twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=2000, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about, if anything: any model's `_meta.label_lower` ("cases.case") and
    # primary key. Not a foreign key, so the inbox depends on no domain app; `link` is what
    # the reader follows.
    subject_type = models.CharField(max_length=40, blank=True, default="")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What caused it (e.g. "case_event:42"): a task that runs twice finds the rows it
    # already made instead of notifying everyone again.
    source_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"],
                                name="notification_inbox"),
                   models.Index(fields=["subject_type", "subject_id"],
                                name="notification_subject")]
        constraints = [models.UniqueConstraint(
            fields=["recipient", "source_key"], condition=~models.Q(source_key=""),
            name="notification_once_per_source")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16)
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Set by the worker that claimed the row; another worker leaves it alone until the
    # claim is older than the lease (the first worker died mid-send).
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["state", "claimed_at"], name="delivery_retry")]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.state}"
