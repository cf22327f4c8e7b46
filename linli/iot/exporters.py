"""The device list as a spreadsheet (core.exports), read with the list page's own filter
form, as the person who asked, when the file is written: the registry (设备台账) a
community hands over or checks on paper. A help button's resident is not in the file."""

from collections.abc import Iterator
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.accounts import scope
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.iot import selectors_devices as selectors
from linli.iot.forms_devices import FILTERS, DeviceFilterForm
from linli.iot.models import Device
from linli.orgs.paths import common_path

KIND = "iot_devices"
COLUMNS = (
    Column(pgettext_lazy("export column", "Identifier"), Kind.TEXT, 16),
    Column(pgettext_lazy("export column", "Kind"), Kind.TEXT, 14),
    Column(pgettext_lazy("export column", "Name"), Kind.TEXT, 20),
    Column(pgettext_lazy("export column", "Status"), Kind.TEXT, 8),
    Column(pgettext_lazy("export column", "Community"), Kind.TEXT, 12),
    Column(pgettext_lazy("export column", "Place"), Kind.TEXT, 14),
    Column(pgettext_lazy("export column", "Address"), Kind.TEXT, 24),
    Column(pgettext_lazy("export column", "Latitude"), Kind.NUMBER, 11),
    Column(pgettext_lazy("export column", "Longitude"), Kind.NUMBER, 11),
    Column(pgettext_lazy("export column", "Owner unit"), Kind.TEXT, 14),
    Column(pgettext_lazy("export column", "Heartbeat timeout (seconds)"), Kind.NUMBER, 10),
    Column(pgettext_lazy("export column", "Battery (%)"), Kind.NUMBER, 8),
    Column(pgettext_lazy("export column", "Last seen"), Kind.DATETIME, 17),
    Column(pgettext_lazy("export column", "Messages refused"), Kind.NUMBER, 10),
)
_CHUNK = 500


def row(device: Device) -> list[Any]:
    return [device.identifier, device.get_kind_display(), device.name,
            selectors.status_label(device.status), device.community.name, device.area.name,
            device.address, device.lat, device.lng,
            device.owner_unit.name if device.owner_unit else "", device.heartbeat_seconds,
            device.battery, device.last_seen_at, device.rejected_count]


def _form(actor, parameters: dict[str, str]) -> DeviceFilterForm:
    data = QueryDict(mutable=True)
    for name, value in parameters.items():
        if name in FILTERS and value:
            data[name] = value
    return DeviceFilterForm(data, communities=selectors.device_communities(actor=actor))


def prepare(actor, parameters: dict[str, str]) -> Prepared:
    if not selectors.sees_registry(actor):
        raise PermissionDenied(_("Only the staff of a place and its owner units export its "
                                 "devices."))
    form = _form(actor, parameters)
    if not form.is_valid():
        raise ValidationFailed(_("These filters are not right. Correct them on the list, "
                                 "then export again."))
    devices = selectors.device_list(actor=actor, filters=form.filters())

    def rows() -> Iterator[list[Any]]:
        for device in devices.all().iterator(chunk_size=_CHUNK):
            yield row(device)

    return Prepared(columns=COLUMNS, count=devices.count, rows=rows,
                    filename=str(pgettext_lazy("export file", "devices")),
                    area_path=common_path(scope.area_paths(actor)),
                    summary={k: v for k, v in parameters.items() if v})


register(KIND, prepare)
