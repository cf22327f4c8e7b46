from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyReportsConfig(AppConfig):
    name = "linli.dailyreports"
    label = "dailyreports"
    verbose_name = _("Daily reports")
    home_templates = [(45, "dailyreports/_home.html")]  # tiles on the home page, by order
