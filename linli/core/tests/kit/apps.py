from django.apps import AppConfig


class KitTestsConfig(AppConfig):
    name = "linli.core.tests.kit"
    label = "kit_tests"
