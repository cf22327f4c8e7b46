"""What a help-button case says about the resident: masked details and the address, so the
grid worker and the care plan's contact can act without a reveal (DESIGN.md §7)."""

from linli.core.crypto import mask_name
from linli.iot.models import Device


def help_description(device: Device) -> str:
    resident = device.resident
    who = mask_name(resident.name) if resident is not None else "—"
    place = device.address or device.area.name
    return (f"一键呼叫：{who}（{place}）按下了求助按钮，请立即上门查看。"
            f"设备 {device.identifier}。")
