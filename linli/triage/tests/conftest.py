"""The triage tests' shared fixtures (training_kit.py), and the cases tests' leak category."""

from linli.cases.tests.conftest import leak  # noqa: F401
from linli.triage.tests.training_kit import en_client, english, triage_data  # noqa: F401
