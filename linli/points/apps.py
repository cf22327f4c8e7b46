from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "linli.points"
    label = "points"
    verbose_name = _("Points")
    home_templates = [(30, "points/_home.html")]  # tiles on the home page, by order
