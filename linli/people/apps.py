from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "linli.people"
    label = "people"
    verbose_name = _("People registry")
    home_templates = [(20, "people/_home.html")]  # tiles on the home page, by order
