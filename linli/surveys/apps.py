from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "linli.surveys"
    label = "surveys"
    verbose_name = _("Needs surveys")
    home_templates = [(37, "surveys/_home.html")]  # tiles on the home page, by order
