"""What the device pages show in words: a device's status (its own words, see
selectors_devices.STATUS_LABELS) and a refusal's reason."""

from django import template

from linli.iot import selectors_devices

register = template.Library()


@register.filter
def device_status(status: str) -> str:
    return selectors_devices.status_label(status)


@register.filter
def refusal_reason(reason: str) -> str:
    return selectors_devices.reason_label(reason)
