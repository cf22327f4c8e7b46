"""The alarm rules Linli ships with (rules as data). Migration 0002 writes them into a new
database; administrators edit them afterwards (the admin site). `ship_defaults` puts back
what is missing and leaves existing rows as they are (the demo calls it too)."""

from decimal import Decimal

from django.db import models

# kind ("" = every kind), alarm type, name, source, metric, operator, threshold,
# readings in a row, or lasting seconds, suppress minutes, clears itself, category code,
# priority, acknowledge within minutes, emergency
RULES = [
    ("manhole", "tilt", "井盖倾斜位移", "reading", "tilt_deg", "ge", "15", 2, 10, 30, True,
     "01001", "urgent", 30, False),
    ("manhole", "open", "井盖开启", "alarm", "", "", None, 1, 0, 30, True,
     "01001", "urgent", 30, False),
    ("smoke", "smoke", "烟雾报警", "alarm", "", "", None, 1, 0, 15, True,
     "01013", "emergency", 5, False),
    ("gas", "gas_leak", "可燃气体浓度超标", "reading", "lel_pct", "ge", "20", 2, 5, 30, True,
     "L2001", "emergency", 5, False),
    ("water_leak", "leak", "漏水报警", "alarm", "", "", None, 1, 0, 60, True,
     "L1003", "urgent", 60, False),
    ("lift", "fault", "电梯故障", "alarm", "", "", None, 1, 0, 30, True,
     "01076", "urgent", 30, False),
    ("lift", "trapped", "电梯困人", "alarm", "", "", None, 1, 0, 10, True,
     "01076", "emergency", 5, False),
    ("door", "fault", "门禁故障", "alarm", "", "", None, 1, 0, 60, True,
     "L1006", "normal", None, False),
    ("help_button", "help", "一键呼叫", "alarm", "", "", None, 1, 0, 10, False,
     "L3001", "emergency", 5, True),
    ("environment", "noise", "噪声超标", "reading", "noise_db", "ge", "70", 3, 600, 60, True,
     "06028", "normal", None, False),
    ("", "offline", "设备离线", "health", "", "", None, 1, 0, 0, True,
     "L4001", "normal", None, False),
    ("", "low_battery", "设备电量低", "health", "battery", "lt", "20", 1, 0, 0, True,
     "L4002", "normal", None, False),
]
FIELDS = ["kind", "alarm_type", "name_zh", "source", "metric", "operator", "threshold",
          "debounce_count", "debounce_seconds", "suppress_minutes", "clears_itself",
          "category_code", "priority", "respond_minutes", "is_emergency"]


def ship_defaults(alarm_rule: type[models.Model]) -> None:
    """Take the model class, so the migration can pass its historical model."""
    for row in RULES:
        values: dict[str, object] = dict(zip(FIELDS, row, strict=True))
        if values["threshold"] is not None:
            values["threshold"] = Decimal(str(values["threshold"]))
        alarm_rule._default_manager.get_or_create(
            kind=values.pop("kind"), alarm_type=values.pop("alarm_type"), defaults=values)
